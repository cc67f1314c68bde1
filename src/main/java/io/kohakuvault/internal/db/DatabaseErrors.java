package io.kohakuvault.internal.db;

import io.kohakuvault.KohakuVaultException;
import java.sql.SQLException;

/**
 * What one database's failures mean to the engine: which are worth retrying, which say the table
 * is missing or the connection is gone, and which of the vault's exceptions each becomes. SQLite
 * tells them by result codes ({@link SqliteErrors}), PostgreSQL by SQLSTATE
 * ({@code io.kohakuvault.internal.postgres.PostgresErrors}).
 */
public interface DatabaseErrors {
    /**
     * @param e a failure of a statement
     * @param context what was being done, for the message
     * @return the vault's exception for it: {@code DatabaseBusyException}, {@code VaultIoException},
     *     {@code InvalidArgumentException}, or {@code KohakuVaultException} for the rest
     */
    KohakuVaultException translate(SQLException e, String context);

    /**
     * @param e a failure of a statement
     * @return whether the statement failed only because others held the database (locked, busy,
     *     a serialization failure or a deadlock): it changed nothing, and may be run again after a pause
     */
    boolean isBusy(SQLException e);

    /**
     * @param e a failure of a statement
     * @return whether it failed because a table it names does not exist
     */
    boolean isMissingTable(SQLException e);

    /**
     * @param e a failure of a statement
     * @return whether the connection is gone (closed by the server, the network, an administrator):
     *     the call that saw it fails, and the next one needs a new connection
     */
    boolean isConnectionLost(SQLException e);
}
