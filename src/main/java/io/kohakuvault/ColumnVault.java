package io.kohakuvault;

import io.kohakuvault.internal.column.ChunkCache;
import io.kohakuvault.internal.column.ColumnCatalog;
import io.kohakuvault.internal.column.ColumnMeta;
import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.db.Database;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The columns of one vault file: typed, list-like sequences (time series, logs, events, hashes,
 * strings) stored beside the key-value stores without interfering with them. Made by
 * {@link Vault#columns()}. Thread-safe.
 *
 * <pre>{@code
 * ColumnVault cv = vault.columns();
 * DoubleColumn temps = cv.column("temperatures", ColumnType.F64);
 * temps.append(23.5);
 * for (ColumnInfo info : cv.listColumns()) {
 *     System.out.println(info.name() + " " + info.type() + " " + info.length());
 * }
 * }</pre>
 *
 * <p>Each column is opened once per vault: asking for it again returns the same object.
 *
 * <p>Every chunk is stored with a checksum, checked whenever the chunk is read whole (range reads,
 * iteration, streams, and every chunk the read cache takes in): damaged bytes throw
 * {@link VaultIoException} naming the column. A single element read from a chunk not in the
 * cache is cut from it inside SQLite and is not checked.
 */
public final class ColumnVault {
    private final Database database;
    private final ChunkCache chunkCache;
    private final ConcurrentMap<String, AbstractColumn<?>> open = new ConcurrentHashMap<>();
    private volatile long @Nullable [] cacheSettings;

    /**
     * @param cacheSettings {capacity, threshold} of the write-back cache for every column, or null
     *     for none
     */
    ColumnVault(Database database, long @Nullable [] cacheSettings) {
        this.database = database;
        this.cacheSettings = cacheSettings;
        this.chunkCache = new ChunkCache(database.readCache());
    }

    /**
     * Creates a column with the vault's default chunk sizes ({@link VaultBuilder#columnChunkSizes}).
     *
     * @param <C> the column class
     * @param name 1 to 255 characters; any characters are safe
     * @param type its element type
     * @return the new, empty column
     * @throws InvalidArgumentException when a column of that name exists, or the name is invalid
     */
    public <C extends Column<?>> C createColumn(String name, ColumnType<C> type) {
        return createColumn(name, type, defaultChunkSizes());
    }

    /**
     * Creates a column with its own chunk sizes.
     *
     * @param <C> the column class
     * @param name 1 to 255 characters; any characters are safe
     * @param type its element type
     * @param chunkSizes how its chunks grow
     * @return the new, empty column
     * @throws InvalidArgumentException when a column of that name exists, or an argument is invalid
     */
    public <C extends Column<?>> C createColumn(String name, ColumnType<C> type, ChunkSizes chunkSizes) {
        ColumnMeta template = template(name, type, chunkSizes);
        ColumnMeta created = ColumnCatalog.create(database, template);
        if (created == null) {
            throw new InvalidArgumentException("column '" + name + "' already exists");
        }
        return createdInstance(created, type);
    }

    /**
     * Opens a column, creating it (with the vault's default chunk sizes) when missing.
     *
     * @param <C> the column class
     * @param name 1 to 255 characters; any characters are safe
     * @param type its element type
     * @return the column; the same object on every call
     * @throws InvalidArgumentException when the column exists with another type, or the name is invalid
     */
    public <C extends Column<?>> C column(String name, ColumnType<C> type) {
        return column(name, type, defaultChunkSizes());
    }

    /**
     * Opens a column, creating it with {@code chunkSizes} when missing (an existing column keeps
     * the sizes it was created with).
     *
     * <p>For {@code json} and {@code cbor} columns the file records only the format, not the element
     * class (the Python KohakuVault reads them too): within this vault, a column opened with one
     * class is refused with another; another vault, or this file reopened, may open it with any
     * class, and bytes that do not fit that class throw {@link KohakuVaultException} when read.
     *
     * @param <C> the column class
     * @param name 1 to 255 characters; any characters are safe
     * @param type its element type
     * @param chunkSizes how its chunks grow, if it is created
     * @return the column; the same object on every call
     * @throws InvalidArgumentException when the column exists with another type, or an argument is invalid
     */
    public <C extends Column<?>> C column(String name, ColumnType<C> type, ChunkSizes chunkSizes) {
        ColumnMeta template = template(name, type, chunkSizes);
        ColumnMeta meta = ColumnCatalog.find(database, name);
        if (meta == null) {
            if (database.options().readOnly()) {
                throw new NotFoundException("column '" + name + "' does not exist, and vault "
                        + database.options().location() + " is read-only");
            }
            ColumnMeta created = ColumnCatalog.create(database, template);
            if (created != null) {
                return createdInstance(created, type);
            }
            meta = ColumnCatalog.find(database, name); // another connection created it meanwhile
            if (meta == null) {
                throw new NotFoundException(
                        "column '" + name + "' was created and deleted by another connection meanwhile");
            }
        }
        if (!meta.dtype().equals(type.dtype())) {
            throw new InvalidArgumentException("column '" + name + "' holds " + meta.dtype() + ", not " + type.dtype());
        }
        return instance(meta, type, true);
    }

    /**
     * Opens an existing column, whatever its type.
     *
     * @param name the column's name
     * @return the column; cast it, or check {@link Column#type()}
     * @throws NotFoundException when there is no such column
     */
    public Column<?> column(String name) {
        Names.checkColumn(name);
        ColumnMeta meta = ColumnCatalog.find(database, name);
        if (meta == null) {
            throw new NotFoundException("column '" + name + "' does not exist");
        }
        return instance(meta, ColumnType.parse(meta.dtype()), false);
    }

    /**
     * @param name a column name
     * @return whether the file has a column of that name
     */
    public boolean hasColumn(String name) {
        Names.checkColumn(name);
        return ColumnCatalog.find(database, name) != null;
    }

    /**
     * @return every column of the file, by name; a column opened here counts its cached appends
     */
    public List<ColumnInfo> listColumns() {
        List<ColumnInfo> all = new ArrayList<>();
        for (ColumnCatalog.Listed listed : ColumnCatalog.list(database)) {
            AbstractColumn<?> opened = open.get(listed.name());
            long length = opened != null && !opened.store.isDeleted() ? opened.length() : listed.length();
            all.add(new ColumnInfo(listed.name(), ColumnType.parse(listed.dtype()), length));
        }
        return all;
    }

    /**
     * Deletes a column and frees its chunks. Its column object, and any appends it had cached,
     * are gone: using it throws {@link NotFoundException}.
     *
     * @param name the column's name
     * @return whether there was such a column
     */
    public boolean deleteColumn(String name) {
        Names.checkColumn(name);
        boolean deleted = ColumnCatalog.delete(database, name);
        if (database.inTransaction()) {
            // The transaction may roll back: the column object finds out from the file at its next use.
            return deleted;
        }
        AbstractColumn<?> opened = open.remove(name);
        if (opened != null) {
            opened.store.markDeleted();
        }
        return deleted;
    }

    /**
     * Turns the write-back cache on for every column opened so far and every column opened
     * later: appends wait in memory and commit together, much faster; reads see them. What is not
     * yet flushed is lost if the process crashes. A column flushes once it holds
     * {@code flushThresholdBytes}; {@link #flushCache()}, {@link #disableCache()} and
     * {@link Vault#close()} flush every column. Writes other than appends flush the column first.
     *
     * @param capacityBytes an append larger than this goes straight to the file
     * @param flushThresholdBytes a column flushes once it caches this many bytes; at most {@code capacityBytes}
     * @throws InvalidArgumentException when the sizes are not positive (a threshold above the capacity
     *     is allowed: the capacity then governs)
     * @throws KohakuVaultException inside a transaction
     */
    public void enableCache(long capacityBytes, long flushThresholdBytes) {
        KVault.checkCacheSizes(capacityBytes, flushThresholdBytes);
        if (database.inTransaction()) {
            throw new KohakuVaultException("enableCache is not possible inside a transaction");
        }
        database.ensureOpen();
        cacheSettings = new long[] {capacityBytes, flushThresholdBytes};
        for (AbstractColumn<?> column : open.values()) {
            column.store.enableWriteBack(capacityBytes, flushThresholdBytes);
        }
    }

    /**
     * Commits every column's cached appends. Inside a transaction it does nothing and returns 0.
     *
     * @return how many elements were committed
     * @throws VaultIoException when the vault is closed or the disk is full (the appends stay cached)
     */
    public int flushCache() {
        database.ensureOpen();
        int flushed = 0;
        RuntimeException failure = null;
        for (AbstractColumn<?> column : open.values()) {
            try {
                if (!column.store.isDeleted()) {
                    flushed += column.store.flushWriteBack();
                }
            } catch (NotFoundException deleted) {
                // Another vault deleted the column: its cached appends have nowhere to go.
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
        return flushed;
    }

    /**
     * Flushes every column, then turns the write-back cache off for them and for columns opened later.
     *
     * @throws KohakuVaultException inside a transaction
     */
    public void disableCache() {
        if (database.inTransaction()) {
            throw new KohakuVaultException("disableCache is not possible inside a transaction");
        }
        database.ensureOpen();
        cacheSettings = null;
        for (AbstractColumn<?> column : open.values()) {
            if (!column.store.isDeleted()) {
                column.store.disableWriteBack();
            }
        }
    }

    /** @return whether any open column holds appends not yet flushed */
    boolean hasCachedWrites() {
        return open.values().stream().anyMatch(c -> !c.store.isDeleted() && c.store.hasPending());
    }

    private ChunkSizes defaultChunkSizes() {
        return ChunkSizes.of(
                database.options().minColumnChunkBytes(), database.options().maxColumnChunkBytes());
    }

    private static ColumnMeta template(String name, ColumnType<?> type, ChunkSizes chunkSizes) {
        Names.checkColumn(name);
        if (type == null) {
            throw new InvalidArgumentException("type of column '" + name + "' must not be null");
        }
        if (chunkSizes == null) {
            throw new InvalidArgumentException("chunk sizes of column '" + name + "' must not be null");
        }
        return new ColumnMeta(
                0,
                name,
                type.dtype(),
                Math.max(0, type.fixedSize()),
                0,
                chunkSizes.minBytes(),
                chunkSizes.maxBytes(),
                0);
    }

    /**
     * The object of a column just created: if a transaction creates it and rolls back, the object
     * is dead, and the object it replaced (a column the transaction deleted, alive again) is the
     * one {@link #column} returns again.
     */
    private <C extends Column<?>> C createdInstance(ColumnMeta meta, ColumnType<C> type) {
        AbstractColumn<?> replaced = open.get(meta.name());
        C column = instance(meta, type, true);
        AbstractColumn<?> opened = (AbstractColumn<?>) column;
        database.onRollback(() -> {
            opened.store.markDeleted();
            @SuppressWarnings("ReferenceEquality") // that very column object, not an equal list
            boolean another = replaced != opened;
            if (open.remove(meta.name(), opened) && replaced != null && another && !replaced.store.isDeleted()) {
                open.putIfAbsent(meta.name(), replaced);
            }
        });
        return column;
    }

    /**
     * The column object of {@code meta}: the one already open, or a new one.
     *
     * @param exact whether the object must be of {@code type} exactly: a {@code json} or {@code cbor}
     *     column open with one class is not opened with another (the file does not record the class,
     *     so this holds within one vault); one open untyped ({@link #column(String)}) gives way to
     *     a typed view over the same store
     * @throws InvalidArgumentException when {@code exact} and the open object has another element class
     */
    @SuppressWarnings("unchecked")
    private <C extends Column<?>> C instance(ColumnMeta meta, ColumnType<C> type, boolean exact) {
        database.ensureOpen();
        return (C) open.compute(meta.name(), (name, existing) -> {
            if (existing != null && existing.store.meta().id() == meta.id() && !existing.store.isDeleted()) {
                if (!exact || existing.type().equals(type)) {
                    return existing;
                }
                if (existing.type().isUntypedObjects()) {
                    return (AbstractColumn<?>) type.open(existing.store);
                }
                throw new InvalidArgumentException("column '" + name + "' is open in this vault as "
                        + existing.type().describe() + ", not " + type.describe());
            }
            ColumnStore store = new ColumnStore(database, chunkCache, meta);
            long[] writeBack = cacheSettings;
            if (writeBack != null) {
                store.enableWriteBack(writeBack[0], writeBack[1]);
            }
            return (AbstractColumn<?>) type.open(store);
        });
    }
}
