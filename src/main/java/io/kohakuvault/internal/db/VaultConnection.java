package io.kohakuvault.internal.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.jooq.SQLDialect;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;

/**
 * One connection to the vault's database and the prepared statements it has cached. A statement
 * is prepared the first time its SQL is asked for and re-executed after that, so a hot path never
 * prepares. Used by one thread at a time (the {@link Database} sees to that).
 *
 * <p>A server connection can be lost (the server restarted, an administrator ended the session):
 * the statement that finds out fails, {@link #markLost} is called, and the next use opens a new
 * connection through the {@link Reconnect} it was made with. A file's connection is never lost.
 */
public final class VaultConnection implements AutoCloseable {
    /** Opens a replacement for a lost connection, set up as the first one was. */
    @FunctionalInterface
    public interface Reconnect {
        /**
         * @return a new connection, in autocommit mode
         * @throws SQLException when the database cannot be reached
         */
        Connection open() throws SQLException;
    }

    private final SQLDialect dialect;
    private final TransactionControl transactions;
    private final @Nullable Reconnect reconnect;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private Connection connection;
    private boolean lost;

    /** A SQLite connection. */
    VaultConnection(SQLiteConnection connection) {
        this(connection, SQLDialect.SQLITE, SqliteTransactions.INSTANCE, null);
    }

    /**
     * @param connection the JDBC connection, in autocommit mode
     * @param dialect the database it reaches, {@link SQLDialect#SQLITE} or {@link SQLDialect#POSTGRES}
     * @param transactions how its transactions begin and end
     * @param reconnect how to replace it once lost; null when it cannot be lost
     */
    public VaultConnection(
            Connection connection, SQLDialect dialect, TransactionControl transactions, @Nullable Reconnect reconnect) {
        this.connection = connection;
        this.dialect = dialect;
        this.transactions = transactions;
        this.reconnect = reconnect;
    }

    /** @return the database this connection reaches */
    public SQLDialect dialect() {
        return dialect;
    }

    /** @return how this connection's transactions begin and end */
    public TransactionControl transactions() {
        return transactions;
    }

    /**
     * @param text one of the engine's statements
     * @return its prepared statement, in this connection's database's SQL, as {@link #prepared(String)}
     * @throws SQLException when the database cannot prepare it
     */
    public PreparedStatement prepared(SqlText text) throws SQLException {
        return prepared(text.in(dialect));
    }

    /**
     * Returns the cached statement for {@code sql}, preparing it on first use, and again when
     * sqlite-jdbc has finalized it: it does so to a statement whose step failed with an error
     * other than busy, locked, misuse or a constraint (a full disk, an I/O error), and the dead
     * statement would otherwise fail every later call with "statement is not executing".
     *
     * @param sql the statement's text, rendered once from jOOQ's generated classes
     * @return the statement, with its parameters as the last call left them
     * @throws SQLException when the database cannot prepare it, or a lost connection cannot be replaced
     */
    public PreparedStatement prepared(String sql) throws SQLException {
        Connection c = connection();
        PreparedStatement statement = statements.get(sql);
        if (statement == null || (statement instanceof CoreStatement core && core.pointer.isClosed())) {
            statement = c.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /**
     * Forgets a statement's parameters, so that the values bound last are not kept reachable; does
     * nothing to a statement sqlite-jdbc has finalized after a failure (there is nothing to forget,
     * and failing there would hide that failure).
     *
     * @param statement a statement from {@link #prepared}
     * @throws SQLException when the database fails
     */
    public static void clearParameters(PreparedStatement statement) throws SQLException {
        if (!(statement instanceof CoreStatement core && core.pointer.isClosed())) {
            statement.clearParameters();
        }
    }

    /**
     * Runs a statement that returns no rows and is not worth caching: a PRAGMA, transaction control.
     *
     * @param sql the statement
     * @throws SQLException when the database fails
     */
    public void execute(String sql) throws SQLException {
        try (Statement statement = connection().createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Runs a statement that answers one value: a PRAGMA.
     *
     * @param pragma the whole statement
     * @return its first column of its first row, as text; null when it returns no row
     * @throws SQLException when the database fails
     */
    public @Nullable String pragma(String pragma) throws SQLException {
        try (Statement statement = connection().createStatement();
                var rows = statement.executeQuery(pragma)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /**
     * Runs {@code call} in a read transaction ({@link TransactionControl#beginRead}), so that its
     * reads see one snapshot; on failure rolls back and rethrows. Only for a connection with no
     * transaction open.
     */
    <T extends @Nullable Object> T inReadTransaction(SqlCall<T> call) throws SQLException {
        transactions.beginRead(this);
        try {
            T result = call.call(this);
            transactions.commit(this);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                transactions.rollback(this);
            } catch (SQLException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /**
     * @return the JDBC connection underneath, for Flyway, transaction control and tests
     * @throws SQLException when the connection was lost and cannot be replaced
     */
    public Connection jdbc() throws SQLException {
        return connection();
    }

    /**
     * @return the SQLite connection underneath, for what only SQLite has (limits, busy timeout)
     * @throws IllegalStateException when this connection is not SQLite's
     */
    public SQLiteConnection sqlite() {
        if (connection instanceof SQLiteConnection sqlite) {
            return sqlite;
        }
        throw new IllegalStateException("not a SQLite connection: " + dialect);
    }

    /**
     * Notes that the connection is gone: the next use opens a new one (when it was made with a
     * {@link Reconnect}; a file's connection is never lost).
     */
    public void markLost() {
        if (reconnect != null) {
            lost = true;
        }
    }

    /** @return whether the connection was found lost and not replaced yet */
    public boolean isLost() {
        return lost;
    }

    private Connection connection() throws SQLException {
        if (lost && reconnect != null) {
            closeQuietly();
            connection = reconnect.open();
            lost = false;
        }
        return connection;
    }

    /**
     * Closes every cached statement; they are prepared again on next use. Needed before VACUUM,
     * which refuses to run while sqlite-jdbc keeps a finished statement un-reset.
     */
    public void closeStatements() {
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        statements.clear();
    }

    /** Closes every cached statement, then the connection. Failures are ignored: this is cleanup. */
    @Override
    public void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        closeStatements();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }

    /**
     * Takes transaction control away from sqlite-jdbc, so that the vault's own BEGIN IMMEDIATE,
     * COMMIT and ROLLBACK are the only ones. In JDBC's autocommit mode sqlite-jdbc runs an extra
     * {@code begin;} (and {@code commit;}) after every statement that finishes, which costs more
     * than the statement itself on a hot path. So JDBC is put in manual mode, and the transaction
     * that starts is ended at once: SQLite is back in its own autocommit mode, where a single
     * statement commits as it finishes, and sqlite-jdbc no longer interferes.
     *
     * @throws SQLException when SQLite fails
     */
    void takeOverTransactions() throws SQLException {
        connection.setAutoCommit(false);
        execute(Sql.COMMIT);
    }
}
