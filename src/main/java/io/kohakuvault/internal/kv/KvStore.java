package io.kohakuvault.internal.kv;

import io.kohakuvault.InvalidArgumentException;
import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.NotFoundException;
import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.SqlCall;
import io.kohakuvault.internal.db.VaultConnection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine of one named key-value store: its rows in {@code vault_kv_entry}, chunked values,
 * and its optional write-back cache. Keys and values arrive checked and as bytes; this class
 * decides where each byte goes. Thread-safe.
 */
public final class KvStore {
    private final Database database;
    private final String name;
    private final int chunkSize;
    private final ChunkedValues chunks;
    /** The store's id in vault_kv_store; 0 while a read-only vault has not seen the store yet. */
    private volatile int id;

    private volatile @Nullable WriteBackCache cache;
    /** Small puts held back by a transaction, touched only by the thread that holds it open. */
    private final TransactionPuts transactionPuts = new TransactionPuts();
    /** This store's values in the vault's read cache. */
    private final CachedValues values;
    /** Whether the open transaction has written to this store (its end then renews the cached values). Guarded by the write lock. */
    private boolean writtenInTransaction;

    private KvStore(Database database, String name) {
        this.database = database;
        this.name = name;
        this.chunkSize = database.options().chunkSize();
        this.chunks = new ChunkedValues(database, chunkSize);
        this.values = new CachedValues(database, chunkSize);
    }

    /**
     * @return the longest key the store takes, in bytes: {@link KeyCodec#MAX_KEY_BYTES} in a file,
     *     {@link KeyCodec#MAX_SERVER_KEY_BYTES} on a server
     */
    public int maxKeyBytes() {
        return database.options().server() == null ? KeyCodec.MAX_KEY_BYTES : KeyCodec.MAX_SERVER_KEY_BYTES;
    }

    /**
     * Opens the store called {@code name}, creating it unless the vault is read-only.
     *
     * @param database the vault's database
     * @param name the store's name
     * @return the store
     */
    public static KvStore open(Database database, String name) {
        KvStore store = new KvStore(database, name);
        store.id();
        return store;
    }

    /**
     * @return the store's id, found or (unless read-only) made on first use. A read-only vault
     *     looks again each time until another process has made the store.
     */
    private int id() {
        int known = id;
        if (known == 0) {
            known = resolve();
            id = known;
        }
        return known;
    }

    private int resolve() {
        int found = lookUp();
        if (found != 0 || database.options().readOnly()) {
            return found;
        }
        database.write(
                c -> {
                    PreparedStatement s = c.prepared(KvSql.CREATE_STORE);
                    s.setString(1, name);
                    return s.executeUpdate();
                },
                () -> "create " + where());
        // Made inside a transaction, the store's row goes if the transaction rolls back: forget its id then.
        database.onRollback(() -> id = 0);
        return lookUp();
    }

    private int lookUp() {
        return database.read(
                c -> {
                    PreparedStatement s = c.prepared(KvSql.STORE_ID);
                    s.setString(1, name);
                    try (ResultSet rows = s.executeQuery()) {
                        return rows.next() ? rows.getInt(1) : 0;
                    }
                },
                () -> "look up " + where());
    }

    /** @return the store's id in the file (0 while a read-only vault has not seen it) */
    int storeId() {
        return id();
    }

    /** @return values larger than this are stored as chunks */
    int chunkSize() {
        return chunkSize;
    }

    /** @return the store's chunked values */
    ChunkedValues chunks() {
        return chunks;
    }

    /** @return the store's values in the read cache */
    CachedValues values() {
        return values;
    }

    /** @return the store's name */
    public String name() {
        return name;
    }

    // ---- reads ------------------------------------------------------------------------------

