package io.kohakuvault.internal.kv;

import io.kohakuvault.internal.db.Checksum;
import io.kohakuvault.internal.db.SqlText;
import io.kohakuvault.internal.db.VaultConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The statements that read and write the rows of {@code vault_kv_entry}, each on a connection the
 * caller holds (inside whatever transaction or snapshot it has open), with the checksum of every
 * row written and checked. No policy: which connection, which cache, when to write is
 * {@link KvStore}'s.
 *
 * <p>A write that replaces or deletes a chunked value frees its blob (chunks and row) here, in the
 * caller's transaction: the schema has no trigger to do it (docs/FORMAT.md says why). The common
 * writes stay one statement: {@link KvSql#PUT_INLINE} and {@link KvSql#DELETE_INLINE} only touch a
 * key that is absent or inline, and say by their row count when the key held a chunked value, which
 * then takes the longer way ({@link #remove} and a second put), in a transaction.
 */
final class EntryRows {
    private EntryRows() {}

    /** What to make of a stored entry, once {@link #read} has found it. */
    interface EntryReader<T> {
        /** @return the result for a value stored inline */
        T inline(byte[] value);

        /** @return the result for a chunked value; runs while the entry's read is open (one snapshot) */
        T chunked(VaultConnection conn, int storeId, int blobId) throws SQLException;
    }

    /** @return what {@code reader} makes of the stored entry of {@code key}, or null when it is absent */
    static <T> @Nullable T read(
            VaultConnection conn, int storeId, byte[] key, Supplier<String> what, EntryReader<T> reader)
            throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.GET);
        s.setInt(1, storeId);
        s.setBytes(2, key);
        try (ResultSet rows = s.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            byte[] inline = rows.getBytes(1);
            long checksum = Checksum.read(rows, 2);
            if (inline != null) {
                Checksum.verify(checksum, Checksum.ofInlineEntry(key, inline), what);
                return reader.inline(inline);
            }
            int blobId = blobId(conn, storeId, key);
            Checksum.verify(checksum, Checksum.ofBlobEntry(key, blobId), what);
            // A chunked value is read while the row's statement is open: entry and chunks come from one snapshot.
            return reader.chunked(conn, storeId, blobId);
        }
    }

    /** @return the blob id of a chunked value, on a connection that just found its entry */
    private static int blobId(VaultConnection conn, int storeId, byte[] key) throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.BLOB_ID);
        s.setInt(1, storeId);
        s.setBytes(2, key);
        try (ResultSet rows = s.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * Reads the {@code n} keys of {@code keys} from {@code from} (at most {@link KvSql#KEYS_PER_GET}) in one
     * statement into {@code sink}: one snapshot, chunked values included (they are read while the
     * statement is open).
     */
    static void readMany(
            VaultConnection conn,
            int storeId,
            byte[][] keys,
            int from,
            int n,
            ChunkedValues chunks,
            Function<byte[], Supplier<String>> what,
            Map<ByteKey, byte[]> sink)
            throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.getMany(n));
        s.setInt(1, storeId);
        for (int i = 0, size = KvSql.getManySize(n); i < size; i++) {
            s.setBytes(2 + i, keys[from + Math.min(i, n - 1)]);
        }
        try (ResultSet rows = s.executeQuery()) {
            while (rows.next()) {
                byte[] key = rows.getBytes(1);
                byte[] value = rows.getBytes(2);
                long checksum = Checksum.read(rows, 3);
                Supplier<String> read = what.apply(key);
                if (value != null) {
                    Checksum.verify(checksum, Checksum.ofInlineEntry(key, value), read);
                } else {
                    int blobId = rows.getInt(4);
                    Checksum.verify(checksum, Checksum.ofBlobEntry(key, blobId), read);
                    value = chunks.readWhole(conn, storeId, blobId, read);
                }
                sink.put(new ByteKey(key), value);
            }
        }
        VaultConnection.clearParameters(s);
    }

    /**
     * @return where a written value goes: the entry row of {@code key}, whose old chunked value (if
     *     any) is freed; call inside a transaction
     */
    static ChunkedValues.Target target(VaultConnection conn, int storeId, byte[] key) {
        return new ChunkedValues.Target() {
            @Override
            public void inline(byte[] value) throws SQLException {
                putInlineReplacing(conn, storeId, key, value);
            }

            @Override
            public void blob(int blobId) throws SQLException {
                if (!putBlob(conn, storeId, key, blobId)) {
                    remove(conn, storeId, key);
                    putBlob(conn, storeId, key, blobId);
                }
            }
        };
    }

    /** @return false when the key holds a chunked value: nothing was written */
    private static boolean putBlob(VaultConnection conn, int storeId, byte[] key, int blobId) throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.PUT_BLOB);
        s.setInt(1, storeId);
        s.setBytes(2, key);
        s.setInt(3, blobId);
        s.setLong(4, Checksum.ofBlobEntry(key, blobId));
        return s.executeUpdate() > 0;
    }

    /**
     * Writes {@link KvSql#ROWS_PER_PUT} inline values (keys distinct) in one statement; keys that
     * held a chunked value, which that statement leaves alone, are then replaced one by one and
     * their blobs freed. Call inside a transaction.
     */
    static void putInlineRows(VaultConnection conn, int storeId, List<WriteBackCache.Pending> rows)
            throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.PUT_INLINE_ROWS);
        int p = 1;
        for (WriteBackCache.Pending w : rows) {
            s.setInt(p++, storeId);
            s.setBytes(p++, w.key());
            // The caller passes puts only: their values are not null.
            byte[] value = Objects.requireNonNull(w.value());
            s.setBytes(p++, value);
            s.setLong(p++, Checksum.ofInlineEntry(w.key(), value));
        }
        int written = s.executeUpdate();
        s.clearParameters(); // do not keep the values reachable from the cached statement
        if (written < rows.size()) {
            replaceChunked(conn, storeId, rows);
        }
    }

    /** Replaces the values of those of {@code rows} whose keys hold a chunked value. */
    private static void replaceChunked(VaultConnection conn, int storeId, List<WriteBackCache.Pending> rows)
            throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.CHUNKED_AMONG);
        s.setInt(1, storeId);
        for (int i = 0; i < KvSql.ROWS_PER_PUT; i++) {
            s.setBytes(2 + i, rows.get(Math.min(i, rows.size() - 1)).key());
        }
        List<byte[]> chunked = new ArrayList<>();
        try (ResultSet found = s.executeQuery()) {
            while (found.next()) {
                chunked.add(found.getBytes(1));
            }
        }
        VaultConnection.clearParameters(s);
        for (byte[] key : chunked) {
            for (WriteBackCache.Pending w : rows) {
                if (Arrays.equals(w.key(), key)) {
                    remove(conn, storeId, key);
                    putInline(conn, storeId, key, Objects.requireNonNull(w.value()));
                    break;
                }
            }
        }
    }

    /**
     * Stores one inline value where the key is absent or holds an inline value, in one statement.
     *
     * @return false when the key holds a chunked value: nothing was written, and the caller replaces
     *     it with {@link #putInlineReplacing} in a transaction
     */
    static boolean putInline(VaultConnection conn, int storeId, byte[] key, byte[] value) throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.PUT_INLINE);
        s.setInt(1, storeId);
        s.setBytes(2, key);
        s.setBytes(3, value);
        s.setLong(4, Checksum.ofInlineEntry(key, value));
        return s.executeUpdate() > 0;
    }

    /** Stores one inline value whatever the key held, freeing an old chunked value. Call inside a transaction. */
    static void putInlineReplacing(VaultConnection conn, int storeId, byte[] key, byte[] value) throws SQLException {
        if (!putInline(conn, storeId, key, value)) {
            remove(conn, storeId, key);
            putInline(conn, storeId, key, value);
        }
    }

    /** What {@link #deleteInline} found. */
    enum Deleted {
        /** The key held an inline value, now deleted. */
        DELETED,
        /** The key was absent. */
        ABSENT,
        /** The key held a chunked value, left as it was: {@link #remove} it in a transaction. */
        CHUNKED
    }

    /**
     * Deletes {@code key} when its value is inline: one statement, which can run on its own (in
     * autocommit mode). Tells an absent key from a chunked one by one more read.
     *
     * @return what the key held
     */
    static Deleted deleteInline(VaultConnection conn, int storeId, byte[] key) throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.DELETE_INLINE);
        s.setInt(1, storeId);
        s.setBytes(2, key);
        if (s.executeUpdate() > 0) {
            return Deleted.DELETED;
        }
        PreparedStatement probe = conn.prepared(KvSql.EXISTS);
        probe.setInt(1, storeId);
        probe.setBytes(2, key);
        try (ResultSet rows = probe.executeQuery()) {
            // present: chunked, or put again meanwhile by another connection; remove() settles either
            return rows.next() ? Deleted.CHUNKED : Deleted.ABSENT;
        }
    }

    /**
     * Deletes {@code key} whatever its value, and frees its blob when it was chunked. Call inside a
     * transaction, so that entry and blob go together.
     *
     * @return whether the key existed
     */
    static boolean remove(VaultConnection conn, int storeId, byte[] key) throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.REMOVE);
        s.setInt(1, storeId);
        s.setBytes(2, key);
        int blobId;
        try (ResultSet rows = s.executeQuery()) {
            if (!rows.next()) {
                return false;
            }
            blobId = rows.getInt(1);
            if (rows.wasNull()) {
                return true;
            }
        }
        freeBlob(conn, storeId, blobId);
        return true;
    }

    /** Deletes a blob's chunks and its row. Call inside the transaction that orphaned it. */
    static void freeBlob(VaultConnection conn, int storeId, int blobId) throws SQLException {
        PreparedStatement chunks = conn.prepared(KvSql.FREE_CHUNKS);
        chunks.setInt(1, storeId);
        chunks.setInt(2, blobId);
        chunks.executeUpdate();
        PreparedStatement blob = conn.prepared(KvSql.FREE_BLOB);
        blob.setInt(1, storeId);
        blob.setInt(2, blobId);
        blob.executeUpdate();
    }

    /**
     * Deletes every key of a store, with its blobs and chunks. Call inside a transaction.
     *
     * @return how many keys there were
     */
    static int clear(VaultConnection conn, int storeId) throws SQLException {
        for (SqlText sql : new SqlText[] {KvSql.CLEAR_CHUNKS, KvSql.CLEAR_BLOBS}) {
            PreparedStatement s = conn.prepared(sql);
            s.setInt(1, storeId);
            s.executeUpdate();
        }
        PreparedStatement s = conn.prepared(KvSql.CLEAR);
        s.setInt(1, storeId);
        return s.executeUpdate();
    }
}
