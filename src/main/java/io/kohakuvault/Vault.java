package io.kohakuvault;

import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.ServerUrls;
import io.kohakuvault.internal.db.VaultOptions;
import io.kohakuvault.internal.kv.KvStore;
import io.kohakuvault.internal.postgres.PostgresConnections;
import io.kohakuvault.internal.tools.StoreCatalog;
import io.kohakuvault.internal.tools.VaultAccess;
import io.kohakuvault.internal.tools.VaultCopier;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * One SQLite file holding any number of named key-value stores. Thread-safe: share one instance
 * among all threads. Several instances, in one process or several, may open the same file; each
 * sees what the others committed at its next operation.
 *
 * <pre>{@code
 * try (Vault vault = Vault.open(Path.of("data.db"))) {
 *     KVault kv = vault.kv();
 *     kv.put("image:123", bytes);
 *     byte[] back = kv.get("image:123");
 * }
 * }</pre>
 *
 * <p>Opening an up-to-date file costs one connection and one small read; a new file is created
 * and its schema migrated by Flyway. {@link #close()} flushes caches and closes the connections.
 */
public final class Vault implements AutoCloseable {
    static {
        VaultAccess.install(Vault::database); // the tools' way to the engine; not public API
    }

    private final Database database;
    private final ConcurrentMap<String, KVault> stores = new ConcurrentHashMap<>();
    private volatile long @Nullable [] cacheSettings;
    /** Made on first use, so a vault that never touches a column never pays for its cache. */
    private volatile @Nullable ColumnVault columns;

    Vault(VaultOptions options) {
        this.database = Database.open(options);
    }

    /**
     * Opens (or creates) the vault in {@code file} with every option at its default.
     *
     * @param file the SQLite file; its folder must exist
     * @return the open vault
     * @throws VaultIoException when the file cannot be opened or is not a SQLite database
     * @throws KohakuVaultException when its schema is newer than this library's
     */
    public static Vault open(Path file) {
        return builder(file).open();
    }

    /**
     * Opens (or creates) the vault at {@code path}; {@code ":memory:"} opens a private in-memory
     * vault that disappears on close, and a {@code jdbc:postgresql:} URL a server vault, as
     * {@link #builder(String)} says.
     *
     * @param path a file path, {@code ":memory:"}, or a {@code jdbc:postgresql:} URL
     * @return the open vault
     * @throws VaultIoException when the file cannot be opened or is not a SQLite database, or the
     *     server cannot be reached (the message never shows the URL's password)
     * @throws KohakuVaultException for a {@code jdbc:postgresql:} URL whose optional artifacts are
     *     missing, as {@link #builder(String)} says
     */
    public static Vault open(String path) {
        return builder(path).open();
    }

    /**
     * Starts configuring a vault in {@code file}.
     *
     * @param file the SQLite file
     * @return a builder with every option at its default
     */
    public static VaultBuilder builder(Path file) {
        if (file == null) {
            throw new InvalidArgumentException("path must not be null");
        }
        return new VaultBuilder(file);
    }

    /**
     * Starts configuring a vault at {@code path}, an in-memory one for {@code ":memory:"}, or a
     * server vault for a {@code jdbc:postgresql:} URL (credentials and TLS settings in its
     * parameters), in the schema its {@code currentSchema} parameter names, else in
     * {@value VaultBuilder#DEFAULT_SCHEMA}.
     *
     * @param path a file path, {@code ":memory:"}, or a {@code jdbc:postgresql:} URL
     * @return a builder with every option at its default
     * @throws InvalidArgumentException when {@code path} is null, empty, or a JDBC URL of a
     *     database other than PostgreSQL
     * @throws KohakuVaultException for a {@code jdbc:postgresql:} URL when the optional artifacts a
     *     server vault needs ({@code org.postgresql:postgresql}, {@code
     *     org.flywaydb:flyway-database-postgresql}) are missing from the class path: the message
     *     names them, and never shows the URL's password
     */
    public static VaultBuilder builder(String path) {
        if (path == null || path.isEmpty()) {
            throw new InvalidArgumentException(
                    "path must not be null or empty, but was " + (path == null ? "null" : "''"));
        }
        if (ServerUrls.isJdbcUrl(path)) {
            RuntimeException refused = ServerUrls.refusal(path);
            if (refused != null) {
                throw refused;
            }
            DataSource source = PostgresConnections.dataSource(path);
            VaultBuilder builder = new VaultBuilder(source, ServerUrls.redacted(path));
            String schema = PostgresConnections.currentSchema(source);
            return schema == null ? builder : builder.schema(schema);
        }
        return new VaultBuilder(path.equals(":memory:") ? null : Path.of(path));
    }

    /**
     * Starts configuring a vault in a PostgreSQL database (14 or newer), in the schema
     * {@link VaultBuilder#schema(String)} names. The vault keeps one connection of the data source
     * for its writes and up to {@link VaultBuilder#maxReaders(int)} more for reads, open until
     * {@link #close()}; several vaults, on any number of machines, may share the database.
     *
     * @param dataSource any data source of the database (a connection pool, or the driver's own)
     * @return a builder with every option at its default; the options only a file has are refused
     * @throws InvalidArgumentException when {@code dataSource} is null
     * @throws KohakuVaultException when the optional artifacts a server vault needs are missing,
     *     naming them
     */
    public static VaultBuilder builder(DataSource dataSource) {
        if (dataSource == null) {
            throw new InvalidArgumentException("dataSource must not be null");
        }
        String shown = "PostgreSQL data source " + dataSource.getClass().getSimpleName();
        KohakuVaultException missing = ServerUrls.missingArtifacts(shown);
        if (missing != null) {
            throw missing;
        }
        return new VaultBuilder(dataSource, shown);
    }

    /**
     * Turns the write-back cache on for the default store, every store opened so far and every
     * store opened later, and for every column (see {@link ColumnVault#enableCache}). Writes then wait in memory and commit together, much faster; what is not
     * yet flushed is lost if the process crashes. See {@link KVault#enableCache(long, long)}.
     *
     * @param capacityBytes most bytes cached per store; a larger value bypasses the cache
     * @param flushThresholdBytes a store flushes once it caches this many bytes; at most {@code capacityBytes}
     * @return this vault, for chaining
     * @throws InvalidArgumentException when the sizes are not positive (a threshold above the capacity
     *     is allowed: the capacity then governs)
     */
    public Vault withCache(long capacityBytes, long flushThresholdBytes) {
        KVault.checkCacheSizes(capacityBytes, flushThresholdBytes);
        cacheSettings = new long[] {capacityBytes, flushThresholdBytes};
        kv();
        for (KVault store : stores.values()) {
            store.enableCache(capacityBytes, flushThresholdBytes);
        }
        ColumnVault opened = columns;
        if (opened != null) {
            opened.enableCache(capacityBytes, flushThresholdBytes);
        }
        return this;
    }

    /**
     * Returns the default key-value store: the one named by {@link VaultBuilder#table(String)},
     * {@code "kvault"} unless set.
     *
     * @return the store; the same instance on every call
     * @throws VaultIoException when the vault is closed
     */
    public KVault kv() {
        return kv(database.options().table());
    }

    /**
     * Returns the key-value store called {@code name}, creating it when missing. Stores in one
     * file are independent: the same key in two stores is two entries.
     *
     * @param name 1 to 255 characters; any characters are safe
     * @return the store; the same instance on every call with this name
     * @throws InvalidArgumentException when the name is empty or too long
     * @throws VaultIoException when the vault is closed
     */
    public KVault kv(String name) {
        Names.checkStore(name);
        database.ensureOpen();
        return stores.computeIfAbsent(name, n -> {
            KVault store = new KVault(KvStore.open(database, n));
            long[] cache = cacheSettings;
            if (cache != null) {
                store.store().startCached(cache[0], cache[1]);
            }
            return store;
        });
    }

    /**
     * Names every key-value store of the file, as committed: the default store once it has been
     * used, and every store any {@link #kv(String)} created, here or in another process.
     *
     * @return the stores' names, in name order
     * @throws VaultIoException when the vault is closed
     */
    public List<String> kvStores() {
        return StoreCatalog.names(database);
    }

    /**
     * Copies every key-value store and every column of this vault into {@code target}: keys
     * with their values, elements in order, streamed with bounded memory whatever the sizes. This
     * vault's cached writes are flushed first. Refused, with nothing changed, when the target
     * already holds a store or a column of a name this vault uses. A failure part way leaves what
     * was copied so far in the target.
     *
     * @param target an open, writable vault: another file (or, later, another database)
     * @return the bytes copied: the values' sizes plus the columns' element bytes
     * @throws InvalidArgumentException when the target is this vault, or already holds a store or
     *     column of the same name (naming them)
     */
    public long copyTo(Vault target) {
        return VaultCopier.copy(this, target);
    }

    /**
     * Returns the key-value store called {@code name} with values of type {@code V}, turned into
     * bytes by {@code codec}: {@code kv(name).typed(codec)}.
     *
     * <pre>{@code
     * TypedKVault<Settings> settings = vault.kv("settings", Codec.json(Settings.class));
     * }</pre>
     *
     * @param <V> the values' type
     * @param name 1 to 255 characters; any characters are safe
     * @param codec how values become bytes
     * @return the typed store, a view of {@code kv(name)}
     * @throws InvalidArgumentException when the name is invalid or the codec is null
     * @throws VaultIoException when the vault is closed
     */
    public <V> TypedKVault<V> kv(String name, Codec<V> codec) {
        return kv(name).typed(codec);
    }

    /**
     * Returns the columns of this file: typed, list-like sequences beside the key-value stores.
     *
     * @return the vault's {@link ColumnVault}; the same instance on every call
     * @throws VaultIoException when the vault is closed
     */
    public ColumnVault columns() {
        database.ensureOpen();
        ColumnVault opened = columns;
        if (opened == null) {
            synchronized (this) {
                opened = columns;
                if (opened == null) {
                    opened = new ColumnVault(database, cacheSettings);
                    columns = opened;
                }
            }
        }
        return opened;
    }

    /**
     * Opens the column {@code name}, creating it when missing: {@code columns().column(name, type)}.
     *
     * <pre>{@code
     * DoubleColumn temps = vault.column("temps", ColumnType.F64);
     * }</pre>
     *
     * @param <C> the column class, which the type fixes
     * @param name 1 to 255 characters; any characters are safe
     * @param type the element type
     * @return the column; the same object on every call
     * @throws InvalidArgumentException when the column exists with another type, or the name is invalid
     */
    public <C extends Column<?>> C column(String name, ColumnType<C> type) {
        return columns().column(name, type);
    }

    /**
     * Runs {@code block} as one transaction across every store and column: all its writes commit together,
     * or, if it throws, none do and its exception is rethrown as it was. Cached writes are flushed
     * first; inside the block writes bypass the caches, and when it returns they are durable.
     * Small puts are held back and written together, sorted by key, before the block's next read,
     * delete or nested transaction and at its end; a failure to write them (a full disk) is thrown
     * from that later call. Other threads' writes wait until the block ends; their reads do not,
     * and see none of its writes before it commits. Nested calls are savepoints: an inner failure
     * caught by the outer block undoes only the inner writes.
     *
     * @param block the writes; runs on the calling thread
     * @throws DatabaseBusyException when another process kept the database locked past every retry
     */
    public void transaction(Runnable block) {
        if (block == null) {
            throw new InvalidArgumentException("transaction block must not be null");
        }
        transactionResult(() -> {
            block.run();
            return null;
        });
    }

    /**
     * Like {@link #transaction(Runnable)}, returning the block's result.
     *
     * @param <T> the result type
     * @param block the work
     * @return what the block returned
     */
    public <T extends @Nullable Object> T transactionResult(Supplier<T> block) {
        if (block == null) {
            throw new InvalidArgumentException("transaction block must not be null");
        }
        if (!database.inTransaction() && !database.options().readOnly()) {
            flushCache();
        }
        return database.userTransaction(block);
    }

    /**
     * Commits every store's cached writes in one transaction, then every column's cached appends.
     * Inside a transaction it does nothing and returns 0: that transaction could still roll back,
     * and cached writes must not go with it.
     *
     * @return how many keys were written or deleted over all stores, plus how many column elements
     *     were appended
     * @throws VaultIoException when the vault is closed or the disk is full (the writes stay cached)
     */
    public int flushCache() {
        database.ensureOpen();
        if (database.inTransaction()) {
            return 0;
        }
        int written = flushStores();
        ColumnVault opened = columns;
        return opened == null ? written : written + opened.flushCache();
    }

    private int flushStores() {
        return KvStore.flushTogether(
                database, stores.values().stream().map(KVault::store).toList());
    }

    /**
     * Copies the write-ahead log into the database file and truncates the log. SQLite does this
     * by itself as the log grows; call it to shrink the log after a burst of writes.
     *
     * @throws DatabaseBusyException when another connection kept the database locked, or readers
     *     in the middle of a read kept the log from being emptied, after every retry
     */
    public void checkpoint() {
        database.checkpoint();
    }

    /**
     * Runs {@code PRAGMA optimize} and {@code VACUUM}, which rewrites the file without its free
     * pages. Costs a full copy of the file; not possible inside a transaction.
     *
     * @throws KohakuVaultException inside a transaction, or when SQLite fails
     */
    public void optimize() {
        flushCache();
        database.optimize();
    }

    /** @return {@code Vault[}where it lives{@code ]}: its file, {@code :memory:}, or its server database and schema, never a password */
    @Override
    public String toString() {
        return "Vault[" + database.options().location() + "]";
    }

    /** @return the vault's file, or null for an in-memory or server vault */
    public @Nullable Path path() {
        return database.options().file();
    }

    /** @return whether this vault was opened read-only */
    public boolean isReadOnly() {
        return database.options().readOnly();
    }

    /** @return whether {@link #close()} has been called */
    public boolean isClosed() {
        return database.isClosed();
    }

    /**
     * Flushes every cache, then closes the file. Idempotent. If the flush fails (a full disk),
     * the vault still closes and the failure is thrown: those cached writes are lost.
     */
    @Override
    public void close() {
        if (database.isClosed()) {
            return;
        }
        try {
            if (!database.options().readOnly()) {
                flushCache();
            }
        } finally {
            database.close();
        }
    }

    /** For tests in this package and the engine: the database underneath. */
    Database database() {
        return database;
    }
}
