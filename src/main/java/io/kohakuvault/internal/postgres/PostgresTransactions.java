package io.kohakuvault.internal.postgres;

import static io.kohakuvault.internal.schema.Tables.VAULT_META;

import io.kohakuvault.internal.db.Sql;
import io.kohakuvault.internal.db.SqlText;
import io.kohakuvault.internal.db.TransactionControl;
import io.kohakuvault.internal.db.VaultConnection;
import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.impl.DSL;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;

/**
 * PostgreSQL's transaction control, with what the engine relies on from SQLite's:
 *
 * <ul>
 *   <li>One writer at a time: a write transaction's first statement locks the vault's one
 *       {@code vault_meta} row ({@code FOR UPDATE}), as SQLite's {@code BEGIN IMMEDIATE} takes the
 *       file's write lock. Every {@code Vault} on the database, on any machine, then writes one
 *       transaction after another, so a column's append reads the length no other writer is
 *       changing and never loses or duplicates an element, and no two writers deadlock. Reads
 *       never take it.
 *   <li>A failed statement fails the transaction in PostgreSQL: every later statement of it fails
 *       too, until a nested level rolls back to its savepoint or the transaction rolls back. The
 *       engine's own statements do not fail in the normal course (input is checked before it is
 *       written), so this is the path of a lost connection, a full disk or a timeout. Such a
 *       transaction never reports a commit: {@link #commit} refuses it. (The driver's
 *       {@code autosave} would keep it usable, at the price of a savepoint per statement, which
 *       in a large transaction overflows PostgreSQL's cache of subtransactions.)
 *   <li>A snapshot for several reads: {@code REPEATABLE READ, READ ONLY}.
 * </ul>
 *
 * <p>Transactions run in JDBC's manual-commit mode, so the driver sends {@code BEGIN} together
 * with the first statement: a write transaction costs no round trip for its {@code BEGIN}.
 */
public final class PostgresTransactions implements TransactionControl {
    /** The one instance: the class holds no state. */
    public static final PostgresTransactions INSTANCE = new PostgresTransactions();

    /** Takes the vault's write lock: the one row of {@code vault_meta}, until the transaction ends. */
    static final SqlText WRITE_LOCK = SqlText.postgresOnly(Sql.dsl()
            .select(VAULT_META.SCHEMA_VERSION)
            .from(VAULT_META)
            .where(VAULT_META.ID.eq(DSL.inline(1)))
            .forUpdate());

    /** Makes the transaction just begun one snapshot that only reads (transaction control, like BEGIN). */
    private static final String READ_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

    private PostgresTransactions() {}

    @Override
    public void beginWrite(VaultConnection c) throws SQLException {
        begin(c, () -> c.prepared(WRITE_LOCK).executeQuery().close());
    }

    @Override
    public void beginRead(VaultConnection c) throws SQLException {
        begin(c, () -> c.execute(READ_SNAPSHOT));
    }

    /** The first statement of a transaction, which the driver sends with its {@code BEGIN}. */
    @FunctionalInterface
    private interface FirstStatement {
        void run() throws SQLException;
    }

    /** Leaves autocommit mode and runs {@code first}; if it fails, the transaction is rolled back. */
    private void begin(VaultConnection c, FirstStatement first) throws SQLException {
        c.jdbc().setAutoCommit(false);
        try {
            first.run();
        } catch (SQLException | RuntimeException e) {
            try {
                rollback(c);
            } catch (SQLException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /**
     * Commits, unless a statement of the transaction failed: PostgreSQL then answers a
     * {@code COMMIT} with a rollback, which the driver would not report.
     */
    @Override
    public void commit(VaultConnection c) throws SQLException {
        Connection jdbc = c.jdbc();
        if (jdbc.unwrap(BaseConnection.class).getTransactionState() == TransactionState.FAILED) {
            rollback(c);
            throw new SQLException(
                    "a statement of the transaction failed, so PostgreSQL rolled all of it back", "25P02");
        }
        jdbc.commit();
        jdbc.setAutoCommit(true);
    }

    @Override
    public void rollback(VaultConnection c) throws SQLException {
        Connection jdbc = c.jdbc();
        try {
            jdbc.rollback();
        } finally {
            jdbc.setAutoCommit(true);
        }
    }

    /**
     * A transaction whose statement failed stays open, failed, until the level that catches the
     * failure rolls back to its savepoint (which makes it usable again) or rolls all of it back;
     * it has ended only when the connection is gone.
     */
    @Override
    public boolean endedByFailure(VaultConnection c) {
        return c.isLost();
    }
}
