package io.kohakuvault.internal.db;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConnection;
import org.sqlite.core.CoreStatement;

/**
 * One SQLite connection and the prepared statements it has cached. A statement is prepared the
 * first time its SQL is asked for and re-executed after that, so a hot path never prepares.
 * Used by one thread at a time (the {@link Database} sees to that).
 */
public final class VaultConnection implements AutoCloseable {
    private final SQLiteConnection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    VaultConnection(SQLiteConnection connection) {
        this.connection = connection;
    }

    /**
     * @param text one of the engine's statements
     * @return its prepared statement for this connection's database, as {@link #prepared(String)}
     * @throws SQLException when SQLite cannot prepare it
     */
    public PreparedStatement prepared(SqlText text) throws SQLException {
        return prepared(text.sqlite());
    }

    /**
     * Returns the cached statement for {@code sql}, preparing it on first use, and again when
     * sqlite-jdbc has finalized it: it does so to a statement whose step failed with an error
     * other than busy, locked, misuse or a constraint (a full disk, an I/O error), and the dead
     * statement would otherwise fail every later call with "statement is not executing".
     *
     * @param sql the statement's text, rendered once from jOOQ's generated classes
     * @return the statement, with its parameters as the last call left them
     * @throws SQLException when SQLite cannot prepare it
     */
    public PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null || ((CoreStatement) statement).pointer.isClosed()) {
            statement = connection.prepareStatement(sql);
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
     * @throws SQLException when SQLite fails
     */
    public static void clearParameters(PreparedStatement statement) throws SQLException {
        if (!((CoreStatement) statement).pointer.isClosed()) {
            statement.clearParameters();
        }
    }

    /**
     * Runs a statement that returns no rows and is not worth caching: a PRAGMA, transaction control.
     *
     * @param sql the statement
     * @throws SQLException when SQLite fails
     */
    public void execute(String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * Runs a PRAGMA that answers one value.
     *
     * @param pragma the whole PRAGMA statement
     * @return its first column of its first row, as text; null when it returns no row
     * @throws SQLException when SQLite fails
     */
    public @Nullable String pragma(String pragma) throws SQLException {
        try (Statement statement = connection.createStatement();
                var rows = statement.executeQuery(pragma)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    /**
     * Runs {@code call} between {@code BEGIN DEFERRED} and {@code COMMIT}, so that its reads see
     * one snapshot; on failure rolls back and rethrows. Only for a connection with no transaction open.
     */
    <T extends @Nullable Object> T inReadTransaction(SqlCall<T> call) throws SQLException {
        prepared(Sql.BEGIN_DEFERRED).execute();
        try {
            T result = call.call(this);
            prepared(Sql.COMMIT).execute();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                prepared(Sql.ROLLBACK).execute();
            } catch (SQLException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** @return the JDBC connection underneath, for Flyway and for tests that tune SQLite limits */
    public SQLiteConnection jdbc() {
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
