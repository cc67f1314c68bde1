package io.kohakuvault.internal.postgres;

import io.kohakuvault.DatabaseBusyException;
import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.db.DatabaseErrors;
import java.sql.SQLException;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What PostgreSQL's failures mean to the engine, by SQLSTATE (the PostgreSQL manual's appendix
 * "PostgreSQL Error Codes"), never by message text: the driver's messages are translated into the
 * server's locale. The driver's messages hold no password; the vault adds none.
 */
public final class PostgresErrors implements DatabaseErrors {
    /** The one instance: the class holds no state. */
    public static final PostgresErrors INSTANCE = new PostgresErrors();

    /**
     * Failures that changed nothing and may pass on a retry: serialization_failure, deadlock_detected
     * (PostgreSQL rolled the transaction back), lock_not_available (a lock_timeout or NOWAIT).
     */
    private static final Set<String> BUSY = Set.of("40001", "40P01", "55P03");

    /**
     * The connection is gone: class 08 (connection exception), and the server ending the session:
     * admin_shutdown (also pg_terminate_backend), crash_shutdown, cannot_connect_now.
     */
    private static final Set<String> SESSION_ENDED = Set.of("57P01", "57P02", "57P03");

    private PostgresErrors() {}

    @Override
    public KohakuVaultException translate(SQLException e, String context) {
        String state = state(e);
        String reason = e.getMessage() == null ? "" : e.getMessage();
        if (BUSY.contains(state)) {
            return new DatabaseBusyException(context + ": " + reason, e);
        }
        if (isConnectionLost(e)) {
            return new VaultIoException(context + ": the connection to the database was lost (" + reason + ")", e);
        }
        if (state.startsWith("53")) { // insufficient resources: disk full, out of memory, too many connections
            return new VaultIoException(context + ": the database is out of resources (" + reason + ")", e);
        }
        if (state.equals("22021")) { // character_not_in_repertoire: U+0000 in a name, which PostgreSQL text cannot hold
            return new InvalidArgumentException(context + ": PostgreSQL cannot store this text (" + reason + ")", e);
        }
        if (state.equals("54000")) { // program_limit_exceeded: e.g. a bytea beyond 1 GB
            return new InvalidArgumentException(context + ": too big for PostgreSQL (" + reason + ")", e);
        }
        if (state.equals("XX001") || state.equals("XX002")) { // data_corrupted, index_corrupted
            return new VaultIoException(context + ": the database is corrupt (" + reason + ")", e);
        }
        return new KohakuVaultException(context + ": " + reason, e);
    }

    @Override
    public boolean isBusy(SQLException e) {
        return BUSY.contains(state(e));
    }

    @Override
    public boolean isMissingTable(SQLException e) {
        return state(e).equals("42P01"); // undefined_table
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        String state = state(e);
        return state.startsWith("08") || SESSION_ENDED.contains(state);
    }

    /** @return the SQLSTATE of {@code e} or of the first cause that has one; "" when none does */
    private static String state(SQLException e) {
        for (@Nullable Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return "";
    }
}
