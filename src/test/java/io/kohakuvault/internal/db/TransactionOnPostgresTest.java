package io.kohakuvault.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.postgres.PostgresConnections;
import io.kohakuvault.internal.postgres.PostgresErrors;
import io.kohakuvault.testing.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Transaction} on a PostgreSQL connection ({@code PostgresTransactions}), where a failed
 * statement fails the whole transaction: a nested level that catches it rolls back to its savepoint
 * and the transaction goes on; a failure the outermost level swallows never reports a commit; a
 * connection the server ends fails the transaction and is replaced at its next use.
 */
class TransactionOnPostgresTest {
    private static final Supplier<String> WHAT = () -> "test";
    private static PostgresServer.Database database;

    private VaultConnection connection;
    private Transaction transaction;
    private final List<String> events = new ArrayList<>();

    @BeforeAll
    static void server() {
        database = PostgresSchemaTest.migrated("txn");
    }

    @BeforeEach
    void open() throws SQLException {
        ServerTarget target = new ServerTarget(database.dataSource(), PostgresSchemaTest.SCHEMA, "test database");
        connection = new PostgresConnections(target).openWriter();
        connection.execute("DROP TABLE IF EXISTS t");
        connection.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)");
        transaction = new Transaction(
                connection,
                new Retry(0, Duration.ofMillis(1), PostgresErrors.INSTANCE),
                false,
                () -> events.add("commit"),
                () -> false);
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void nestedLevelWhoseStatementFails_rollsBackToItsSavepoint_andTheOuterLevelCommits() throws SQLException {
        transaction.run(
                () -> {
                    insert(1);
                    assertThatThrownBy(() -> transaction.run(
                                    () -> {
                                        insert(2);
                                        insert(1); // duplicate key: PostgreSQL fails the transaction
                                        return null;
                                    },
                                    WHAT,
                                    false))
                            .isInstanceOf(KohakuVaultException.class);
                    insert(3); // usable again after the savepoint's rollback
                    return null;
                },
                WHAT,
                true);

        assertThat(events).containsExactly("commit");
        assertThat(rows()).containsExactly(1L, 3L);
    }

    @Test
    void failedStatementSwallowedByTheBlock_isNeverReportedAsCommitted() throws SQLException {
        assertThatThrownBy(() -> transaction.run(
                        () -> {
                            insert(1);
                            try {
                                insert(1);
                            } catch (SQLException swallowed) {
                                // the block goes on as if nothing happened
                            }
                            return null;
                        },
                        WHAT,
                        true))
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining("rolled all of it back");

        assertThat(events).isEmpty();
        assertThat(rows()).isEmpty();
        insert(7); // the connection works on, in autocommit mode
        assertThat(rows()).containsExactly(7L);
    }

    @Test
    void connectionEndedByTheServer_failsTheTransaction_andTheNextUseReconnects() throws SQLException {
        int pid = backendPid();
        assertThatThrownBy(() -> transaction.run(
                        () -> {
                            insert(1);
                            terminate(pid);
                            transaction.statement(
                                    c -> {
                                        insert(2);
                                        return null;
                                    },
                                    WHAT);
                            return null;
                        },
                        WHAT,
                        false))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("connection");

        assertThat(transaction.isOpen()).isFalse();
        assertThat(events).isEmpty();
        assertThat(rows()).isEmpty(); // a new connection, and nothing of the transaction committed
        assertThat(backendPid()).isNotEqualTo(pid);
    }

    private int backendPid() throws SQLException {
        try (ResultSet r = connection.prepared("SELECT pg_backend_pid()").executeQuery()) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection admin = database.connect();
                PreparedStatement s = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
            s.setInt(1, pid);
            s.execute();
        }
    }

    private void insert(long x) throws SQLException {
        connection.execute("INSERT INTO t VALUES (" + x + ")");
    }

    private List<Long> rows() throws SQLException {
        List<Long> xs = new ArrayList<>();
        try (ResultSet rows = connection.prepared("SELECT x FROM t ORDER BY x").executeQuery()) {
            while (rows.next()) {
                xs.add(rows.getLong(1));
            }
        }
        return xs;
    }
}
