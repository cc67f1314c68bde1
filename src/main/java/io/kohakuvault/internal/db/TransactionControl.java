package io.kohakuvault.internal.db;

import java.sql.SQLException;

/**
 * How one database's connections begin and end transactions, and what a failure inside one did to
 * it. SQLite takes its write lock with {@code BEGIN IMMEDIATE} and may roll a transaction back by
 * itself after a full disk ({@link SqliteTransactions}); PostgreSQL serialises the vault's writers
 * with a row lock and keeps a transaction usable after a failed statement
 * ({@code io.kohakuvault.internal.postgres.PostgresTransactions}).
 */
public interface TransactionControl {
    /**
     * Begins a transaction that may write, holding the database's write lock from its first
     * statement, so that two writers never interleave and never deadlock on a lock upgrade.
     *
     * @param c a connection with no transaction open
     * @throws SQLException when the database fails or is busy
     */
    void beginWrite(VaultConnection c) throws SQLException;

    /**
     * Begins a transaction that only reads, as one snapshot: no commit lands between its reads.
     *
     * @param c a connection with no transaction open
     * @throws SQLException when the database fails
     */
    void beginRead(VaultConnection c) throws SQLException;

    /**
     * Commits the open transaction.
     *
     * @param c the connection
     * @throws SQLException when the commit fails (it may be busy, and then retried)
     */
    void commit(VaultConnection c) throws SQLException;

    /**
     * Rolls the open transaction back.
     *
     * @param c the connection
     * @throws SQLException when the database fails
     */
    void rollback(VaultConnection c) throws SQLException;

    /**
     * After a statement of the open transaction failed: whether the database ended the whole
     * transaction by itself (or the connection is gone), so that nothing of it can commit any more.
     * If so, the connection is left with no transaction open.
     *
     * @param c the connection
     * @return true when the transaction is gone
     */
    boolean endedByFailure(VaultConnection c);
}
