package io.kohakuvault.internal.db;

import io.kohakuvault.DatabaseBusyException;
import io.kohakuvault.KohakuVaultException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a statement again while the database is busy: up to {@code retries} more attempts, the
 * first after {@code backoffBase}, each delay doubling, with a little jitter so that competing
 * processes do not retry in lockstep. A busy statement changed nothing, so retrying is safe.
 */
public final class Retry {
    private final int retries;
    private final long baseNanos;
    private final DatabaseErrors errors;

    /**
     * @param retries how many times to retry after the first attempt; 0 means no retry
     * @param backoffBase the first delay
     * @param errors what the database's failures mean: which are busy, what each becomes
     */
    public Retry(int retries, Duration backoffBase, DatabaseErrors errors) {
        this.retries = retries;
        this.baseNanos = backoffBase.toNanos();
        this.errors = errors;
    }

    /** @return what the database's failures mean */
    public DatabaseErrors errors() {
        return errors;
    }

    /**
     * Runs {@code call} on {@code connection}, retrying while it fails busy.
     *
     * @param <T> the result type
     * @param connection the connection to run on
     * @param call the work; must change nothing when it fails busy
     * @param what what is being done, for the message
     * @return the call's result
     * @throws DatabaseBusyException when the database stayed busy after every retry
     * @throws KohakuVaultException (or a subclass) for any other failure, as {@link DatabaseErrors#translate} says
     */
    public <T extends @Nullable Object> T run(VaultConnection connection, SqlCall<T> call, Supplier<String> what) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.call(connection);
            } catch (SQLException e) {
                if (errors.isConnectionLost(e)) {
                    connection.markLost(); // the next call gets a new connection; this one fails
                }
                if (!errors.isBusy(e)) {
                    throw errors.translate(e, what.get());
                }
                if (attempt >= retries) {
                    throw new DatabaseBusyException(
                            what.get() + ": the database stayed locked after " + (retries + 1) + " attempts ("
                                    + e.getMessage() + ")",
                            e);
                }
                pause(attempt, what);
            }
        }
    }

    /**
     * Sleeps before retry number {@code attempt + 1}.
     *
     * @param attempt the attempt that just failed, from 0
     * @param what what is being done, for the message if the wait is interrupted
     */
    public void pause(int attempt, Supplier<String> what) {
        long delay = baseNanos << Math.min(attempt, 30);
        delay += ThreadLocalRandom.current().nextLong(delay / 4 + 1);
        try {
            Thread.sleep(delay / 1_000_000, (int) (delay % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KohakuVaultException(what.get() + ": interrupted while waiting for a busy database", e);
        }
    }
}
