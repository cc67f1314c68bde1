package io.kohakuvault.internal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteConnection;

/**
 * {@link Transaction} on its own, over a private in-memory SQLite connection: nesting, the rollback
 * and end hooks, and held-back writes. The vault-level behaviour is in {@code io.kohakuvault.TransactionTest}.
 */
class TransactionUnitTest {
    private static final Supplier<String> WHAT = () -> "test";

    private VaultConnection connection;
    private Transaction transaction;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void open() throws SQLException {
        connection = new VaultConnection(
                (SQLiteConnection) new org.sqlite.JDBC().connect("jdbc:sqlite::memory:", new Properties()));
        connection.takeOverTransactions();
        connection.execute("CREATE TABLE t (x INTEGER)");
        transaction = new Transaction(
                connection,
                new Retry(0, Duration.ofMillis(1), SqliteErrors.INSTANCE),
                false,
                () -> events.add("commit"),
                () -> false);
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void run_nestedLevelFails_runsOnlyItsRollbackHooks_andTheOuterLevelCommits() throws SQLException {
        transaction.run(
                () -> {
                    insert(1);
                    transaction.onRollback(() -> events.add("undo outer"));
                    assertThatThrownBy(() -> transaction.run(
                                    () -> {
                                        insert(2);
                                        transaction.onRollback(() -> events.add("undo inner"));
                                        throw new IllegalStateException("inner fails");
                                    },
                                    WHAT,
                                    true))
                            .hasMessage("inner fails");
                    return null;
                },
                WHAT,
                true);

        assertThat(events).containsExactly("undo inner", "commit");
        assertThat(rows()).containsExactly(1L);
        assertThat(transaction.isOpen()).isFalse();
    }

    @Test
    void run_releasedSavepointsHooks_runWhenTheLevelAroundItRollsBack_notWithALaterSibling() {
        assertThatThrownBy(() -> transaction.run(
                        () -> {
                            transaction.run(
                                    () -> {
                                        transaction.onRollback(() -> events.add("undo released"));
                                        return null;
                                    },
                                    WHAT,
                                    true);
                            assertThatThrownBy(() -> transaction.run(
                                            () -> {
                                                throw new IllegalStateException("sibling fails");
                                            },
                                            WHAT,
                                            true))
                                    .hasMessage("sibling fails");
                            assertThat(events).isEmpty();
                            throw new IllegalStateException("outer fails");
                        },
                        WHAT,
                        true))
                .hasMessage("outer fails");

        assertThat(events).containsExactly("undo released");
    }

    @Test
    void run_endHooks_runOnceWhenTheOutermostLevelEnds_afterTheCommitCallback() {
        transaction.run(
                () -> {
                    transaction.onEnd(() -> events.add("end"));
                    transaction.run(
                            () -> {
                                transaction.onEnd(() -> events.add("end nested"));
                                return null;
                            },
                            WHAT,
                            true);
                    assertThat(events).isEmpty();
                    return null;
                },
                WHAT,
                true);

        assertThat(events).containsExactly("commit", "end", "end nested");
    }

    @Test
    void statement_withHeldBackWrites_writesThemFirst_andARollbackDiscardsTheRest() throws SQLException {
        assertThatThrownBy(() -> transaction.run(
                        () -> {
                            transaction.stage(held(1));
                            long seen = transaction.statement(c -> count(c), WHAT);
                            assertThat(seen).isEqualTo(1);
                            transaction.stage(held(2));
                            throw new IllegalStateException("fails");
                        },
                        WHAT,
                        true))
                .hasMessage("fails");

        assertThat(events).containsExactly("write 1", "discard 2");
        assertThat(rows()).isEmpty();
    }

    private Database.StagedWrites held(long x) {
        return new Database.StagedWrites() {
            @Override
            public void write(VaultConnection writer) throws SQLException {
                events.add("write " + x);
                writer.execute("INSERT INTO t VALUES (" + x + ")");
            }

            @Override
            public void discard() {
                events.add("discard " + x);
            }
        };
    }

    private void insert(long x) throws SQLException {
        connection.execute("INSERT INTO t VALUES (" + x + ")");
    }

    private static long count(VaultConnection c) throws SQLException {
        try (ResultSet rows = c.prepared("SELECT count(*) FROM t").executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
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
