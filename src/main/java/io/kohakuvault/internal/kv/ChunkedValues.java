package io.kohakuvault.internal.kv;

import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.db.Checksum;
import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.VaultConnection;
import java.io.IOException;
import java.io.InputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Values too large for one chunk, stored as a blob row plus chunk rows of {@code chunkSize} bytes
 * (the last one shorter). No chunk is ever near SQLite's per-BLOB limit, so a value may be larger
 * than any one BLOB; it crosses memory one chunk at a time.
 */
final class ChunkedValues {
    /** The largest Java array a value can be read into. */
    static final long MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    /**
     * A blob's size and chunk count.
     *
     * @param size total bytes
     * @param chunkCount number of chunk rows
     */
    record BlobInfo(long size, int chunkCount) {}

    /** Where a written value ends up: the caller's entry row, which frees the blob it replaces. */
    interface Target {
        /** Stores a value that fits one chunk inline. */
        void inline(byte[] value) throws SQLException;

        /** Points the entry at a finished blob. */
        void blob(int blobId) throws SQLException;
    }

    private final Database database;
    private final int chunkSize;

    ChunkedValues(Database database, int chunkSize) {
        this.database = database;
        this.chunkSize = chunkSize;
    }

    /**
     * Reads {@code in} to its end and stores it: inline when it fits one chunk, else as a blob of
     * store {@code storeId}. Runs inside the caller's transaction, which rolls everything back if
     * this throws.
     *
     * @param declaredSize the stream's promised length, or -1
     * @return bytes stored
     * @throws InvalidArgumentException when the stream's length differs from a declared one
     * @throws VaultIoException when reading the stream fails
     */
    long write(
            VaultConnection conn, int storeId, InputStream in, long declaredSize, Supplier<String> what, Target target)
            throws SQLException {
        if (declaredSize >= 0 && declaredSize < chunkSize) {
            // Small and known: read it whole, plus one byte to prove the stream ends there.
            byte[] value = new byte[(int) declaredSize + 1];
            int n = readFully(in, value, what);
            checkLength(declaredSize, n, what);
            target.inline(Arrays.copyOf(value, n));
            return n;
        }
        byte[] first = new byte[chunkSize];
        int n = readFully(in, first, what);
        if (n < chunkSize) {
            checkLength(declaredSize, n, what);
            target.inline(Arrays.copyOf(first, n));
            return n;
        }
        byte[] next = new byte[chunkSize];
        int m = readFully(in, next, what);
        if (m == 0) {
            checkLength(declaredSize, n, what);
            target.inline(first);
            return n;
        }
        PreparedStatement create = conn.prepared(KvSql.CREATE_BLOB);
        create.setInt(1, storeId);
        create.setLong(2, 0);
        create.setInt(3, 0);
        create.executeUpdate();
        int blobId;
        PreparedStatement newest = conn.prepared(KvSql.NEWEST_BLOB_ID);
        newest.setInt(1, storeId);
        try (ResultSet rows = newest.executeQuery()) {
            rows.next();
            blobId = rows.getInt(1);
        }
        PreparedStatement put = conn.prepared(KvSql.PUT_CHUNK);
        try {
            int seq = 0;
            long total = n;
            putChunk(put, storeId, blobId, seq++, first);
            while (m > 0) {
                total += m;
                if (declaredSize >= 0 && total > declaredSize) {
                    throw lengthMismatch(declaredSize, "more", what);
                }
                putChunk(put, storeId, blobId, seq++, m == chunkSize ? next : Arrays.copyOf(next, m));
                m = m == chunkSize ? readFully(in, next, what) : 0;
            }
            checkLength(declaredSize, total, what);
            PreparedStatement finish = conn.prepared(KvSql.FINISH_BLOB);
            finish.setLong(1, total);
            finish.setInt(2, seq);
            finish.setInt(3, storeId);
            finish.setInt(4, blobId);
            finish.executeUpdate();
            target.blob(blobId);
            return total;
        } finally {
            VaultConnection.clearParameters(put); // let go of the chunk buffer
        }
    }

    private static void putChunk(PreparedStatement put, int storeId, int blobId, int seq, byte[] data)
            throws SQLException {
        put.setInt(1, storeId);
        put.setInt(2, blobId);
        put.setInt(3, seq);
        put.setBytes(4, data);
        put.setLong(5, Checksum.ofBlobChunk(blobId, seq, data));
        put.executeUpdate();
    }

