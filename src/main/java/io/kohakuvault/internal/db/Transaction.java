package io.kohakuvault.internal.db;

import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The transaction of a {@link Database}'s writer connection, open or not: one object for the
 * database's lifetime, which tracks the transactions run on the writer one after another.
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li>Nesting: the outermost {@link #run} is a {@code BEGIN ... COMMIT}; a nested one is a
 *       savepoint, so its failure rolls back its own writes and leaves the outer level open.
 *   <li>Rollback hooks ({@link #onRollback}) run, newest first, exactly when the level they were
 *       registered at, or one around it, rolls back; a released savepoint hands its hooks to the
 *       level around it, and a commit forgets them.
 *   <li>End hooks ({@link #onEnd}) run once the outermost level ends, committed or rolled back.
 *   <li>Held-back writes ({@link #stage}) are written, atomically, before any other statement of
 *       the transaction runs, so its own reads see them and its order of effects is kept; a
 *       rollback discards them.
 *   <li>A lost transaction: when the database ended the whole transaction by itself (a full disk,
 *       an I/O error), every later statement of it is refused rather than run in autocommit mode,
 *       and the transaction ends in failure even if the block caught the error.
 * </ul>
 *
 * <p>Not thread-safe on its own: every method must be called by the thread holding the
 * database's writer lock, which guards all of this class's state. {@link Database} takes it.
 */
final class Transaction {
    private final VaultConnection writer;
    private final Retry retry;
    /** A read-only vault's transactions only read: they begin deferred. */
    private final boolean readOnly;
    /** What the database does after each commit of the writer. */
    private final Runnable afterCommit;

    private final BooleanSupplier closed;

    /** Nesting on the writer; 0 when no transaction is open. */
    private int depth;
    /** Writes the open transaction holds back; see {@link Database.StagedWrites}. */
    private final List<Database.StagedWrites> staged = new ArrayList<>();
    /** What to undo in memory if a transaction level rolls back; see {@link #onRollback}. */
    private final List<RollbackHook> rollbackHooks = new ArrayList<>();
    /** What to do once the outermost transaction ends, committed or not; see {@link #onEnd}. */
    private final List<Runnable> endHooks = new ArrayList<>();

    private record RollbackHook(int depth, Runnable action) {}

    /**
     * The failure after which the database ended the open transaction by itself (SQLite may, on a full
     * disk or an I/O error), or null. While set, every statement of the transaction is refused, so
     * that none runs in autocommit mode and commits a part of the transaction; the transaction
     * then ends in failure.
     */
    private @Nullable Throwable lost;

    /**
     * @param writer the connection the transactions run on
     * @param retry how busy statements are retried
     * @param readOnly whether the vault only reads: its transactions then begin deferred
     * @param afterCommit runs after each commit, before the end hooks
     * @param closed whether the database has been closed
     */
    Transaction(VaultConnection writer, Retry retry, boolean readOnly, Runnable afterCommit, BooleanSupplier closed) {
        this.writer = writer;
        this.retry = retry;
        this.readOnly = readOnly;
        this.afterCommit = afterCommit;
        this.closed = closed;
    }

    /** @return whether a transaction is open */
    boolean isOpen() {
        return depth > 0;
    }

    /**
     * Runs {@code body} in a transaction, or a savepoint when one is open. On failure rolls back,
     * then rethrows: a user's block's exception exactly as it was (checked ones included: Kotlin
     * blocks throw them freely), the engine's translated.
     */
    <T extends @Nullable Object> T run(Callable<T> body, Supplier<String> what, boolean userBlock) {
        checkNotLost(what);
        writeStaged(what);
        begin(what);
        T result;
        try {
            result = body.call();
            writeStaged(what);
            checkNotLost(what); // the block caught the failure that lost the transaction: it fails all the same
        } catch (Throwable failure) {
            // the engine's failure translated first, so that a lost transaction names what was written
            Throwable outcome = userBlock ? failure : rethrow(failure, what);
            rollback(outcome);
            throw Transaction.<RuntimeException>sneaky(outcome);
        }
        end(what);
        return result;
    }

    /**
     * Runs one statement on the writer, after the held-back writes, noting whether its failure
     * made the database end the open transaction. Outside a transaction it runs in autocommit mode.
     */
    <T extends @Nullable Object> T statement(SqlCall<T> call, Supplier<String> what) {
        writeStaged(what);
        checkNotLost(what);
        try {
            return retry.run(writer, call, what);
        } catch (RuntimeException | Error e) {
            noteFailure(e);
            throw e;
        }
    }

    /** Registers writes held back by the open transaction; registering them again is harmless. */
    void stage(Database.StagedWrites writes) {
        if (!staged.contains(writes)) {
            staged.add(writes);
        }
    }

    /**
     * Writes what the transaction holds back, now, as one atomic step: if it fails, none of it is
     * written, it is discarded, and the failure is thrown.
     */
    void writeStaged(Supplier<String> what) {
        if (staged.isEmpty()) {
            return;
        }
        checkNotLost(what);
        List<Database.StagedWrites> batch = List.copyOf(staged);
        staged.clear();
        try {
            writer.execute(Sql.STAGED_SAVEPOINT);
            for (Database.StagedWrites writes : batch) {
                writes.write(writer);
            }
            writer.execute(Sql.STAGED_RELEASE);
        } catch (SQLException | RuntimeException | Error e) {
            noteFailure(e);
            if (lost == null) {
                try {
                    writer.execute(Sql.STAGED_ROLLBACK);
                    writer.execute(Sql.STAGED_RELEASE);
                } catch (SQLException undo) {
                    e.addSuppressed(undo);
                }
            }
            batch.forEach(Database.StagedWrites::discard);
            if (e instanceof SQLException sql) {
                throw retry.errors().translate(sql, what.get());
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }

    /** Runs {@code action} if the open transaction level (or an outer one) rolls back. */
    void onRollback(Runnable action) {
        rollbackHooks.add(new RollbackHook(depth, action));
    }

    /** Runs {@code action} once the outermost transaction ends, whether it commits or rolls back. */
    void onEnd(Runnable action) {
        endHooks.add(action);
    }

    private void begin(Supplier<String> what) {
        if (depth == 0) {
            retry.run(
                    writer,
                    c -> {
                        if (readOnly) {
                            c.transactions().beginRead(c);
                        } else {
                            c.transactions().beginWrite(c);
                        }
                        return null;
                    },
                    what);
        } else {
            execute(Sql.savepoint(depth), what);
        }
        depth++;
    }

    private void end(Supplier<String> what) {
        if (depth > 1) {
            depth--;
            execute(Sql.release(depth), what);
            // The released level's writes now belong to the level around it: so do their undo actions,
            // which a later savepoint at the same depth rolling back must leave alone.
            for (int i = 0; i < rollbackHooks.size(); i++) {
                RollbackHook hook = rollbackHooks.get(i);
                if (hook.depth() > depth) {
                    rollbackHooks.set(i, new RollbackHook(depth, hook.action()));
                }
            }
            return;
        }
        try {
            // In rollback-journal mode a COMMIT can be busy while readers hold the file; it may be retried.
            retry.run(
                    writer,
                    c -> {
                        c.transactions().commit(c);
                        return null;
                    },
                    what);
            depth = 0;
            rollbackHooks.clear();
            afterCommit.run();
            runEndHooks();
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    /** Runs {@code sql}, a savepoint's, on the writer, retried while busy. */
    private void execute(String sql, Supplier<String> what) {
        retry.run(
                writer,
                c -> {
                    c.execute(sql);
                    return null;
                },
                what);
    }

    private void rollback(Throwable failure) {
        discardStaged();
        noteFailure(failure);
        depth--;
        for (int i = rollbackHooks.size() - 1; i >= 0; i--) {
            if (rollbackHooks.get(i).depth() > depth) {
                rollbackHooks.remove(i).action().run();
            }
        }
        try {
            if (lost != null) {
                // the database already ended the whole transaction; there is nothing left to undo
            } else if (depth == 0) {
                writer.transactions().rollback(writer);
            } else {
                writer.execute(Sql.rollbackTo(depth));
                writer.execute(Sql.release(depth));
            }
        } catch (SQLException e) {
            // SQLite may already have rolled back by itself (disk full, I/O error); keep the first failure.
            failure.addSuppressed(e);
        }
        if (depth == 0) {
            lost = null;
            runEndHooks();
        }
    }

    private void runEndHooks() {
        List<Runnable> hooks = List.copyOf(endHooks);
        endHooks.clear();
        hooks.forEach(Runnable::run);
    }

    private void discardStaged() {
        staged.forEach(Database.StagedWrites::discard);
        staged.clear();
    }

    /**
     * After a failure inside the open transaction, finds out whether the database ended the whole
     * transaction by itself (SQLite may on a full disk or an I/O error; a server connection may be
     * gone). If it did, each later statement of the transaction would run in autocommit mode and
     * commit on its own: the transaction is marked lost instead, and every later statement of it
     * refused.
     */
    private void noteFailure(Throwable failure) {
        if (depth == 0 || lost != null || closed.getAsBoolean()) {
            return;
        }
        if (writer.transactions().endedByFailure(writer)) {
            lost = failure;
        }
    }

    /**
     * @throws VaultIoException when the database ended the open transaction after an earlier
     *     failure: nothing of it will commit
     */
    private void checkNotLost(Supplier<String> what) {
        Throwable cause = lost;
        if (cause != null && depth > 0) {
            throw new VaultIoException(
                    what.get() + ": the database rolled the transaction back after an earlier failure, "
                            + "so none of its writes will commit (" + cause.getMessage() + ")",
                    cause);
        }
    }

    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // rethrows a user's checked exception as it was
    private static <E extends Throwable> E sneaky(Throwable failure) throws E {
        throw (E) failure;
    }

    private RuntimeException rethrow(Throwable failure, Supplier<String> what) {
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof SQLException sql) {
            return retry.errors().translate(sql, what.get());
        }
        return new KohakuVaultException(what.get() + ": " + failure.getMessage(), failure);
    }
}
