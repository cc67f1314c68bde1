package io.kohakuvault;

import io.kohakuvault.internal.kv.KeyCodec;
import io.kohakuvault.internal.kv.KvStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A dict-like store of byte values under {@code String} or {@code byte[]} keys, in a
 * {@link Vault}'s file. Thread-safe. Get one from {@link Vault#kv()} or {@link Vault#kv(String)}.
 *
 * <p>A {@code String} key is stored as its UTF-8 bytes, so {@code "a"} and
 * {@code "a".getBytes(UTF_8)} are the same key; keys are at most
 * {@value io.kohakuvault.internal.kv.KeyCodec#MAX_KEY_BYTES} bytes in a file and
 * {@value io.kohakuvault.internal.kv.KeyCodec#MAX_SERVER_KEY_BYTES} in a PostgreSQL vault (whose
 * index entries are limited to a third of a page), and the empty key is a key.
 * Values are any size and stored exactly: a value up to the chunk size is one row, a larger one
 * is chunk rows, so values of many gigabytes work through the streaming methods.
 *
 * <p>Each write is atomic and, with the cache off, durable when it returns. Writes return nothing
 * so that none pays for reading the old value; {@link #asMap()} is the full {@code Map} view.
 * Iteration is lazy, in unsigned byte order of the keys, a page at a time (constant memory).
 *
 * <p>Every value and chunk is stored with a checksum that each read checks: any read of a value
 * whose bytes were damaged on disk throws {@link VaultIoException} naming the key, instead of
 * returning them.
 *
 * <pre>{@code
 * kv.put("image:123", bytes);
 * byte[] back = kv.get("image:123");          // null when absent
 * for (String key : kv.keys("image:")) { }
 * kv.putFile("video:789", Path.of("clip.mp4"));
 * }</pre>
 */
public final class KVault implements Iterable<Map.Entry<String, byte[]>> {
    private final KvStore store;
    /** The longest key this store takes, in bytes: less on a server than in a file. */
    private final int maxKeyBytes;

    KVault(KvStore store) {
        this.maxKeyBytes = store.maxKeyBytes();
        this.store = store;
    }

    /** @return this store's name */
    public String name() {
        return store.name();
    }

    // ---- writes -----------------------------------------------------------------------------

    /**
     * Stores {@code value} under {@code key}, replacing any old value. The array is copied: changing
     * it afterwards changes nothing stored. One indexed write; a value larger than the chunk size
     * is written as chunk rows in one transaction.
     *
     * @param key the key
     * @param value the value, any size
     * @throws InvalidArgumentException when the key or value is null, or the key is too long
     * @throws VaultIoException when the vault is closed or the disk is full
     * @throws DatabaseBusyException when another process kept the database locked past every retry
     */
    public void put(String key, byte[] value) {
        store.put(keyBytes(key), checkValue(value, key));
    }

    /**
     * Stores {@code value} under the raw key bytes {@code key}; see {@link #put(String, byte[])}.
     *
     * @param key the key's bytes (copied)
     * @param value the value
     */
    public void put(byte[] key, byte[] value) {
        byte[] k = keyBytes(key);
        store.put(k, checkValue(value, k));
    }

    /**
     * The same as {@link #put(String, byte[])}; in Kotlin {@code kv["k"] = bytes}.
     *
     * @param key the key
     * @param value the value
     */
    public void set(String key, byte[] value) {
        put(key, value);
    }

    /**
     * The same as {@link #put(byte[], byte[])}.
     *
     * @param key the key's bytes
     * @param value the value
     */
    public void set(byte[] key, byte[] value) {
        put(key, value);
    }

    /**
     * Deletes {@code key}.
     *
     * @param key the key
     * @return whether the key existed
     * @throws InvalidArgumentException when the key is null or too long
     */
    public boolean delete(String key) {
        return store.delete(keyBytes(key));
    }

    /**
     * Deletes the raw key {@code key}.
     *
     * @param key the key's bytes
     * @return whether the key existed
     */
    public boolean delete(byte[] key) {
        return store.delete(keyBytes(key));
    }

    /**
     * Deletes every key of this store (not of other stores in the file), cached writes included.
     * One statement; a chunked value's chunks go with it.
     */
    public void clear() {
        store.clear();
    }

    /**
     * Stores every entry of {@code entries} as one atomic write: all of them land, or none (an
     * exception leaves the store as it was). The values go straight to the file in one
     * transaction, sorted by key, in few statements, whatever the cache (cached writes of this
     * store are flushed first), so they are durable when this returns; inside a
     * {@link Vault#transaction} they join it. The arrays are copied.
     *
     * @param entries keys and values, any number; an empty map does nothing
     * @throws InvalidArgumentException when the map, a key or a value is null, or a key is too
     *     long; nothing is stored then
     * @throws VaultIoException when the vault is closed or the disk is full
     */
    public void putAll(Map<String, byte[]> entries) {
        if (entries == null) {
            throw new InvalidArgumentException("putAll: entries must not be null");
        }
        List<Map.Entry<byte[], byte[]>> checked = new ArrayList<>(entries.size());
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] k = keyBytes(e.getKey());
            checked.add(new AbstractMap.SimpleImmutableEntry<>(
                    k, checkValue(e.getValue(), k).clone()));
        }
        store.putAll(checked);
    }

    /**
     * Stores everything {@code in} holds under {@code key}, streaming: memory holds about two
     * chunks whatever the size, which need not be known. The whole value lands in one
     * transaction: if the stream fails half way, the old value (or no key) stays. Does not close
     * {@code in}. Holds the vault's write lock while it reads the stream.
     *
     * @param key the key
     * @param in the value's bytes, read to the end
     * @throws VaultIoException when reading {@code in} fails
     */
    public void putFile(String key, InputStream in) {
        store.putStream(keyBytes(key), checkStream(in, key), -1);
    }

    /**
     * Like {@link #putFile(String, InputStream)} for a key given as its stored bytes (a key that is
     * not UTF-8 text).
     *
     * @param key the key's bytes
     * @param in the value's bytes, read to the end
     * @throws VaultIoException when reading {@code in} fails
     */
    public void putFile(byte[] key, InputStream in) {
        store.putStream(keyBytes(key), checkStream(in, key), -1);
    }

    /**
     * Like {@link #putFile(String, InputStream)} for a stream that must hold exactly {@code size}
     * bytes.
     *
     * @param key the key
     * @param in the value's bytes
     * @param size the stream's length
     * @throws InvalidArgumentException when the stream holds more or fewer bytes; nothing is stored
     */
    public void putFile(String key, InputStream in, long size) {
        if (size < 0) {
            throw new InvalidArgumentException("putFile of key " + KeyCodec.describe(keyBytes(key))
                    + ": size must be zero or more, but was " + size);
        }
        store.putStream(keyBytes(key), checkStream(in, key), size);
    }

    /**
     * Stores the contents of a file under {@code key}, streaming; see {@link #putFile(String, InputStream)}.
     *
     * @param key the key
     * @param file the file to read
     * @throws VaultIoException when the file cannot be read, naming it
     */
    public void putFile(String key, Path file) {
        byte[] k = keyBytes(key);
        if (file == null) {
            throw new InvalidArgumentException("putFile of key " + KeyCodec.describe(k) + ": path must not be null");
        }
        try (InputStream in = Files.newInputStream(file)) {
            store.putStream(k, in, Files.size(file));
        } catch (NoSuchFileException e) {
            throw new VaultIoException("putFile of key " + KeyCodec.describe(k) + ": no such file " + file, e);
        } catch (IOException e) {
            throw new VaultIoException(
                    "putFile of key " + KeyCodec.describe(k) + ": cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- reads ------------------------------------------------------------------------------

    /**
     * Returns the value of {@code key}; in Kotlin {@code kv["k"]}, a {@code ByteArray?}. One
     * indexed read; a chunked value is assembled from its chunks.
     *
     * @param key the key
     * @return a fresh copy of the value, or null when the key is absent
     * @throws InvalidArgumentException when the key is null or too long, or the value is too large
     *     for one array (use {@link #openStream(String)})
     */
    public byte @Nullable [] get(String key) {
        return store.get(keyBytes(key));
    }

    /**
     * Returns the value of the raw key {@code key}.
     *
     * @param key the key's bytes
     * @return a fresh copy of the value, or null when absent
     */
    public byte @Nullable [] get(byte[] key) {
        return store.get(checkLength(nonNull(key)));
    }

    /**
     * Returns the values of the keys of {@code keys} that are present, read as one consistent
     * snapshot (no commit lands between two of them); cached writes are seen as by {@link #get}.
     * Absent keys are left out. The map iterates in the order of {@code keys}.
     *
     * @param keys the keys, any number; duplicates are read once
     * @return a new map from each present key to a fresh copy of its value
     * @throws InvalidArgumentException when the collection or a key is null, or a key is too long
     * @throws VaultIoException when the vault is closed or a stored value is damaged
     */
    public Map<String, byte[]> getAll(Collection<String> keys) {
        if (keys == null) {
            throw new InvalidArgumentException("getAll: keys must not be null");
        }
        List<String> names = new ArrayList<>(keys.size());
        List<byte[]> encoded = new ArrayList<>(keys.size());
        for (String key : keys) {
            names.add(key);
            encoded.add(keyBytes(key));
        }
        List<byte @Nullable []> values = store.getAll(encoded);
        Map<String, byte[]> found = new LinkedHashMap<>(names.size() * 4 / 3 + 1); // never rehashed
        for (int i = 0; i < names.size(); i++) {
            byte[] v = values.get(i);
            if (v != null) {
                found.put(names.get(i), v);
            }
        }
        return found;
    }

    /**
     * Returns the value of {@code key}, or {@code fallback} when absent.
     *
     * @param key the key
     * @param fallback returned when the key is absent; may be null
     * @return the value or the fallback
     */
    public byte @Nullable [] get(String key, byte @Nullable [] fallback) {
        byte[] value = get(key);
        return value != null ? value : fallback;
    }

    /**
     * Returns the value of {@code key}, which must exist.
     *
     * @param key the key
     * @return a fresh copy of the value
     * @throws NotFoundException when the key is absent, naming it and the store
     */
    public byte[] require(String key) {
        byte[] k = keyBytes(key);
        byte[] value = store.get(k);
        if (value == null) {
            throw store.missing(k);
        }
        return value;
    }

    /**
     * Tells whether {@code key} exists, without reading its value.
     *
     * @param key the key
     * @return whether it exists
     */
    public boolean exists(String key) {
        return store.exists(keyBytes(key));
    }

    /**
     * Tells whether the raw key {@code key} exists.
     *
     * @param key the key's bytes
     * @return whether it exists
     */
    public boolean exists(byte[] key) {
        return store.exists(checkLength(nonNull(key)));
    }

    /**
     * The same as {@link #exists(String)}; in Kotlin {@code "k" in kv}.
     *
     * @param key the key
     * @return whether it exists
     */
    public boolean contains(String key) {
        return exists(key);
    }

    /**
     * The same as {@link #exists(byte[])}.
     *
     * @param key the key's bytes
     * @return whether it exists
     */
    public boolean contains(byte[] key) {
        return exists(key);
    }

    /**
     * Counts the keys (flushing the cache first). One index scan of this store's keys.
     *
     * @return the number of keys
     */
    public long size() {
        return store.size();
    }

    /** @return whether the store has no key */
    public boolean isEmpty() {
        return !rawKeys().iterator().hasNext();
    }

    /**
     * Writes the value of {@code key} to {@code out}, a chunk at a time. Does not close {@code out}.
     *
     * @param key the key
     * @param out where the bytes go
     * @return the number of bytes written
     * @throws NotFoundException when the key is absent
     * @throws VaultIoException when writing to {@code out} fails
     */
    public long getToFile(String key, OutputStream out) {
        byte[] k = keyBytes(key);
        if (out == null) {
            throw new InvalidArgumentException(
                    "getToFile of key " + KeyCodec.describe(k) + ": stream must not be null");
        }
        return store.copyTo(k, out);
    }

    /**
     * Writes the value of {@code key} to {@code file}, replacing it. The bytes go to a temporary
     * file beside it that is moved into place at the end, so a failure never leaves half a file;
     * when the key is absent the file is not touched.
     *
     * @param key the key
     * @param file the file to write
     * @return the number of bytes written
     * @throws NotFoundException when the key is absent
     * @throws VaultIoException when the file cannot be written, naming it
     */
    public long getToFile(String key, Path file) {
        byte[] k = keyBytes(key);
        if (file == null) {
            throw new InvalidArgumentException("getToFile of key " + KeyCodec.describe(k) + ": path must not be null");
        }
        try (InputStream in = store.openStream(k)) {
            Path folder = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".part");
            try {
                long n;
                try (OutputStream out = Files.newOutputStream(temp)) {
                    n = in.transferTo(out);
                }
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return n;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new VaultIoException(
                    "getToFile of key " + KeyCodec.describe(k) + ": cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens a stream over the value of {@code key}. A value of at most one chunk is read whole now,
     * and the stream returns exactly it, whatever happens to the key later. A larger value is read
     * one chunk at a time, each chunk in its own short read, so the stream holds no lock and no
     * connection between reads; if the key is replaced or deleted meanwhile, a later read throws
     * {@link VaultIoException}. After the vault is closed every read throws it. The stream never
     * returns bytes of another value, and each chunk's checksum is checked as it is read.
     *
     * @param key the key
     * @return the stream; close it when done
     * @throws NotFoundException when the key is absent
     */
    public InputStream openStream(String key) {
        return store.openStream(keyBytes(key));
    }

    /**
     * Like {@link #openStream(String)} for a key given as its stored bytes.
     *
     * @param key the key's bytes
     * @return the stream; close it when done
     * @throws NotFoundException when the key is absent
     */
    public InputStream openStream(byte[] key) {
        return store.openStream(keyBytes(key));
    }

    // ---- iteration --------------------------------------------------------------------------

    /**
     * Every key as text, in unsigned byte order of its UTF-8 bytes. Lazy and paged. A key whose
     * bytes are not UTF-8 shows U+FFFD where they are not; {@link #rawKeys()} has it exactly.
     *
     * @return the keys
     */
    public Iterable<String> keys() {
        return keys("");
    }

    /**
     * The keys that start with {@code prefix}, in key order. Lazy and paged; the scan starts at the
     * prefix and stops past it.
     *
     * @param prefix the prefix; empty for every key
     * @return the keys
     */
    public Iterable<String> keys(String prefix) {
        byte[] p = prefixBytes(prefix);
        return () -> map(store.keys(p), KeyCodec::decode);
    }

    /**
     * Every key as stored, in unsigned byte order: for keys that are not UTF-8.
     *
     * @return the keys' bytes; each array is fresh
     */
    public Iterable<byte[]> rawKeys() {
        return () -> store.keys(new byte[0]);
    }

    /**
     * The keys as stored that start with the bytes {@code prefix}, in order.
     *
     * @param prefix the prefix
     * @return the keys' bytes
     */
    public Iterable<byte[]> rawKeys(byte[] prefix) {
        byte[] p = prefix == null ? null : prefix.clone();
        if (p == null) {
            throw new InvalidArgumentException("prefix must not be null");
        }
        return () -> store.keys(p);
    }

    /**
     * Every value, in key order. Lazy and paged; each value is a fresh array.
     *
     * @return the values
     */
    public Iterable<byte[]> values() {
        return () -> map(store.entries(), Map.Entry::getValue);
    }

    /**
     * Every key (as text) and value, in key order; in Kotlin {@code for ((k, v) in kv)}. Lazy and
     * paged: a page holds at most 512 entries or about 4 MiB of values. The iteration sees writes
     * made after it started past its position; it never fails because of them.
     *
     * @return the iterator
     */
    @Override
    public Iterator<Map.Entry<String, byte[]>> iterator() {
        return map(
                store.entries(),
                e -> new AbstractMap.SimpleImmutableEntry<>(KeyCodec.decode(e.getKey()), e.getValue()));
    }

    /**
     * A live {@code java.util.Map} view of this store: reads and writes go straight through. Its
     * {@code put} and {@code remove} return the old value, so they read it first.
     *
     * @return the view
     */
    public Map<String, byte[]> asMap() {
        return new KVaultMap(this);
    }

    // ---- cache ------------------------------------------------------------------------------

    /**
     * Turns on the write-back cache: puts and deletes wait in memory, where reads see them, and
     * commit together, sorted by key, in one transaction once {@code flushThresholdBytes} are
     * cached, or on {@link #flushCache()}, {@link #disableCache()}, {@link Vault#flushCache()} or
     * {@link Vault#close()}. A value larger than {@code capacityBytes} bypasses the cache.
     *
     * <p><b>Durability:</b> a cached write is durable only once a flush has committed it. If the
     * process crashes or is killed first, every write still in the cache is lost (the file stays
     * consistent: it holds exactly the flushed writes).
     *
     * @param capacityBytes most bytes held
     * @param flushThresholdBytes cached bytes that start a flush; one above {@code capacityBytes} is
     *     allowed, and the capacity then governs: the cache flushes when it is full
     * @throws InvalidArgumentException when the sizes are not positive
     * @throws KohakuVaultException inside a transaction
     */
    public void enableCache(long capacityBytes, long flushThresholdBytes) {
        checkCacheSizes(capacityBytes, flushThresholdBytes);
        store.enableCache(capacityBytes, flushThresholdBytes);
    }

    /**
     * Commits every cached write in one transaction. Inside a {@link Vault#transaction} it does
     * nothing and returns 0, since that transaction could still roll back.
     *
     * @return how many keys were written or deleted
     * @throws VaultIoException when the disk is full (the writes stay cached)
     */
    public int flushCache() {
        return store.flushCache();
    }

    /**
     * Flushes the cache, then turns it off: writes go straight to the file again.
     *
     * @throws KohakuVaultException inside a transaction
     */
    public void disableCache() {
        store.disableCache();
    }

    /** @return whether the write-back cache is on */
    public boolean isCacheEnabled() {
        return store.cacheEnabled();
    }

    /**
     * Compacts the vault's file: the same as {@link Vault#optimize()}, which rewrites the whole
     * file (all stores share it).
     */
    public void optimize() {
        store.flushCache();
        store.optimize();
    }

    // ---- typed view -------------------------------------------------------------------------

    /**
     * This store, with values of type {@code V} turned into bytes by {@code codec}; in Java
     * {@code vault.kv("settings").typed(Codec.json(Settings.class))}. A view: no copy, no second
     * cache; its writes are this store's writes.
     *
     * @param <V> the values' type
     * @param codec how values become bytes
     * @return the typed view; a new one on every call, all of them equal in effect
     * @throws InvalidArgumentException when the codec is null
     */
    public <V> TypedKVault<V> typed(Codec<V> codec) {
        return new TypedKVault<>(this, codec);
    }

    // ---- checks -----------------------------------------------------------------------------

    KvStore store() {
        return store;
    }

    static void checkCacheSizes(long capacityBytes, long flushThresholdBytes) {
        if (capacityBytes <= 0 || flushThresholdBytes <= 0) {
            throw new InvalidArgumentException("cache sizes must be positive, but were capacity " + capacityBytes
                    + " and threshold " + flushThresholdBytes);
        }
    }

    private byte[] keyBytes(String key) {
        if (key == null) {
            throw new InvalidArgumentException("key must not be null");
        }
        return checkLength(KeyCodec.encode(key));
    }

    /** @return a copy of {@code key}, checked: for calls that keep the key (writes, streams) */
    private byte[] keyBytes(byte[] key) {
        return checkLength(nonNull(key).clone());
    }

    /** @return {@code key} itself: for reads, which never keep it (the store copies what it caches) */
    private static byte[] nonNull(byte[] key) {
        if (key == null) {
            throw new InvalidArgumentException("key must not be null");
        }
        return key;
    }

    private byte[] checkLength(byte[] key) {
        if (key.length > maxKeyBytes) {
            throw new InvalidArgumentException("key " + KeyCodec.describe(key) + " is " + key.length
                    + " bytes; keys are at most " + maxKeyBytes + " bytes"
                    + (maxKeyBytes < KeyCodec.MAX_KEY_BYTES ? " in a PostgreSQL vault" : ""));
        }
        return key;
    }

    private static byte[] prefixBytes(String prefix) {
        if (prefix == null) {
            throw new InvalidArgumentException("prefix must not be null");
        }
        return KeyCodec.encode(prefix);
    }

    private static byte[] checkValue(byte[] value, Object key) {
        if (value == null) {
            throw new InvalidArgumentException("value for key " + describe(key) + " must not be null");
        }
        return value;
    }

    private static InputStream checkStream(InputStream in, Object key) {
        if (in == null) {
            throw new InvalidArgumentException("stream for key " + describe(key) + " must not be null");
        }
        return in;
    }

    private static String describe(Object key) {
        return key instanceof byte[] b ? KeyCodec.describe(b) : KeyCodec.describe(KeyCodec.encode((String) key));
    }

    private static <A, B> Iterator<B> map(Iterator<A> source, Function<A, B> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public B next() {
                return f.apply(source.next());
            }
        };
    }
}