    /**
     * Reads a whole blob into one array, on a connection whose read of the entry is still open
     * (so entry and chunks come from one snapshot).
     *
     * @throws InvalidArgumentException when the value is larger than a Java array can hold
     * @throws VaultIoException when chunks are missing (the file is damaged)
     */
    byte[] readWhole(VaultConnection conn, int storeId, int blobId, Supplier<String> what) throws SQLException {
        BlobInfo blob = info(conn, storeId, blobId, what);
        if (blob.size() > MAX_ARRAY_BYTES) {
            throw new InvalidArgumentException(what.get() + ": the value is " + blob.size()
                    + " bytes, too large for one byte[]; use openStream or getToFile");
        }
        byte[] value = new byte[(int) blob.size()];
        int offset = 0;
        PreparedStatement s = conn.prepared(KvSql.CHUNKS);
        s.setInt(1, storeId);
        s.setInt(2, blobId);
        try (ResultSet rows = s.executeQuery()) {
            for (int expected = 0; rows.next(); expected++) {
                int seq = rows.getInt(1);
                byte[] chunk = rows.getBytes(2);
                Checksum.verify(Checksum.read(rows, 3), Checksum.ofBlobChunk(blobId, seq, chunk), what);
                if (seq != expected) {
                    throw damaged(what, "its chunk " + expected + " is missing");
                }
                if (offset + chunk.length > value.length) {
                    throw damaged(what, "its chunks hold more than its size of " + blob.size() + " bytes");
                }
                System.arraycopy(chunk, 0, value, offset, chunk.length);
                offset += chunk.length;
            }
        }
        if (offset != value.length) {
            throw damaged(what, "its chunks hold " + offset + " of its " + blob.size() + " bytes");
        }
        return value;
    }

    /** @return the size and chunk count of a blob of store {@code storeId} */
    BlobInfo info(VaultConnection conn, int storeId, int blobId, Supplier<String> what) throws SQLException {
        PreparedStatement s = conn.prepared(KvSql.BLOB);
        s.setInt(1, storeId);
        s.setInt(2, blobId);
        try (ResultSet rows = s.executeQuery()) {
            if (!rows.next()) {
                throw damaged(what, "its blob " + blobId + " is missing");
            }
            return new BlobInfo(rows.getLong(1), rows.getInt(2));
        }
    }

    /**
     * Reads one chunk in its own read.
     *
     * @return the chunk, or null when the blob was freed since (its key replaced or deleted)
     */
    byte @Nullable [] readChunk(int storeId, int blobId, int seq, Supplier<String> what) {
        return database.read(
                conn -> {
                    PreparedStatement s = conn.prepared(KvSql.CHUNK);
                    s.setInt(1, storeId);
                    s.setInt(2, blobId);
                    s.setInt(3, seq);
                    try (ResultSet rows = s.executeQuery()) {
                        if (!rows.next()) {
                            return null;
                        }
                        byte[] data = rows.getBytes(1);
                        Checksum.verify(Checksum.read(rows, 2), Checksum.ofBlobChunk(blobId, seq, data), what);
                        return data;
                    }
                },
                what);
    }

    private static int readFully(InputStream in, byte[] buffer, Supplier<String> what) {
        try {
            return in.readNBytes(buffer, 0, buffer.length);
        } catch (IOException e) {
            throw new VaultIoException(what.get() + ": reading the input stream failed: " + e.getMessage(), e);
        }
    }

    private static void checkLength(long declaredSize, long actual, Supplier<String> what) {
        if (declaredSize >= 0 && actual != declaredSize) {
            throw lengthMismatch(declaredSize, actual < declaredSize ? "fewer" : "more", what);
        }
    }

    private static InvalidArgumentException lengthMismatch(
            long declaredSize, String moreOrFewer, Supplier<String> what) {
        return new InvalidArgumentException(what.get() + ": the size given was " + declaredSize
                + " bytes but the stream held " + moreOrFewer + "; nothing was stored");
    }

    private static VaultIoException damaged(Supplier<String> what, String detail) {
        return new VaultIoException(what.get() + ": the stored value is damaged: " + detail);
    }
}
