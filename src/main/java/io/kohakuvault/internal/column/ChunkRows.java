package io.kohakuvault.internal.column;

import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.db.Checksum;
import io.kohakuvault.internal.db.VaultConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The rows of one column in one chunk table (element chunks or heap), by chunk number. Every
 * chunk is stored with its {@link Checksum}, and checked whenever it is read whole; a part cut
 * inside SQLite ({@link #loadPart}) cannot be checked without reading the whole chunk.
 */
final class ChunkRows {
    private final ColumnSql.ChunkStatements sql;
    private final int columnId;
    /** Rows written or deleted through this object; only the writer, under its lock, touches it. */
    private long writes;

    private final Supplier<String> what;

    /**
     * @param what names the column, for the message when a chunk is corrupt
     */
    ChunkRows(ColumnSql.ChunkStatements sql, int columnId, Supplier<String> what) {
        this.sql = sql;
        this.columnId = columnId;
        this.what = what;
    }

    /**
     * @return chunk {@code seq}'s data, or null when there is no such chunk
     * @throws VaultIoException when its bytes do not match their checksum
     */
    byte @Nullable [] load(VaultConnection connection, long seq) throws SQLException {
        PreparedStatement load = connection.prepared(sql.load());
        load.setInt(1, columnId);
        load.setLong(2, seq);
        try (ResultSet rows = load.executeQuery()) {
            if (!rows.next()) {
                return null;
            }
            byte[] data = rows.getBytes(1);
            verify(seq, data, Checksum.read(rows, 2));
            return data;
        }
    }

    /**
     * Reads chunks {@code [from, to)} with one cursor.
     *
     * @param each receives each chunk that exists, in order
     * @throws VaultIoException when a chunk's bytes do not match their checksum
     */
    void loadRun(VaultConnection connection, long from, long to, ChunkConsumer each) throws SQLException {
        PreparedStatement load = connection.prepared(sql.loadRun());
        load.setInt(1, columnId);
        load.setLong(2, from);
        load.setLong(3, to);
        try (ResultSet rows = load.executeQuery()) {
            while (rows.next()) {
                long seq = rows.getLong(1);
                byte[] data = rows.getBytes(2);
                verify(seq, data, Checksum.read(rows, 3));
                each.accept(seq, data);
            }
        }
    }

    /** Receives one chunk of a run. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(long seq, byte[] data);
    }

    /** @return {@code length} bytes of chunk {@code seq} from {@code offset}, cut inside SQLite; null when there is no such chunk */
    byte @Nullable [] loadPart(VaultConnection connection, long seq, int offset, int length) throws SQLException {
        PreparedStatement load = connection.prepared(sql.loadPart());
        load.setInt(1, offset + 1);
        load.setInt(2, length);
        load.setInt(3, columnId);
        load.setLong(4, seq);
        try (ResultSet rows = load.executeQuery()) {
            return rows.next() ? rows.getBytes(1) : null;
        }
    }

    /** Writes chunk {@code seq}, replacing it if present. */
    void store(VaultConnection connection, long seq, byte[] data) throws SQLException {
        PreparedStatement store = connection.prepared(sql.store());
        store.setInt(1, columnId);
        store.setLong(2, seq);
        store.setBytes(3, data);
        store.setLong(4, Checksum.ofColumnChunk(seq, data));
        store.executeUpdate();
        writes++;
    }

    private void verify(long seq, byte[] data, long checksum) {
        Checksum.verify(checksum, Checksum.ofColumnChunk(seq, data), () -> what.get() + ", chunk " + seq);
    }

    /** Deletes chunk {@code seq} and every later one. */
    void deleteFrom(VaultConnection connection, long seq) throws SQLException {
        PreparedStatement delete = connection.prepared(sql.deleteFrom());
        delete.setInt(1, columnId);
        delete.setLong(2, seq);
        delete.executeUpdate();
        writes++;
    }

    /** @return how many stores and deletes ran through this object: a write changes it */
    long writes() {
        return writes;
    }

    /**
     * The last chunk of a table.
     *
     * @param seq its number
     * @param bytes its length, in bytes
     */
    record LastChunk(long seq, long bytes) {}

    /** @return the last chunk, or null when the column has no chunk here */
    @Nullable
    LastChunk last(VaultConnection connection) throws SQLException {
        PreparedStatement last = connection.prepared(sql.last());
        last.setInt(1, columnId);
        try (ResultSet rows = last.executeQuery()) {
            return rows.next() ? new LastChunk(rows.getLong(1), rows.getLong(2)) : null;
        }
    }
}
