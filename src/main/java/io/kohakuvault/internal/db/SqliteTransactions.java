package io.kohakuvault.internal.db;

import java.sql.SQLException;

/** SQLite's transaction control: plain statements, prepared once per connection. */
final class SqliteTransactions implements TransactionControl {
    /** The one instance: the class holds no state. */
    static final SqliteTransactions INSTANCE = new SqliteTransactions();

    private SqliteTransactions() {}

    @Override
    public void beginWrite(VaultConnection c) throws SQLException {
        c.prepared(Sql.BEGIN_IMMEDIATE).execute();
    }

    @Override
    public void beginRead(VaultConnection c) throws SQLException {
        c.prepared(Sql.BEGIN_DEFERRED).execute();
    }

    @Override
    public void commit(VaultConnection c) throws SQLException {
        c.prepared(Sql.COMMIT).execute();
    }

    @Override
    public void rollback(VaultConnection c) throws SQLException {
        c.prepared(Sql.ROLLBACK).execute();
    }

    /**
     * SQLite rolls the whole transaction back by itself on SQLITE_FULL, SQLITE_IOERR or
     * SQLITE_NOMEM (for instance when a statement without a statement journal fails); the
     * connection is then back in autocommit mode.
     */
    @Override
    public boolean endedByFailure(VaultConnection c) {
        try {
            // BEGIN fails inside a transaction; if it succeeds, there was none any more.
            c.execute(Sql.BEGIN_DEFERRED);
        } catch (SQLException stillOpen) {
            return false;
        }
        try {
            c.execute(Sql.ROLLBACK);
        } catch (SQLException ignored) {
            // the transaction just begun holds nothing
        }
        return true;
    }
}
