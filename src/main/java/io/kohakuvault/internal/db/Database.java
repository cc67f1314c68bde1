package io.kohakuvault.internal.db;

import io.kohakuvault.DatabaseBusyException;
import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One vault file: one writer connection, whose use a lock serialises, and a pool of reader
 * connections that never wait for it (WAL). Every statement the engine runs goes through
 * {@link #read}, {@link #write} or {@link #transaction}, which pick the connection, retry while
 * the database is busy, and translate failures.
 *
 * <p>A thread inside a transaction reads through the writer, so it sees its own uncommitted
 * writes. Other threads read through the writer too when it is free at that moment (it never
 * waits for it), and otherwise through a reader: a single-threaded program then uses one
 * connection and one page cache.
 */
public final class Database implements AutoCloseable {
    private final VaultOptions options;
    private final Retry retry;
    private final ReentrantLock writerLock = new ReentrantLock();
    private final VaultConnection writer;
    private final @Nullable ReaderPool readers;
    private final CommitWatch commits;
    private final WalRestart walRestart;
    private final ReadCache readCache;
    private final ForeignCommits foreignCommits;
    /** What {@link ForeignCommits#afterOwnCommit} said of the writer's last commit. Guarded by writerLock. */
    private long lastCommitEpoch = -1;
    /** Transaction nesting on the writer; 0 when none is open. Guarded by writerLock. */
    private int depth;
    /** Writes the open transaction holds back; see {@link StagedWrites}. Guarded by writerLock. */
    private final List<StagedWrites> staged = new ArrayList<>();
    /** What to undo in memory if a transaction level rolls back; see {@link #onRollback}. Guarded by writerLock. */
    private final List<RollbackHook> rollbackHooks = new ArrayList<>();

    /** What to do once the outermost transaction ends, committed or not; see {@link #onTransactionEnd}. Guarded by writerLock. */
    private final List<Runnable> endHooks = new ArrayList<>();

    private record RollbackHook(int depth, Runnable action) {}

    /**
     * The failure after which SQLite rolled the open transaction back by itself (it may, on a full
     * disk or an I/O error), or null. While set, every statement of the transaction is refused, so
     * that none runs in autocommit mode and commits a part of the transaction; the transaction
     * then ends in failure. Guarded by writerLock.
     */
    private @Nullable Throwable lost;

    private volatile boolean closed;

    private Database(
            VaultOptions options,
            Retry retry,
            VaultConnection writer,
            @Nullable ReaderPool readers,
            CommitWatch commits) {
        this.options = options;
        this.retry = retry;
        this.writer = writer;
        this.readers = readers;
        this.commits = commits;
        this.walRestart = new WalRestart(commits, !options.readOnly());
        this.readCache = new ReadCache(options.readCacheBytes());
        this.foreignCommits = new ForeignCommits(commits);
    }

    /**
     * Opens the file, creating and migrating it as needed.
     *
     * @param options the validated options
     * @return the open database
     * @throws VaultIoException when the file cannot be opened or is not a SQLite database
     * @throws KohakuVaultException when its schema is newer than this library's
     */
    public static Database open(VaultOptions options) {
        ConnectionFactory factory = new ConnectionFactory(options);
        Retry retry = new Retry(options.retries(), options.backoffBase());
        String context = "open vault " + options.location();
        VaultConnection writer;
        try {
            writer = factory.openWriter();
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, context);
        }
        CommitWatch commits;
        try {
            SchemaMigrator.ensureCurrent(writer, options, retry);
            writer.takeOverTransactions();
            writer.jdbc().setBusyTimeout(0); // from here on Retry waits, with the vault's backoff
            Boolean known = factory.journalModeKnown();
            boolean wal = known != null ? known : "wal".equalsIgnoreCase(writer.pragma("PRAGMA journal_mode"));
            commits = CommitWatch.open(options.file(), wal);
        } catch (SQLException e) {
            writer.close();
            throw SqliteErrors.translate(e, context);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        ReaderPool readers =
                options.inMemory() ? null : new ReaderPool(factory, options.maxReaders(), options.location());
        return new Database(options, retry, writer, readers, commits);
    }

    /** @return what tells caches that some connection, anywhere, committed to the file */
    public CommitWatch commits() {
        return commits;
    }

    /** @return the vault's read cache, shared by its key-value stores and columns */
    public ReadCache readCache() {
        return readCache;
    }

    /** @return what tells caches whether another connection may have committed */
    public ForeignCommits foreignCommits() {
        return foreignCommits;
    }

    /**
     * For the thread that holds the write lock (inside {@link #exclusive}), right after a write
     * committed: the epoch of {@link ForeignCommits} under which what it wrote may be cached.
     *
     * @return the epoch, or -1 when another connection committed meanwhile and nothing of the write may be cached
     */
    public long lastCommitEpoch() {
        return writerLock.isHeldByCurrentThread() ? lastCommitEpoch : -1;
    }

    private void afterCommit() {
        walRestart.afterCommit(writer);
        lastCommitEpoch = readCache.enabled() ? foreignCommits.afterOwnCommit(writer) : -1;
    }

    /** @return the options this database was opened with */
    public VaultOptions options() {
        return options;
    }

    /**
     * Runs a read. It sees every committed write, and the open transaction's own writes when the
     * calling thread has one.
     *
     * @param <T> the result type
     * @param call the read; it may run more than once if the database is busy
     * @param what what is being read, for messages
     * @return the call's result
     * @throws VaultIoException when the vault is closed
     */
    public <T extends @Nullable Object> T read(SqlCall<T> call, Supplier<String> what) {
        ensureOpen();
        if (writerLock.isHeldByCurrentThread()) {
            writeStaged(what);
            return onWriter(call, what);
        }
        if (readers == null) {
            writerLock.lock();
        } else if (!writerLock.tryLock()) {
            VaultConnection reader = readers.borrow();
            try {
                return retry.run(reader, call, what);
            } finally {
                readers.release(reader);
            }
        }
        try {
            ensureOpen();
            return retry.run(writer, call, what);
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Runs several reads as one snapshot: no commit by anyone lands between them. Inside the
     * calling thread's transaction they already are one; otherwise they run between {@code BEGIN}
     * and {@code COMMIT} on the connection {@link #read} picks.
     *
     * @param <T> the result type
     * @param call the reads; it may run more than once if the database is busy
     * @param what what is being read, for messages
     * @return the call's result
     * @throws VaultIoException when the vault is closed
     */
    public <T extends @Nullable Object> T readConsistent(SqlCall<T> call, Supplier<String> what) {
        return read(
                connection -> {
                    if (inTransaction()) {
                        return call.call(connection);
                    }
                    connection.prepared(Sql.BEGIN_DEFERRED).execute();
                    try {
                        T result = call.call(connection);
                        connection.prepared(Sql.COMMIT).execute();
                        return result;
                    } catch (SQLException | RuntimeException | Error e) {
                        try {
                            connection.prepared(Sql.ROLLBACK).execute();
                        } catch (SQLException undo) {
                            e.addSuppressed(undo);
                        }
                        throw e;
                    }
                },
                what);
    }

    /**
     * Runs {@code body} holding the write lock, so that no other thread of this vault writes
     * between its steps: for a transaction followed by publishing its outcome in memory.
     *
     * @param <T> the result type
     * @param body the work; it may call {@link #transaction} and {@link #write}
     * @return what the body returned
     * @throws VaultIoException when the vault is closed
     */
    public <T extends @Nullable Object> T exclusive(Supplier<T> body) {
        writerLock.lock();
        try {
            ensureOpen();
            return body.get();
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Runs one write statement: in autocommit mode, where a single statement is atomic, or inside
     * the calling thread's open transaction. Retried while the database is busy.
     *
     * @param <T> the result type
     * @param call one statement; a work of several statements goes through {@link #transaction}
     * @param what what is being written, for messages
     * @return the call's result
     * @throws KohakuVaultException when the vault is read-only, or the write fails
     */
    public <T extends @Nullable Object> T write(SqlCall<T> call, Supplier<String> what) {
        ensureWritable(what);
        writerLock.lock();
        try {
            ensureOpen();
            writeStaged(what);
            T result = onWriter(call, what);
            if (depth == 0) {
                afterCommit();
            }
            return result;
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Runs several statements atomically: all of them commit, or none. Nested calls become
     * savepoints of the outer transaction.
     *
     * @param <T> the result type
     * @param call the statements
     * @param what what is being written, for messages
     * @return the call's result
     * @throws KohakuVaultException when the vault is read-only, the database stays busy, or a
     *     statement fails; the transaction was then rolled back
     */
    public <T extends @Nullable Object> T transaction(SqlCall<T> call, Supplier<String> what) {
        ensureWritable(what);
        return atomically(() -> call.call(writer), what, false);
    }

    /**
     * Runs a user's block in a transaction, rethrowing the block's own exception unchanged after
     * rolling back. On a read-only vault the transaction only reads, as one snapshot.
     *
     * @param <T> the result type
     * @param block the user's code
     * @return the block's result
     */
    public <T extends @Nullable Object> T userTransaction(Supplier<T> block) {
        return atomically(block::get, () -> "transaction on vault " + options.location(), true);
    }

    /** @return true when the calling thread has a transaction open on this database */
    public boolean inTransaction() {
        return writerLock.isHeldByCurrentThread() && depth > 0;
    }

    /**
     * Copies the WAL into the database file and truncates it. Readers of other connections in the
     * middle of a read can keep it from finishing: it is then retried like any busy statement.
     *
     * @throws DatabaseBusyException when readers kept it from finishing after every retry
     * @throws KohakuVaultException when SQLite fails
     */
    public void checkpoint() {
        if (options.inMemory() || options.readOnly()) {
            ensureOpen();
            return;
        }
        write(
                c -> {
                    // The first column says whether the checkpoint could not finish (1) because of readers.
                    if ("1".equals(c.pragma("PRAGMA wal_checkpoint(TRUNCATE)"))) {
                        throw new SQLiteException(
                                "the checkpoint could not finish while other connections read",
                                SQLiteErrorCode.SQLITE_BUSY);
                    }
                    return null;
                },
                () -> "checkpoint vault " + options.location());
    }

    /**
     * Runs {@code PRAGMA optimize} and {@code VACUUM}, which rebuilds the file without free pages.
     *
     * @throws KohakuVaultException when inside a transaction, or SQLite fails
     */
    public void optimize() {
        Supplier<String> what = () -> "optimize vault " + options.location();
        if (inTransaction()) {
            throw new KohakuVaultException(what.get() + ": not possible inside a transaction");
        }
        write(
                c -> {
                    c.pragma("PRAGMA optimize");
                    c.closeStatements();
                    c.execute("VACUUM");
                    return null;
                },
                what);
    }

    /** Closes every connection; idempotent. Writes still cached above this layer are not its business. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        writerLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (readers != null) {
                readers.close();
            }
            writer.close();
            commits.close(); // after the connections: it may drop this process's locks on the file
        } finally {
            writerLock.unlock();
        }
    }

    /** @return true once {@link #close()} has run */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Throws when the vault is closed.
     *
     * @throws VaultIoException naming the vault, saying it is closed
     */
    public void ensureOpen() {
        if (closed) {
            throw new VaultIoException("vault " + options.location() + " is closed");
        }
    }

    /**
     * Runs {@code call} with the writer connection under its lock, for tests that tune SQLite
     * itself (limits). Not for the engine: it bypasses retries and transactions.
     *
     * @param <T> the result type
     * @param call the work
     * @return its result
     */
    public <T extends @Nullable Object> T withWriter(SqlCall<T> call) {
        writerLock.lock();
        try {
            ensureOpen();
            return call.call(writer);
        } catch (SQLException e) {
            throw SqliteErrors.translate(e, "use the writer of vault " + options.location());
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Writes that a transaction holds back to write them together, sorted, in few statements:
     * small puts inside {@code vault.transaction}. They are written before any other statement of
     * the transaction runs (a read, a delete, a savepoint, the commit), so the transaction's own
     * reads see them and its order of effects is kept; a rollback discards them.
     */
    public interface StagedWrites {
        /**
         * Writes everything held and forgets it.
         *
         * @param writer the transaction's connection
         * @throws SQLException when SQLite fails
         */
        void write(VaultConnection writer) throws SQLException;

        /** Forgets everything held, unwritten. */
        void discard();
    }

    /**
     * Registers writes held back by the calling thread's open transaction.
     *
     * @param writes the holder; registering it again is harmless
     * @throws IllegalStateException when the calling thread has no transaction open
     */
    public void stage(StagedWrites writes) {
        if (!inTransaction()) {
            throw new IllegalStateException("no transaction is open on this thread");
        }
        if (!staged.contains(writes)) {
            staged.add(writes);
        }
    }

    /**
     * Writes what the calling thread's transaction holds back, now, as one atomic step: if it
     * fails, none of it is written, it is discarded, and the failure is thrown.
     *
     * @param what what is being done, for messages
     */
    public void writeStaged(Supplier<String> what) {
        if (staged.isEmpty() || !writerLock.isHeldByCurrentThread()) {
            return;
        }
        checkNotLost(what);
        List<StagedWrites> batch = List.copyOf(staged);
        staged.clear();
        try {
            writer.execute(Sql.STAGED_SAVEPOINT);
            for (StagedWrites writes : batch) {
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
            batch.forEach(StagedWrites::discard);
            if (e instanceof SQLException sql) {
                throw SqliteErrors.translate(sql, what.get());
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Runs {@code action} if the calling thread's open transaction level (or an outer one) rolls
     * back: for state in memory that mirrors a row the transaction wrote. Does nothing outside a
     * transaction, where a write has already committed.
     *
     * @param action what to undo; runs under the write lock
     */
    public void onRollback(Runnable action) {
        if (inTransaction()) {
            rollbackHooks.add(new RollbackHook(depth, action));
        }
    }

    /**
     * Runs {@code action} once the calling thread's outermost transaction ends, whether it commits
     * or rolls back: for caches that must forget what the transaction may have changed. Runs it at
     * once outside a transaction.
     *
     * @param action what to do; runs under the write lock, and must not throw
     */
    public void onTransactionEnd(Runnable action) {
        if (inTransaction()) {
            endHooks.add(action);
        } else {
            action.run();
        }
    }

    private void runEndHooks() {
        List<Runnable> hooks = List.copyOf(endHooks);
        endHooks.clear();
        hooks.forEach(Runnable::run);
    }

    private void discardStaged() {
        staged.forEach(StagedWrites::discard);
        staged.clear();
    }

    /**
     * Throws unless the vault is open and writable; for writes that only reach a cache.
     *
     * @param what the write, for the message
     * @throws VaultIoException when the vault is closed
     * @throws KohakuVaultException when it was opened read-only
     */
    public void ensureWritableOpen(Supplier<String> what) {
        ensureOpen();
        ensureWritable(what);
    }

    private void ensureWritable(Supplier<String> what) {
        if (options.readOnly()) {
            ensureOpen();
            throw new KohakuVaultException(what.get() + ": vault " + options.location() + " was opened read-only");
        }
    }

    /**
     * Runs {@code body} in a transaction, or a savepoint when one is open. On failure rolls back,
     * then rethrows: a user's block's exception exactly as it was (checked ones included: Kotlin
     * blocks throw them freely), the engine's translated.
     */
    private <T extends @Nullable Object> T atomically(Callable<T> body, Supplier<String> what, boolean userBlock) {
        writerLock.lock();
        try {
            ensureOpen();
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
                throw Database.<RuntimeException>sneaky(outcome);
            }
            end(what);
            return result;
        } finally {
            writerLock.unlock();
        }
    }

    private void begin(Supplier<String> what) {
        if (depth == 0) {
            String begin = options.readOnly() ? Sql.BEGIN_DEFERRED : Sql.BEGIN_IMMEDIATE;
            retry.run(writer, c -> c.prepared(begin).execute(), what);
        } else {
            retry.run(
                    writer,
                    c -> {
                        c.execute(Sql.savepoint(depth));
                        return null;
                    },
                    what);
        }
        depth++;
    }

    private void end(Supplier<String> what) {
        if (depth > 1) {
            depth--;
            retry.run(
                    writer,
                    c -> {
                        c.execute(Sql.release(depth));
                        return null;
                    },
                    what);
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
            retry.run(writer, c -> c.prepared(Sql.COMMIT).execute(), what);
            depth = 0;
            rollbackHooks.clear();
            afterCommit();
            runEndHooks();
        } catch (RuntimeException e) {
            rollback(e);
            throw e;
        }
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
                // SQLite already rolled the whole transaction back; there is nothing left to undo
            } else if (depth == 0) {
                writer.prepared(Sql.ROLLBACK).execute();
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

    /** Runs one call on the writer, noting whether its failure made SQLite roll back the open transaction. */
    private <T extends @Nullable Object> T onWriter(SqlCall<T> call, Supplier<String> what) {
        checkNotLost(what);
        try {
            return retry.run(writer, call, what);
        } catch (RuntimeException | Error e) {
            noteFailure(e);
            throw e;
        }
    }

    /**
     * After a failure inside the open transaction, finds out whether SQLite rolled the whole
     * transaction back by itself, as it may on SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM (for
     * instance when a statement without a statement journal fails). If it did, the connection is
     * back in autocommit mode, where each later statement of the transaction would commit on its
     * own: the transaction is marked lost instead, and every later statement of it refused.
     */
    private void noteFailure(Throwable failure) {
        if (depth == 0 || lost != null || closed) {
            return;
        }
        try {
            // BEGIN fails inside a transaction; if it succeeds, there was none any more.
            writer.execute(Sql.BEGIN_DEFERRED);
        } catch (SQLException stillOpen) {
            return;
        }
        lost = failure;
        try {
            writer.execute(Sql.ROLLBACK);
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * @throws VaultIoException when SQLite rolled the calling thread's open transaction back after
     *     an earlier failure: nothing of it will commit
     */
    private void checkNotLost(Supplier<String> what) {
        Throwable cause = lost;
        if (cause != null && depth > 0) {
            throw new VaultIoException(
                    what.get() + ": SQLite rolled the transaction back after an earlier failure, "
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
            return SqliteErrors.translate(sql, what.get());
        }
        return new KohakuVaultException(what.get() + ": " + failure.getMessage(), failure);
    }
}
