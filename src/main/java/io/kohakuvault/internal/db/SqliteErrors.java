package io.kohakuvault.internal.db;

import io.kohakuvault.DatabaseBusyException;
import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The one place where a {@link SQLException} becomes a KohakuVault exception. No
 * {@code SQLException} leaves the library any other way.
 */
public final class SqliteErrors implements DatabaseErrors {
    /** The one instance: the class holds no state. */
    public static final SqliteErrors INSTANCE = new SqliteErrors();

    private SqliteErrors() {}

    /**
     * Translates a SQLite failure into the matching public exception.
     *
     * @param e the failure
     * @param context what was being done and with what, e.g. {@code "put key 'a' in store 'kvault' of data.db"}
     * @return the exception to throw (the caller throws it)
     */
    @Override
    public KohakuVaultException translate(SQLException e, String context) {
        int code = primaryCode(e);
        String reason = e.getMessage() == null ? "" : e.getMessage();
        String message = context + ": " + reason;
        if (code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code) {
            return new DatabaseBusyException(message, e);
        }
        if (code == SQLiteErrorCode.SQLITE_FULL.code) {
            return new VaultIoException(context + ": the disk or the database is full (" + reason + ")", e);
        }
        if (code == SQLiteErrorCode.SQLITE_NOTADB.code) {
            return new VaultIoException(context + ": the file is not a SQLite database (" + reason + ")", e);
        }
        if (code == SQLiteErrorCode.SQLITE_CORRUPT.code) {
            return new VaultIoException(context + ": the database file is corrupt (" + reason + ")", e);
        }
        if (code == SQLiteErrorCode.SQLITE_IOERR.code || code == SQLiteErrorCode.SQLITE_CANTOPEN.code) {
            return new VaultIoException(message, e);
        }
        if (code == SQLiteErrorCode.SQLITE_TOOBIG.code) {
            return new InvalidArgumentException(context + ": the value is too big for SQLite (" + reason + ")", e);
        }
        return new KohakuVaultException(message, e);
    }

    /**
     * Tells whether a failure means another connection holds a lock; such a failure changed
     * nothing and the statement may be retried.
     *
     * @param e the failure
     * @return true for SQLITE_BUSY and SQLITE_LOCKED, with any extended code
     */
    @Override
    public boolean isBusy(SQLException e) {
        int code = primaryCode(e);
        return code == SQLiteErrorCode.SQLITE_BUSY.code || code == SQLiteErrorCode.SQLITE_LOCKED.code;
    }

    /**
     * Tells whether a failure is a statement naming a table the file does not have.
     *
     * @param e the failure
     * @return true for SQLite's "no such table" error
     */
    @Override
    public boolean isMissingTable(SQLException e) {
        return primaryCode(e) == SQLiteErrorCode.SQLITE_ERROR.code
                && e.getMessage() != null
                && e.getMessage().contains("no such table");
    }

    /**
     * @param e a failure of a statement
     * @return false: a SQLite connection is a file handle in this process, never lost by a network
     */
    @Override
    public boolean isConnectionLost(SQLException e) {
        return false;
    }

    private static int primaryCode(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return sqlite.getResultCode().code & 0xff;
        }
        // A few sqlite-jdbc paths throw a plain SQLException whose message starts "[SQLITE_BUSY]".
        String m = e.getMessage();
        if (m != null && m.startsWith("[SQLITE_")) {
            int end = m.indexOf(']');
            if (end > 0) {
                String name = m.substring(1, end);
                for (SQLiteErrorCode c : SQLiteErrorCode.values()) {
                    if (c.name().equals(name)) {
                        return c.code & 0xff;
                    }
                }
            }
        }
        return e.getErrorCode() & 0xff;
    }
}
