package io.kohakuvault.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The baseline: plain sqlite-jdbc on one connection with reused statements, the vault's PRAGMAs
 * ({@link Pragmas}), and the natural table {@code kv(k BLOB PRIMARY KEY, v BLOB)} (optionally
 * {@code WITHOUT ROWID}). Keys are bound as their UTF-8 bytes, encoded per call as the vault does.
 */
final class RawSqlite {
    static final String SELECT = "SELECT v FROM kv WHERE k = ?";
    static final String UPSERT = "INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)";
    private static final int BATCH = 1000;

    private RawSqlite() {}

    static String label(boolean withoutRowid) {
        return withoutRowid ? "raw sqlite-jdbc, WITHOUT ROWID" : "raw sqlite-jdbc";
    }

    static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            Pragmas.apply(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    static Connection create(Path file, boolean withoutRowid) throws SQLException {
        Connection c = connect(file);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kv (k BLOB PRIMARY KEY, v BLOB)" + (withoutRowid ? " WITHOUT ROWID" : ""));
        }
        return c;
    }

    /** Inserts {@code keys[0..n)} in one transaction with batches of reused statements. */
    static void insertBatched(Connection c, BenchData data, int n) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            for (int i = 0; i < n; i++) {
                s.setBytes(1, BenchData.utf8(data.keys[i]));
                s.setBytes(2, data.value(i));
                s.addBatch();
                if ((i + 1) % BATCH == 0) {
                    s.executeBatch();
                }
            }
            s.executeBatch();
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT count(*) FROM kv")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static void checkpoint(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
    }

    static void expectCount(Connection c, long expected) throws SQLException {
        long n = count(c);
        if (n != expected) {
            throw new IllegalStateException("raw table holds " + n + " rows, expected " + expected);
        }
    }

    /** Random point gets: {@code SELECT v FROM kv WHERE k = ?} on one reused statement. */
    static Case gets(TempFiles tmp, BenchData data, int n, boolean withoutRowid) {
        return new Case(label(withoutRowid)) {
            private Path dir;
            private Connection conn;
            private PreparedStatement select;
            private int[] order;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("raw-get");
                conn = create(dir.resolve("raw.db"), withoutRowid);
                insertBatched(conn, data, n);
                checkpoint(conn);
                select = conn.prepareStatement(SELECT);
            }

            @Override
            void setUp(int round) {
                order = data.permutation(round, n);
            }

            @Override
            long run() throws SQLException {
                String[] keys = data.keys;
                for (int i : order) {
                    select.setBytes(1, BenchData.utf8(keys[i]));
                    try (ResultSet rows = select.executeQuery()) {
                        consume(rows.next() ? rows.getBytes(1) : null);
                    }
                }
                return order.length;
            }

            @Override
            void dispose() throws Exception {
                conn.close();
                TempFiles.delete(dir);
            }
        };
    }

    /** Inserts {@code keys[0..n)} in one transaction, one {@code executeUpdate} per row on a reused statement. */
    static void insertPerRow(Connection c, BenchData data, int n) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement(UPSERT)) {
            for (int i = 0; i < n; i++) {
                s.setBytes(1, BenchData.utf8(data.keys[i]));
                s.setBytes(2, data.value(i));
                s.executeUpdate();
            }
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    /**
     * Bulk puts in one transaction on a fresh file per sample: {@code INSERT OR REPLACE} batched
     * 1000 at a time ({@code addBatch/executeBatch}, the baseline), or, for comparison, one
     * {@code executeUpdate} per row.
     */
    static Case bulkPuts(TempFiles tmp, BenchData data, int n, boolean withoutRowid, boolean batched) {
        String how = batched ? ", batched INSERT in 1 tx" : ", INSERT per row (no batch) in 1 tx";
        return new Case(label(withoutRowid) + how) {
            private Path dir;
            private Connection conn;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("raw-bulk");
                conn = create(dir.resolve("raw.db"), withoutRowid);
            }

            @Override
            long run() throws SQLException {
                if (batched) {
                    insertBatched(conn, data, n);
                } else {
                    insertPerRow(conn, data, n);
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                try {
                    expectCount(conn, n);
                } finally {
                    conn.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /** Autocommit puts: each {@code INSERT OR REPLACE} its own commit, one reused statement. */
    static Case autocommitPuts(TempFiles tmp, BenchData data, int n, boolean withoutRowid) {
        return new Case(label(withoutRowid) + ", autocommit INSERT") {
            private Path dir;
            private Connection conn;
            private PreparedStatement upsert;

            @Override
            void setUp(int round) throws Exception {
                dir = tmp.newDir("raw-auto");
                conn = create(dir.resolve("raw.db"), withoutRowid);
                upsert = conn.prepareStatement(UPSERT);
            }

            @Override
            long run() throws SQLException {
                String[] keys = data.keys;
                for (int i = 0; i < n; i++) {
                    upsert.setBytes(1, BenchData.utf8(keys[i]));
                    upsert.setBytes(2, data.value(i));
                    upsert.executeUpdate();
                }
                return n;
            }

            @Override
            void tearDown() throws Exception {
                try {
                    upsert.close();
                    expectCount(conn, n);
                } finally {
                    conn.close();
                    TempFiles.delete(dir);
                }
            }
        };
    }

    /**
     * Cold open of an existing file: {@code DriverManager.getConnection}, the vault's PRAGMAs, one
     * prepared {@code SELECT}, close.
     */
    static Case reopen(TempFiles tmp, BenchData data, int stored, int n) {
        return new Case("raw sqlite-jdbc: connect + PRAGMAs + SELECT + close") {
            private Path dir;
            private Path file;

            @Override
            void prepare() throws Exception {
                dir = tmp.newDir("raw-open");
                file = dir.resolve("raw.db");
                try (Connection c = create(file, false)) {
                    insertBatched(c, data, stored);
                }
            }

            @Override
            long run() throws SQLException {
                for (int i = 0; i < n; i++) {
                    try (Connection c = connect(file);
                            PreparedStatement s = c.prepareStatement(SELECT)) {
                        s.setBytes(1, BenchData.utf8(data.keys[i % stored]));
                        try (ResultSet rows = s.executeQuery()) {
                            consume(rows.next() ? rows.getBytes(1) : null);
                        }
                    }
                }
                return n;
            }

            @Override
            void dispose() {
                TempFiles.delete(dir);
            }
        };
    }

    /** @return the SQLite version sqlite-jdbc runs */
    static String sqliteVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT sqlite_version()")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
