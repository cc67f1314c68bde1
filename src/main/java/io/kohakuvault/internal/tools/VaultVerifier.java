package io.kohakuvault.internal.tools;

import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_CHUNK;
import static io.kohakuvault.internal.schema.Tables.VAULT_COLUMN_HEAP;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_BLOB;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_CHUNK;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_ENTRY;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_STORE;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.row;
import static org.jooq.impl.DSL.select;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.val;

import io.kohakuvault.internal.db.Checksum;
import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.Sql;
import io.kohakuvault.internal.db.SqlText;
import io.kohakuvault.internal.db.VaultConnection;
import io.kohakuvault.internal.kv.KeyCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Reads every stored byte of a vault and checks it: SQLite's own {@code PRAGMA quick_check} of the
 * file's structure, then the checksum of every key-value entry, blob chunk, column chunk and heap
 * chunk (docs/FORMAT.md, "Checksums"), that each blob's chunks are numbered 0, 1, ... and add up to
 * its size, and that each column's element chunks hold its length; and that no blob, blob chunk,
 * column chunk or heap chunk is left that nothing points at (the engine frees them in the
 * transaction that orphans them: one left over is a bug, reported like damage). Memory holds one
 * row at a time; all of it is read as one snapshot, so writers elsewhere may go on meanwhile.
 */
public final class VaultVerifier {
    /** What hears of damage and of progress. */
    public interface Listener {
        /**
         * @param where what is damaged: a store and key, a blob chunk, a column chunk, the file
         * @param what how
         */
        void damaged(String where, String what);

        /** @param bytes stored bytes just read and checked */
        default void read(long bytes) {}
    }

    /**
     * What a verification found.
     *
     * @param rows rows read
     * @param bytes stored bytes read
     * @param unchecked rows that carry no checksum (written before schema version 3): read, not checked
     * @param damaged how many damaged places were reported
     */
    public record Summary(long rows, long bytes, long unchecked, long damaged) {}

    /** Element slots of variable-size columns are index entries of this many bytes (docs/FORMAT.md). */
    private static final int INDEX_ENTRY_BYTES = 12;

    private static final SqlText ENTRIES = SqlText.of(Sql.dsl()
            .select(
                    VAULT_KV_STORE.NAME,
                    VAULT_KV_ENTRY.STORE_ID,
                    VAULT_KV_ENTRY.KEY,
                    VAULT_KV_ENTRY.VALUE,
                    VAULT_KV_ENTRY.BLOB_ID,
                    VAULT_KV_ENTRY.CHECKSUM,
                    VAULT_KV_BLOB.SIZE,
                    VAULT_KV_BLOB.CHUNK_COUNT)
            .from(VAULT_KV_ENTRY)
            .join(VAULT_KV_STORE)
            .on(VAULT_KV_STORE.ID.eq(VAULT_KV_ENTRY.STORE_ID))
            .leftJoin(VAULT_KV_BLOB)
            .on(VAULT_KV_BLOB.STORE_ID.eq(VAULT_KV_ENTRY.STORE_ID))
            .and(VAULT_KV_BLOB.ID.eq(VAULT_KV_ENTRY.BLOB_ID))
            .orderBy(VAULT_KV_STORE.NAME, VAULT_KV_ENTRY.KEY));

    private static final SqlText BLOB_CHUNKS = SqlText.of(Sql.dsl()
            .select(VAULT_KV_CHUNK.SEQ, VAULT_KV_CHUNK.DATA, VAULT_KV_CHUNK.CHECKSUM)
            .from(VAULT_KV_CHUNK)
            .where(VAULT_KV_CHUNK.STORE_ID.eq(val((Integer) null, VAULT_KV_CHUNK.STORE_ID)))
            .and(VAULT_KV_CHUNK.BLOB_ID.eq(val((Integer) null, VAULT_KV_CHUNK.BLOB_ID)))
            .orderBy(VAULT_KV_CHUNK.SEQ));

    /** -> how many blobs no entry points at, and their bytes. */
    private static final SqlText ORPHAN_BLOBS = SqlText.of(Sql.dsl()
            .select(DSL.count(), coalesce(sum(VAULT_KV_BLOB.SIZE), inline(java.math.BigDecimal.ZERO)))
            .from(VAULT_KV_BLOB)
            .where(row(VAULT_KV_BLOB.STORE_ID, VAULT_KV_BLOB.ID)
                    .notIn(select(VAULT_KV_ENTRY.STORE_ID, VAULT_KV_ENTRY.BLOB_ID)
                            .from(VAULT_KV_ENTRY)
                            .where(VAULT_KV_ENTRY.BLOB_ID.isNotNull()))));

