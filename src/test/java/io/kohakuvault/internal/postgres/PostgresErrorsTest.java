package io.kohakuvault.internal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kohakuvault.DatabaseBusyException;
import io.kohakuvault.VaultIoException;
import io.kohakuvault.testing.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresErrors} on the failures a real PostgreSQL server raises: a lock timeout, a
 * serialization failure and a deadlock are busy (retried, then {@link DatabaseBusyException}); a
 * session ended by {@code pg_terminate_backend} is a lost connection; a missing table is one.
 */
class PostgresErrorsTest {
    private static PostgresServer.Database database;
    private final PostgresErrors errors = PostgresErrors.INSTANCE;

    @BeforeAll
    static void table() throws SQLException {
        database = PostgresServer.get().newDatabase(PostgresErrorsTest.class.getSimpleName());
        try (Connection c = database.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)");
            s.execute("INSERT INTO t VALUES (1, 0), (2, 0)");
        }
    }

    @Test
    void lockTimeout_isBusy() throws SQLException {
        try (Connection holder = database.connect();
                Connection waiter = database.connect()) {
            holder.setAutoCommit(false);
            update(holder, 1);
            waiter.setAutoCommit(false);
            try (Statement s = waiter.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '50ms'");
            }
            SQLException e = catchThrowableOfType(SQLException.class, () -> update(waiter, 1));
            assertThat(e.getSQLState()).isEqualTo("55P03");
            assertThat(errors.isBusy(e)).isTrue();
            assertThat(errors.translate(e, "put k")).isInstanceOf(DatabaseBusyException.class);
            waiter.rollback();
            holder.rollback();
        }
    }

    @Test
    void serializationFailure_isBusy() throws SQLException {
        try (Connection a = database.connect();
                Connection b = database.connect()) {
            for (Connection c : new Connection[] {a, b}) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                read(c); // takes the snapshot
            }
            update(a, 2);
            a.commit();
            SQLException e = catchThrowableOfType(SQLException.class, () -> update(b, 2));
            assertThat(e.getSQLState()).isEqualTo("40001");
            assertThat(errors.isBusy(e)).isTrue();
            b.rollback();
        }
    }

    @Test
    void deadlock_isBusy() throws Exception {
        try (Connection a = database.connect();
                Connection b = database.connect()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            update(a, 1);
            update(b, 2);
            CompletableFuture<SQLException> first = CompletableFuture.supplyAsync(() -> failureOf(a, 2));
            SQLException second = failureOf(b, 1);
            SQLException other = first.get(30, TimeUnit.SECONDS);
            SQLException deadlock = second != null ? second : other;
            assertThat((Throwable) deadlock).isNotNull();
            assertThat(deadlock.getSQLState()).isEqualTo("40P01");
            assertThat(errors.isBusy(deadlock)).isTrue();
            a.rollback();
            b.rollback();
        }
    }

    @Test
    void terminatedSession_isALostConnection_notBusy() throws SQLException {
        try (Connection victim = database.connect();
                Connection admin = PostgresServer.get().connectAdmin()) {
            int pid;
            try (Statement s = victim.createStatement();
                    ResultSet rows = s.executeQuery("SELECT pg_backend_pid()")) {
                rows.next();
                pid = rows.getInt(1);
            }
            try (PreparedStatement s = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
                s.setInt(1, pid);
                s.execute();
            }
            SQLException e = catchThrowableOfType(SQLException.class, () -> read(victim));
            assertThat(errors.isConnectionLost(e)).as(e.getSQLState()).isTrue();
            assertThat(errors.isBusy(e)).isFalse();
            assertThat(errors.translate(e, "get k"))
                    .isInstanceOf(VaultIoException.class)
                    .hasMessageContaining("get k")
                    .hasMessageContaining("connection");
        }
    }

    @Test
    void missingTable_isTold() throws SQLException {
        try (Connection c = database.connect();
                Statement s = c.createStatement()) {
            SQLException e = catchThrowableOfType(SQLException.class, () -> s.executeQuery("SELECT * FROM vault_meta"));
            assertThat(errors.isMissingTable(e)).isTrue();
            assertThat(errors.isBusy(e)).isFalse();
            assertThat(errors.isConnectionLost(e)).isFalse();
        }
    }

    private static void update(Connection c, int id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE t SET v = v + 1 WHERE id = ?")) {
            s.setInt(1, id);
            s.executeUpdate();
        }
    }

    private static void read(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT sum(v) FROM t")) {
            rows.next();
        }
    }

    /** @return the failure of updating row {@code id} on {@code c}, or null when it succeeded */
    private static SQLException failureOf(Connection c, int id) {
        try {
            update(c, id);
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