    /**
     * @param key the key's bytes
     * @return a fresh copy of the value, or null when the key is absent
     * @throws InvalidArgumentException when the value is too large for one array
     */
    public byte @Nullable [] get(byte[] key) {
        WriteBackCache.Pending p = cached(key);
        if (p != null) {
            return p.value() == null ? null : p.value().clone();
        }
        if (!values.enabled() || database.inTransaction()) {
            return readEntry(key, () -> describe("get", key), wholeValue(key));
        }
        CachedValues.Ticket ticket = values.ticket();
        int storeId = id();
        byte[] hit = values.get(storeId, key, ticket);
        if (hit != null) {
            database.ensureOpen();
            return hit.clone();
        }
        byte[] value = readEntry(key, () -> describe("get", key), wholeValue(key));
        if (value != null && values.keepsRead(key, value.length)) {
            values.found(storeId, key, ticket, value.clone());
        }
        return value;
    }

    /** @return the reader that makes a stored entry of {@code key} into its whole value */
    private EntryRows.EntryReader<byte[]> wholeValue(byte[] key) {
        return new EntryRows.EntryReader<>() {
            @Override
            public byte[] inline(byte[] value) {
                return value;
            }

            @Override
            public byte[] chunked(VaultConnection conn, int storeId, int blobId) throws SQLException {
                return chunks.readWhole(conn, storeId, blobId, () -> describe("get", key));
            }
        };
    }

    /**
     * Reads several values as one snapshot.
     *
     * @param keys the keys' bytes
     * @return for each key, in order, a fresh copy of its value or null when absent
     */
    public List<byte @Nullable []> getAll(List<byte[]> keys) {
        if (keys.isEmpty()) {
            database.ensureOpen();
            return List.of();
        }
        database.ensureOpen();
        int storeId = id();
        boolean useCache = values.enabled() && !database.inTransaction();
        CachedValues.Ticket ticket = useCache ? values.ticket() : null;
        List<byte @Nullable []> found = new ArrayList<>(keys.size());
        boolean[] stored = new boolean[keys.size()]; // answered by the file
        boolean anyStored = false;
        for (int i = 0; i < stored.length; i++) {
            byte[] key = keys.get(i);
            WriteBackCache.Pending p = cached(key);
            byte[] hit = p != null || ticket == null ? null : values.get(storeId, key, ticket);
            if (p != null) {
                found.add(p.value() == null ? null : p.value().clone());
            } else if (hit != null) {
                found.add(hit.clone());
            } else {
                found.add(null);
                stored[i] = true;
                anyStored = true;
            }
        }
        if (!anyStored) {
            return found;
        }
        byte[][] wanted = new byte[stored.length][];
        int n = 0;
        for (int i = 0; i < stored.length; i++) {
            if (stored[i]) {
                wanted[n++] = keys.get(i);
            }
        }
        int count = n;
        SqlCall<Map<ByteKey, byte[]>> readAll = conn -> {
            Map<ByteKey, byte[]> values = new HashMap<>();
            for (int from = 0; from < count; from += KvSql.KEYS_PER_GET) {
                int size = Math.min(KvSql.KEYS_PER_GET, count - from);
                EntryRows.readMany(conn, storeId, wanted, from, size, chunks, k -> () -> describe("get", k), values);
            }
            return values;
        };
        Supplier<String> what = () -> "get " + keys.size() + " keys in " + where();
        // One statement is a snapshot of its own; more take a read transaction.
        Map<ByteKey, byte[]> read =
                count <= KvSql.KEYS_PER_GET ? database.read(readAll, what) : database.readConsistent(readAll, what);
        Set<ByteKey> handedOut = new HashSet<>();
        for (int i = 0; i < stored.length; i++) {
            if (stored[i]) {
                ByteKey key = new ByteKey(keys.get(i));
                byte[] value = read.get(key);
                // a key asked for twice was read once: each answer gets its own array
                found.set(i, value == null ? null : handedOut.add(key) ? value : value.clone());
            }
        }
        if (ticket != null) {
            for (int i = 0; i < stored.length; i++) {
                byte[] value = found.get(i);
                if (stored[i] && value != null && values.keepsRead(keys.get(i), value.length)) {
                    values.found(storeId, keys.get(i), ticket, value.clone());
                }
            }
        }
        return found;
    }

    /** @return what {@code reader} makes of the stored entry of {@code key}, or null when it is absent */
    private <T> @Nullable T readEntry(byte[] key, Supplier<String> what, EntryRows.EntryReader<T> reader) {
        int storeId = id();
        return database.read(conn -> EntryRows.read(conn, storeId, key, what, reader), what);
    }