    /** -> how many blob chunks belong to no blob. */
    private static final SqlText ORPHAN_BLOB_CHUNKS = SqlText.of(Sql.dsl()
            .selectCount()
            .from(VAULT_KV_CHUNK)
            .where(row(VAULT_KV_CHUNK.STORE_ID, VAULT_KV_CHUNK.BLOB_ID)
                    .notIn(select(VAULT_KV_BLOB.STORE_ID, VAULT_KV_BLOB.ID).from(VAULT_KV_BLOB))));

    /** -> how many element chunks belong to no column. */
    private static final SqlText ORPHAN_ELEMENT_CHUNKS = SqlText.of(Sql.dsl()
            .selectCount()
            .from(VAULT_COLUMN_CHUNK)
            .where(VAULT_COLUMN_CHUNK.COLUMN_ID.notIn(select(VAULT_COLUMN.ID).from(VAULT_COLUMN))));

    /** -> how many heap chunks belong to no column. */
    private static final SqlText ORPHAN_HEAP_CHUNKS = SqlText.of(Sql.dsl()
            .selectCount()
            .from(VAULT_COLUMN_HEAP)
            .where(VAULT_COLUMN_HEAP.COLUMN_ID.notIn(select(VAULT_COLUMN.ID).from(VAULT_COLUMN))));

    private static final SqlText COLUMNS = SqlText.of(Sql.dsl()
            .select(VAULT_COLUMN.ID, VAULT_COLUMN.NAME, VAULT_COLUMN.ELEMENT_SIZE, VAULT_COLUMN.LENGTH)
            .from(VAULT_COLUMN)
            .orderBy(VAULT_COLUMN.NAME));

    private static final SqlText ELEMENT_CHUNKS = SqlText.of(Sql.dsl()
            .select(VAULT_COLUMN_CHUNK.SEQ, VAULT_COLUMN_CHUNK.DATA, VAULT_COLUMN_CHUNK.CHECKSUM)
            .from(VAULT_COLUMN_CHUNK)
            .where(VAULT_COLUMN_CHUNK.COLUMN_ID.eq(val((Integer) null, VAULT_COLUMN_CHUNK.COLUMN_ID)))
            .orderBy(VAULT_COLUMN_CHUNK.SEQ));

    private static final SqlText HEAP_CHUNKS = SqlText.of(Sql.dsl()
            .select(VAULT_COLUMN_HEAP.SEQ, VAULT_COLUMN_HEAP.DATA, VAULT_COLUMN_HEAP.CHECKSUM)
            .from(VAULT_COLUMN_HEAP)
            .where(VAULT_COLUMN_HEAP.COLUMN_ID.eq(val((Integer) null, VAULT_COLUMN_HEAP.COLUMN_ID)))
            .orderBy(VAULT_COLUMN_HEAP.SEQ));

    private final Listener listener;
    private long rows;
    private long bytes;
    private long unchecked;
    private long damaged;

    private VaultVerifier(Listener listener) {
        this.listener = listener;
    }

    /**
     * Verifies everything stored in the vault.
     *
     * @param db the vault's database (read-only is enough)
     * @param listener hears of each damaged place and of progress
     * @return what was read and found
     */
    public static Summary verify(Database db, Listener listener) {
        return db.readConsistent(
                c -> new VaultVerifier(listener).run(c),
                () -> "verify vault " + db.options().location());
    }

    private Summary run(VaultConnection c) {
        if (c.dialect() == SQLDialect.SQLITE) { // a server checks its own pages
            section("the file", () -> fileStructure(c));
        }
        section("the key-value entries", () -> entries(c));
        section("the columns", () -> columns(c));
        section("the file", () -> orphans(c));
        return new Summary(rows, bytes, unchecked, damaged);
    }

    private interface Step {
        void run() throws SQLException;
    }

    /** Runs one part; SQLite's own failure to read it (a damaged page) is reported as damage to it. */
    private void section(String what, Step step) {
        try {
            step.run();
        } catch (SQLException e) {
            damage(what, "SQLite cannot read it: " + e.getMessage());
        }
    }

    private void fileStructure(VaultConnection c) throws SQLException {
        try (Statement s = c.jdbc().createStatement();
                ResultSet found = s.executeQuery("PRAGMA quick_check")) {
            while (found.next()) {
                String line = found.getString(1);
                if (!"ok".equals(line)) {
                    damage("the file", line);
                }
            }
        }
    }

    private void entries(VaultConnection c) throws SQLException {
        try (ResultSet e = c.prepared(ENTRIES).executeQuery()) {
            while (e.next()) {
                String store = e.getString(1);
                int storeId = e.getInt(2);
                byte[] key = e.getBytes(3);
                byte[] value = e.getBytes(4);
                long stored = Checksum.read(e, 6);
                String where = "store '" + store + "' key " + KeyCodec.describe(key);
                if (value != null) {
                    count(stored, key.length + value.length);
                    check(where, stored, Checksum.ofInlineEntry(key, value));
                    continue;
                }
                int blobId = e.getInt(5);
                count(stored, key.length);
                check(where, stored, Checksum.ofBlobEntry(key, blobId));
                Object size = e.getObject(7);
                if (size == null) {
                    damage(where, "its chunked value (blob " + blobId + ") is missing");
                    continue;
                }
                blobChunks(c, where, storeId, blobId, e.getLong(7), e.getInt(8));
            }
        }
    }

