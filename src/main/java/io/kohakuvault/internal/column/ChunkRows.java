package io.kohakuvault.internal.column;

import io.kohakuvault.internal.db.VaultConnection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** The rows of one column in one chunk table (element chunks or heap), by chunk number. */
final class ChunkRows {
    private final ColumnSql.ChunkStatements sql;
    private final int columnId;
    /** Rows written or deleted through this object; only the writer, under its lock, touches it. */
    private long writes;

    ChunkRows(ColumnSql.ChunkStatements sql, int columnId) {
        this.sql = sql;
        this.columnId = columnId;
    }

    /** @return chunk {@code seq}'s data, or null when there is no such chunk */
    byte @Nullable [] load(VaultConnection connection, long seq) throws SQLException {
        PreparedStatement load = connection.prepared(sql.load());
        load.setInt(1, columnId);
        load.setLong(2, seq);
        try (ResultSet rows = load.executeQuery()) {
            return rows.next() ? rows.getBytes(1) : null;
        }
    }

    /**
     * Reads chunks {@code [from, to)} with one cursor.
     *
     * @param each receives each chunk that exists, in order
     */
    void loadRun(VaultConnection connection, long from, long to, ChunkConsumer each) throws SQLException {
        PreparedStatement load = connection.prepared(sql.loadRun());
        load.setInt(1, columnId);
        load.setLong(2, from);
        load.setLong(3, to);
        try (ResultSet rows = load.executeQuery()) {
            while (rows.next()) {
                each.accept(rows.getLong(1), rows.getBytes(2));
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
        store.executeUpdate();
        writes++;
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

    /** @return the last chunk's {seq, byte length}, or null when the column has no chunk here */
    long @Nullable [] last(VaultConnection connection) throws SQLException {
        PreparedStatement last = connection.prepared(sql.last());
        last.setInt(1, columnId);
        try (ResultSet rows = last.executeQuery()) {
            return rows.next() ? new long[] {rows.getLong(1), rows.getLong(2)} : null;
        }
    }
}