    /** @return the pending cached write of {@code key}, or null when the cache is off or has none */
    private WriteBackCache.@Nullable Pending cached(byte[] key) {
        WriteBackCache c = cache;
        return c == null ? null : c.get(key);
    }

    /**
     * @param key the key's bytes
     * @return whether the key exists (a cached delete counts as absent)
     */
    public boolean exists(byte[] key) {
        WriteBackCache.Pending p = cached(key);
        if (p != null) {
            return p.value() != null;
        }
        if (values.enabled() && !database.inTransaction() && values.get(id(), key, values.ticket()) != null) {
            database.ensureOpen();
            return true;
        }
        return existsStored(key);
    }

    private boolean existsStored(byte[] key) {
        int storeId = id();
        return database.read(
                conn -> {
                    PreparedStatement s = conn.prepared(KvSql.EXISTS);
                    s.setInt(1, storeId);
                    s.setBytes(2, key);
                    try (ResultSet rows = s.executeQuery()) {
                        return rows.next();
                    }
                },
                () -> describe("check", key));
    }

    /** @return the number of keys; flushes the cache first */
    public long size() {
        flushCache();
        int storeId = id();
        return database.read(
                conn -> {
                    PreparedStatement s = conn.prepared(KvSql.COUNT);
                    s.setInt(1, storeId);
                    try (ResultSet rows = s.executeQuery()) {
                        rows.next();
                        return rows.getLong(1);
                    }
                },
                () -> "count the keys of " + where());
    }

    /**
     * Iterates keys with {@code prefix} in unsigned byte order, a page at a time (constant memory).
     * Flushes the cache first.
     *
     * @param prefix the prefix; empty for every key
     * @return the keys, lazily
     */
    public Iterator<byte[]> keys(byte[] prefix) {
        flushCache();
        return new KeyPages(database, this::id, prefix, () -> "list the keys of " + where());
    }

    /**
     * Iterates keys and values in key order, a page at a time. Flushes the cache first.
     *
     * @return key-value pairs, lazily; each value is a fresh array
     */
    public Iterator<Map.Entry<byte[], byte[]>> entries() {
        flushCache();
        return new EntryPages(database, this::id, chunks, () -> "list the entries of " + where());
    }

    /**
     * Opens a stream over a value: an inline value is already in memory, a chunked one is read a
     * chunk at a time.
     *
     * @param key the key's bytes
     * @return the stream
     * @throws NotFoundException when the key is absent
     */
    public InputStream openStream(byte[] key) {
        Supplier<String> what = () -> describe("read", key);
        WriteBackCache.Pending p = cached(key);
        if (p != null) {
            if (p.value() == null) {
                throw missing(key);
            }
            return ValueInputStream.ofBytes(database, p.value().clone(), what);
        }
        ValueInputStream stream = readEntry(key, what, new EntryRows.EntryReader<>() {
            @Override
            public ValueInputStream inline(byte[] value) {
                return ValueInputStream.ofBytes(database, value, what);
            }

            @Override
            public ValueInputStream chunked(VaultConnection conn, int storeId, int blobId) throws SQLException {
                ChunkedValues.BlobInfo blob = chunks.info(conn, storeId, blobId, what);
                return ValueInputStream.ofBlob(database, chunks, storeId, blobId, blob, what);
            }
        });
        if (stream == null) {
            throw missing(key);
        }
        return stream;
    }

