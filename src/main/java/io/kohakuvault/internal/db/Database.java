package io.kohakuvault.internal.db;

import io.kohakuvault.DatabaseBusyException;
import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.postgres.PostgresConnections;
import io.kohakuvault.internal.postgres.PostgresErrors;
import java.sql.SQLException;
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
 * the database is busy, and translate failures. The writer's transactions (nesting, hooks,
 * held-back writes) are kept by a {@link Transaction}, under the same lock.
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
    /** The writer's transaction state; guarded by writerLock, like everything it holds. */
    private final Transaction transaction;
    /** What {@link ForeignCommits#afterOwnCommit} said of the writer's last commit. Guarded by writerLock. */
    private long lastCommitEpoch = -1;

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
        this.transaction = new Transaction(writer, retry, options.readOnly(), this::afterCommit, this::isClosed);
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
        ServerTarget server = options.server();
        if (server != null) {
            return openServer(options, server);
        }
        ConnectionFactory factory = new ConnectionFactory(options);
        Retry retry = new Retry(options.retries(), options.backoffBase(), SqliteErrors.INSTANCE);
        String context = "open vault " + options.location();
        VaultConnection writer;
        try {
            writer = factory.openWriter();
        } catch (SQLException e) {
            throw SqliteErrors.INSTANCE.translate(e, context);
        }
        CommitWatch commits;
        try {
            SchemaMigrator.ensureCurrent(writer, options, retry);
            writer.takeOverTransactions();
            writer.sqlite().setBusyTimeout(0); // from here on Retry waits, with the vault's backoff
            Boolean known = factory.journalModeKnown();
            boolean wal = known != null ? known : "wal".equalsIgnoreCase(writer.pragma("PRAGMA journal_mode"));
            commits = CommitWatch.open(options.file(), wal);
        } catch (SQLException e) {
            writer.close();
            throw SqliteErrors.INSTANCE.translate(e, context);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        ReaderPool readers = options.inMemory()
                ? null
                : new ReaderPool(factory, SqliteErrors.INSTANCE, options.maxReaders(), options.location());
        return new Database(options, retry, writer, readers, commits);
    }

    /**
     * Opens a server vault: its writer connection (the schema created and migrated as needed) and
     * an empty pool of readers. Commits of others cannot be watched in memory there: caches check
     * the database at every call ({@link CommitWatch#unwatched()}).
     */
    private static Database openServer(VaultOptions options, ServerTarget server) {
        PostgresConnections connections = new PostgresConnections(server);
        Retry retry = new Retry(options.retries(), options.backoffBase(), PostgresErrors.INSTANCE);
        String context = "open vault " + options.location();
        VaultConnection writer;
        try {
            writer = connections.openWriter();
        } catch (SQLException e) {
            // The driver's messages name the host and the user, never the password.
            throw new VaultIoException(
                    "cannot open vault " + options.location() + ": the PostgreSQL database cannot be reached ("
                            + e.getMessage() + ")",
                    e);
        }
        try {
            SchemaMigrator.ensureCurrent(writer, options, retry);
        } catch (SQLException e) {
            writer.close();
            throw PostgresErrors.INSTANCE.translate(e, context);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
        ReaderPool readers =
                new ReaderPool(connections, PostgresErrors.INSTANCE, options.maxReaders(), options.location());
        return new Database(options, retry, writer, readers, CommitWatch.unwatched());
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
            return transaction.statement(call, what);
        }
        if (readers == null) {
            writerLock.lock();
        } else if (!writerLock.tryLock()) {
            VaultConnection reader = readers.borrow();
            try {
                return readOn(reader, call, what);
            } finally {
                readers.release(reader);
            }
        }
        try {
            ensureOpen();
            return readOn(writer, call, what);
        } finally {
            writerLock.unlock();
        }
    }

    /**
     * Runs a read outside any transaction; when it finds its connection lost (a server restarted,
     * an administrator ended an idle session), runs it once more on a new one: a read changes
     * nothing, so unlike a write it cannot have half happened.
     */
    private <T extends @Nullable Object> T readOn(VaultConnection c, SqlCall<T> call, Supplier<String> what) {
        try {
            return retry.run(c, call, what);
        } catch (KohakuVaultException e) {
            if (!c.isLost()) {
                throw e;
            }
            return retry.run(c, call, what);
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
        return read(connection -> inTransaction() ? call.call(connection) : connection.inReadTransaction(call), what);
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
            T result = transaction.statement(call, what);
            if (!transaction.isOpen()) {
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
        return writerLock.isHeldByCurrentThread() && transaction.isOpen();
    }

    /**
     * Copies the WAL into the database file and truncates it. Readers of other connections in the
     * middle of a read can keep it from finishing: it is then retried like any busy statement.
     *
     * @throws DatabaseBusyException when readers kept it from finishing after every retry
     * @throws KohakuVaultException when SQLite fails
     */
    public void checkpoint() {
        if (options.inMemory() || options.readOnly() || options.server() != null) {
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
        if (options.server() != null) {
            ensureOpen(); // the server's autovacuum keeps its tables compact; nothing to do here
            return;
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
            throw retry.errors().translate(e, "use the writer of vault " + options.location());
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
        transaction.stage(writes);
    }

    /**
     * Writes what the calling thread's transaction holds back, now, as one atomic step: if it
     * fails, none of it is written, it is discarded, and the failure is thrown.
     *
     * @param what what is being done, for messages
     */
    public void writeStaged(Supplier<String> what) {
        if (writerLock.isHeldByCurrentThread()) {
            transaction.writeStaged(what);
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
            transaction.onRollback(action);
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
            transaction.onEnd(action);
        } else {
            action.run();
        }
    }

    /**
     * Throws unless the vault is open and writable; for writes that only reach a write-back cache.
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

    /** Runs {@code body} in a transaction under the write lock; see {@link Transaction#run}. */
    private <T extends @Nullable Object> T atomically(Callable<T> body, Supplier<String> what, boolean userBlock) {
        writerLock.lock();
        try {
            ensureOpen();
            return transaction.run(body, what, userBlock);
        } finally {
            writerLock.unlock();
        }
    }
}
