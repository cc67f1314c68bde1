package io.kohakuvault.internal.kv;

import io.kohakuvault.internal.db.Checksum;
import io.kohakuvault.internal.db.VaultConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 */
final class EntryRows {
    private EntryRows() {}

    /** What to make of a stored entry, once {@link #read} has found it. */
    interface EntryReader<T> {
        /** @return the result for a value stored inline */
        T inline(byte[] value);

        /** @return the result for a chunked value; runs while the entry's read is open (one snapshot) */
        T chunked(VaultConnection conn, int blobId) throws SQLException;
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
            return reader.chunked(conn, blobId);
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
     * Reads the first {@code n} keys of {@code batch} (at most {@link KvSql#KEYS_PER_GET}) in one
     * statement into {@code sink}: one snapshot, chunked values included (they are read while the
     * statement is open).
     */
    static void readMany(
            VaultConnection conn,
            int storeId,
            byte[][] batch,
            int n,
            ChunkedValues chunks,
            Function<byte[], Supplier<String>> what,
            Map<ByteKey, byte[]> sink)
            throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.getMany(n));
        s.setInt(1, storeId);
        for (int i = 0, size = KvSql.getManySize(n); i < size; i++) {
            s.setBytes(2 + i, batch[Math.min(i, n - 1)]);
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
                    value = chunks.readWhole(conn, blobId, read);
                }
                sink.put(new ByteKey(key), value);
            }
        }
        VaultConnection.clearParameters(s);
    }

    /** @return where a written value goes: the entry row of {@code key} */
    static ChunkedValues.Target target(VaultConnection conn, int storeId, byte[] key) {
        return new ChunkedValues.Target() {
            @Override
            public void inline(byte[] value) throws SQLException {
                putInline(conn, storeId, key, value);
            }

            @Override
            public void blob(int blobId) throws SQLException {
                PreparedStatement s = conn.prepared(KvSql.PUT_BLOB);
                s.setInt(1, storeId);
                s.setBytes(2, key);
                s.setInt(3, blobId);
                s.setLong(4, Checksum.ofBlobEntry(key, blobId));
                s.executeUpdate();
            }
        };
    }

    /** Writes {@link KvSql#ROWS_PER_PUT} inline values (keys distinct) in one statement. */
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
        s.executeUpdate();
        s.clearParameters(); // do not keep the values reachable from the cached statement
    }

    /** Stores one inline value, replacing (and freeing) what the key had. */
    static int putInline(VaultConnection conn, int storeId, byte[] key, byte[] value) throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.PUT_INLINE);
        s.setInt(1, storeId);
        s.setBytes(2, key);
        s.setBytes(3, value);
        s.setLong(4, Checksum.ofInlineEntry(key, value));
        return s.executeUpdate();
    }
}