    /**
     * Writes a value to {@code out}, a chunk at a time. Does not close {@code out}.
     *
     * @param key the key's bytes
     * @param out where the value goes
     * @return the number of bytes written
     * @throws NotFoundException when the key is absent
     * @throws VaultIoException when writing to {@code out} fails
     */
    public long copyTo(byte[] key, OutputStream out) {
        try (InputStream in = openStream(key)) {
            byte[] buffer = new byte[Math.min(chunkSize, 1 << 16)];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new VaultIoException(describe("write", key) + " to the output stream: " + e.getMessage(), e);
                }
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new VaultIoException(describe("read", key) + ": " + e.getMessage(), e);
        }
    }

    // ---- writes -----------------------------------------------------------------------------

    /**
     * Stores a value. With the cache on (and outside a transaction) it is only recorded; a value
     * larger than the cache's capacity goes straight to the file.
     *
     * @param key the key's bytes
     * @param value the value; copied if cached, so the caller may change it afterwards
     */
    public void put(byte[] key, byte[] value) {
        boolean inTransaction = database.inTransaction();
        if (inTransaction && value.length <= chunkSize) {
            transactionPuts.add(key, value.clone());
            return;
        }
        WriteBackCache c = cache;
        if (c != null && !inTransaction) {
            if (c.fits(value.length)) {
                cacheWrite(c, new WriteBackCache.Pending(key, value.clone()));
                return;
            }
            flushCache(); // no older cached write of this key may outlive the direct write below
        }
        if (value.length <= chunkSize) {
            int storeId = id();
            if (!values.enabled()) {
                putInline(storeId, key, value);
                return;
            }
            byte[] kept = values.keeps(value.length) ? value.clone() : null;
            written(key, kept, () -> {
                putInline(storeId, key, value);
                return true;
            });
        } else {
            putStream(key, new ByteArrayInputStream(value), value.length);
        }
    }

    /**
     * Stores an inline value outside a transaction: one statement, unless the key holds a chunked
     * value, which is then replaced, and its blob freed, in one transaction.
     */
    private void putInline(int storeId, byte[] key, byte[] value) {
        Supplier<String> what = () -> describe("put", key);
        if (!database.write(conn -> EntryRows.putInline(conn, storeId, key, value), what)) {
            database.transaction(
                    conn -> {
                        EntryRows.putInlineReplacing(conn, storeId, key, value);
                        return null;
                    },
                    what);
        }
    }

    /**
     * Stores several values in one transaction: all land, or none. Cached writes of this store are
     * flushed first, so no older cached write outlives these; the values then go straight to the
     * file, written in key order in few statements, and are durable when this returns.
     *
     * @param entries keys and values, checked and copied by the caller; a key given twice keeps its
     *     last value
     */
    public void putAll(List<Map.Entry<byte[], byte[]>> entries) {
        if (entries.isEmpty()) {
            database.ensureOpen();
            return;
        }
        if (cache != null && !database.inTransaction()) {
            flushCache();
        }
        database.userTransaction(() -> {
            for (Map.Entry<byte[], byte[]> e : entries) {
                put(e.getKey(), e.getValue());
            }
            return null;
        });
    }

    /**
     * Stores a value read from a stream, in one transaction: on any failure the old value (or no
     * key) stays. Memory holds at most two chunks. Does not close {@code in}.
     *
     * @param key the key's bytes
     * @param in the value's bytes, read to the end
     * @param declaredSize the stream's length, or -1 when unknown
     * @return the number of bytes stored
     * @throws InvalidArgumentException when the stream's length differs from {@code declaredSize}
     * @throws VaultIoException when reading the stream fails
     */
    public long putStream(byte[] key, InputStream in, long declaredSize) {
        if (cache != null && !database.inTransaction()) {
            flushCache(); // no older cached write of this key may outlive this one
        }
        int storeId = id();
        Supplier<String> what = () -> describe("put", key);
        return written(
                key,
                null,
                () -> database.transaction(
                        conn -> chunks.write(
                                conn, storeId, in, declaredSize, what, EntryRows.target(conn, storeId, key)),
                        what));
    }

    /**
     * Runs a write of {@code key} and records it in the read cache once it has committed: outside
     * a transaction the key's entry becomes {@code kept} (or goes, when null); inside one, the
     * store's cached values are renewed when the transaction ends.
     */
    private <T> T written(byte[] key, byte @Nullable [] kept, Supplier<T> write) {
        if (!values.enabled()) {
            return write.get();
        }
        if (database.inTransaction()) {
            T result = write.get();
            renewValuesAtTransactionEnd();
            return result;
        }
        int storeId = id();
        return database.exclusive(() -> {
            T result = write.get();
            values.written(storeId, key, database.lastCommitEpoch(), kept);
            return result;
        });
    }

    /** Call under the write lock, inside a transaction that writes to this store. */
    private void renewValuesAtTransactionEnd() {
        if (values.enabled() && !writtenInTransaction) {
            writtenInTransaction = true;
            database.onTransactionEnd(() -> {
                writtenInTransaction = false;
                values.newGeneration();
            });
        }
    }

    /**
     * Deletes a key.
     *
     * @param key the key's bytes
     * @return whether the key existed (with the cache on, this costs a read)
     */
    public boolean delete(byte[] key) {
        WriteBackCache c = cache;
        if (c != null && !database.inTransaction()) {
            WriteBackCache.Pending p = c.get(key);
            boolean existed = p != null ? p.value() != null : existsStored(key);
            cacheWrite(c, new WriteBackCache.Pending(key, null));
            return existed;
        }
        int storeId = id();
        return written(key, null, () -> deleteStored(storeId, key));
    }

    /**
     * Deletes a key from the file: an inline value in one statement (an absent key costs a second,
     * a read), which is atomic on its own; a chunked value with its blob in one transaction (a
     * savepoint inside an open transaction, so that a failure half way undoes the whole delete).
     */
    private boolean deleteStored(int storeId, byte[] key) {
        Supplier<String> what = () -> describe("delete", key);
        return switch (database.write(conn -> EntryRows.deleteInline(conn, storeId, key), what)) {
            case DELETED -> true;
            case ABSENT -> false;
            case CHUNKED -> database.transaction(conn -> EntryRows.remove(conn, storeId, key), what);
        };
    }

    /** Deletes every key of the store, with its chunked values, cached ones included. */
    public void clear() {
        int storeId = id();
        database.transaction(conn -> EntryRows.clear(conn, storeId), () -> "clear " + where());
        values.newGeneration();
        if (database.inTransaction()) {
            renewValuesAtTransactionEnd(); // a rollback brings the values back
        }
        WriteBackCache c = cache;
        if (c != null) {
            c.discard();
        }
    }

    // ---- cache ------------------------------------------------------------------------------

    /**
     * Turns the write-back cache on (flushing an existing one first).
     *
     * @param capacityBytes most bytes held; larger values bypass the cache
     * @param flushThresholdBytes a flush starts when this many bytes are held
     * @throws KohakuVaultException inside a transaction
     */
    public void enableCache(long capacityBytes, long flushThresholdBytes) {
        database.ensureOpen();
        refuseInTransaction("turn the cache on");
        flushCache();
        cache = new WriteBackCache(capacityBytes, flushThresholdBytes);
    }

    /**
     * Turns the cache on for a store just opened, which has nothing to flush: possible inside a
     * transaction too, whose writes bypass the cache anyway.
     *
     * @param capacityBytes most bytes cached
     * @param flushThresholdBytes bytes cached that trigger a flush
     */
    public void startCached(long capacityBytes, long flushThresholdBytes) {
        cache = new WriteBackCache(capacityBytes, flushThresholdBytes);
    }

    /**
     * Flushes, then turns the cache off.
     *
     * @throws KohakuVaultException inside a transaction
     */
    public void disableCache() {
        refuseInTransaction("turn the cache off");
        flushCache();
        cache = null;
    }

    /** @return whether the write-back cache is on */
    public boolean cacheEnabled() {
        return cache != null;
    }

    /** @return whether the write-back cache holds writes not yet flushed */
    public boolean hasCachedWrites() {
        WriteBackCache c = cache;
        return c != null && !c.isEmpty();
    }

    /**
     * Commits every cached write in one transaction. Inside a transaction it does nothing: the
     * transaction could still roll back, and cached writes must not go with it.
     *
     * @return how many keys were written or deleted
     */
    public int flushCache() {
        WriteBackCache c = cache;
        if (c == null || c.isEmpty() || database.inTransaction()) {
            database.ensureOpen();
            return 0;
        }
        return database.exclusive(() -> {
            CacheFlush flush = database.transaction(
                    conn -> {
                        CacheFlush taken =
                                prepareFlush(); // under the write lock: snapshots are written in the order taken
                        if (taken != null) {
                            taken.write(conn);
                        }
                        return taken;
                    },
                    () -> "flush the cache of " + where());
            return flush == null ? 0 : flush.complete(database.lastCommitEpoch());
        });
    }

    /**
     * Commits the cached writes of several stores of one vault in one transaction.
     *
     * @param database their vault's database
     * @param stores the stores
     * @return how many keys were written or deleted, over all of them
     */
    public static int flushTogether(Database database, List<KvStore> stores) {
        if (stores.stream().noneMatch(KvStore::hasCachedWrites)) {
            return 0;
        }
        return database.exclusive(() -> {
            List<CacheFlush> flushes = database.transaction(
                    conn -> {
                        List<CacheFlush> taken = new ArrayList<>();
                        for (KvStore store : stores) {
                            CacheFlush flush = store.prepareFlush();
                            if (flush != null) {
                                flush.write(conn);
                                taken.add(flush);
                            }
                        }
                        return taken;
                    },
                    () -> "flush the caches of vault " + database.options().location());
            int written = 0;
            for (CacheFlush flush : flushes) {
                written += flush.complete(database.lastCommitEpoch());
            }
            return written;
        });
    }

    /**
     * Takes what is cached now, for a flush that the caller writes in a transaction (possibly with
     * other stores') and then completes. Call it under the write lock, inside that transaction.
     *
     * @return the flush, or null when nothing is cached
     */
    @Nullable
    CacheFlush prepareFlush() {
        WriteBackCache c = cache;
        if (c == null || c.isEmpty()) {
            database.ensureOpen();
            return null;
        }
        return new CacheFlush(this, c, c.snapshot());
    }

    private void refuseInTransaction(String what) {
        if (database.inTransaction()) {
            throw new KohakuVaultException("cannot " + what + " of " + where() + " inside a transaction");
        }
    }

    /**
     * The small puts of the calling thread's open transaction, held back and written together in
     * key order, in few statements, before the transaction's next statement of any other kind.
     * See {@link Database.StagedWrites}.
     */
    private final class TransactionPuts implements Database.StagedWrites {
        /** Written early once this many bytes are held, so a long transaction stays in bounded memory. */
        private static final long HELD_BYTES = 8L << 20;

        private final WriteBackCache held = new WriteBackCache(Long.MAX_VALUE, HELD_BYTES);

        void add(byte[] key, byte[] value) {
            database.ensureWritableOpen(() -> describe("put", key));
            renewValuesAtTransactionEnd();
            if (held.isEmpty()) {
                database.stage(this);
            }
            if (held.add(new WriteBackCache.Pending(key, value)) == WriteBackCache.Added.THRESHOLD_REACHED) {
                database.writeStaged(() -> "write the puts of a transaction to " + where());
            }
        }

        @Override
        public void write(VaultConnection writer) throws SQLException {
            new CacheFlush(KvStore.this, held, held.snapshot()).write(writer);
            held.discard();
        }

        @Override
        public void discard() {
            held.discard();
        }
    }

    private void cacheWrite(WriteBackCache c, WriteBackCache.Pending write) {
        database.ensureWritableOpen(() -> describe(write.value() == null ? "delete" : "put", write.key()));
        WriteBackCache.Added added;
        while ((added = c.add(write)) == WriteBackCache.Added.FULL) {
            flushCache();
        }
        if (added == WriteBackCache.Added.THRESHOLD_REACHED) {
            flushCache();
        }
    }

    /** Runs {@code PRAGMA optimize} and {@code VACUUM} on the vault's file. */
    public void optimize() {
        database.optimize();
    }

    /** @return e.g. {@code "put key 'a' in store 'kvault' of vault data.db"} */
    String describe(String verb, byte[] key) {
        return verb + " key " + KeyCodec.describe(key) + " in " + where();
    }

    private String where() {
        return "store '" + name + "' of vault " + database.options().location();
    }

    /**
     * @param key a key that is absent
     * @return the exception to throw for it, naming the key and the store
     */
    public NotFoundException missing(byte[] key) {
        return new NotFoundException("key " + KeyCodec.describe(key) + " not found in " + where());
    }
}