    private void blobChunks(VaultConnection c, String where, int storeId, int blobId, long size, int chunkCount)
            throws SQLException {
        PreparedStatement s = c.prepared(BLOB_CHUNKS);
        s.setInt(1, storeId);
        s.setInt(2, blobId);
        long total = 0;
        int expected = 0;
        try (ResultSet chunk = s.executeQuery()) {
            while (chunk.next()) {
                int seq = chunk.getInt(1);
                byte[] data = chunk.getBytes(2);
                long stored = Checksum.read(chunk, 3);
                if (seq != expected) {
                    damage(where, "chunk " + expected + " of its value is missing (found chunk " + seq + ")");
                    expected = seq;
                }
                count(stored, data.length);
                check(where + " chunk " + seq, stored, Checksum.ofBlobChunk(blobId, seq, data));
                total += data.length;
                expected++;
            }
        }
        if (expected != chunkCount || total != size) {
            damage(
                    where,
                    "its value should be " + size + " bytes in " + chunkCount + " chunks, but its chunks hold " + total
                            + " bytes in " + expected);
        }
    }

    private void columns(VaultConnection c) throws SQLException {
        record Listed(int id, String name, int elementSize, long length) {}
        java.util.List<Listed> columns = new java.util.ArrayList<>();
        try (ResultSet col = c.prepared(COLUMNS).executeQuery()) {
            while (col.next()) {
                columns.add(new Listed(col.getInt(1), col.getString(2), col.getInt(3), col.getLong(4)));
            }
        }
        for (Listed column : columns) {
            String where = "column '" + column.name() + "'";
            long slotBytes = column.elementSize() == 0 ? INDEX_ENTRY_BYTES : column.elementSize();
            long held = chunks(c, ELEMENT_CHUNKS, column.id(), where + " chunk ");
            if (held != column.length() * slotBytes) {
                damage(
                        where,
                        "its length is " + column.length() + " elements (" + column.length() * slotBytes
                                + " bytes), but its chunks hold " + held + " bytes");
            }
            if (column.elementSize() == 0) {
                chunks(c, HEAP_CHUNKS, column.id(), where + " heap chunk ");
            }
        }
    }

    /** Reports rows that nothing points at: space no value or element uses. */
    private void orphans(VaultConnection c) throws SQLException {
        try (ResultSet found = c.prepared(ORPHAN_BLOBS).executeQuery()) {
            found.next();
            if (found.getLong(1) > 0) {
                damage(
                        "the file",
                        found.getLong(1) + " chunked values (" + found.getLong(2)
                                + " bytes) that no key points at, left behind");
            }
        }
        orphanCount(c, ORPHAN_BLOB_CHUNKS, "chunks of chunked values that are gone");
        orphanCount(c, ORPHAN_ELEMENT_CHUNKS, "element chunks of columns that are gone");
        orphanCount(c, ORPHAN_HEAP_CHUNKS, "heap chunks of columns that are gone");
    }

    private void orphanCount(VaultConnection c, SqlText sql, String what) throws SQLException {
        try (ResultSet found = c.prepared(sql).executeQuery()) {
            found.next();
            if (found.getLong(1) > 0) {
                damage("the file", found.getLong(1) + " " + what + ", left behind");
            }
        }
    }

    /** @return the bytes the chunks hold */
    private long chunks(VaultConnection c, SqlText sql, int columnId, String where) throws SQLException {
        PreparedStatement s = c.prepared(sql);
        s.setInt(1, columnId);
        long held = 0;
        try (ResultSet chunk = s.executeQuery()) {
            while (chunk.next()) {
                int seq = chunk.getInt(1);
                byte[] data = chunk.getBytes(2);
                long stored = Checksum.read(chunk, 3);
                count(stored, data.length);
                check(where + seq, stored, Checksum.ofColumnChunk(seq, data));
                held += data.length;
            }
        }
        return held;
    }

    private void count(long storedChecksum, long rowBytes) {
        rows++;
        bytes += rowBytes;
        if (storedChecksum == 0) {
            unchecked++;
        }
        listener.read(rowBytes);
    }

    private void check(String where, long stored, long computed) {
        if (stored != 0 && stored != computed) {
            damage(
                    where,
                    "checksum mismatch (stored " + Long.toHexString(stored) + ", computed " + Long.toHexString(computed)
                            + ")");
        }
    }

    private void damage(String where, String what) {
        damaged++;
        listener.damaged(where, what);
    }
}
