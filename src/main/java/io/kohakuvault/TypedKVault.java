package io.kohakuvault;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link KVault} whose values are of type {@code V}, turned into bytes by a {@link Codec}: the
 * same store, seen through the codec. Get one from {@link Vault#kv(String, Codec)} or
 * {@link KVault#typed(Codec)}. Thread-safe.
 *
 * <pre>{@code
 * TypedKVault<Settings> settings = vault.kv("settings", Codec.json(Settings.class));
 * settings.put("user:7", new Settings("dark", 14));
 * Settings s = settings.get("user:7");               // null when absent
 * for (Map.Entry<String, Settings> e : settings) { }
 * byte[] json = settings.raw().get("user:7");        // the same store, as bytes
 * }</pre>
 *
 * <p>Every method has the semantics of its {@code KVault} twin (write-back cache, transactions,
 * key order, lazy paged iteration, one snapshot for {@link #getAll}, one atomic write for
 * {@link #putAll}) and costs what it does plus the codec's own work on each value: nothing is
 * kept beside the store, so {@link #raw()} sees the encoded bytes of every typed write, and a
 * typed read sees every raw write (which must then hold bytes the codec can decode).
 *
 * <p>A value the codec cannot encode throws {@link InvalidArgumentException} naming the key, and
 * nothing is written; stored bytes it cannot decode throw {@link KohakuVaultException} naming the
 * key and the codec, and change nothing. Null values are refused: {@code get} returns null only
 * for an absent key.
 *
 * @param <V> the type of the values
 */
public final class TypedKVault<V> implements Iterable<Map.Entry<String, V>> {
    /** Characters of a key shown in a message. */
    private static final int SHOWN = 100;

    private final KVault raw;
    private final Codec<V> codec;

    TypedKVault(KVault raw, Codec<V> codec) {
        if (codec == null) {
            throw new InvalidArgumentException("codec of store '" + raw.name() + "' must not be null");
        }
        this.raw = raw;
        this.codec = codec;
    }

    /** @return the store's name */
    public String name() {
        return raw.name();
    }

    /** @return the codec that turns values into bytes */
    public Codec<V> codec() {
        return codec;
    }

    /** @return the same store, as bytes: no copy, no second cache */
    public KVault raw() {
        return raw;
    }

    // ---- writes -----------------------------------------------------------------------------

    /**
     * Stores {@code value} under {@code key}, replacing any old value: the codec's work, then
     * {@link KVault#put(String, byte[])}.
     *
     * @param key the key
     * @param value the value, not null
     * @throws InvalidArgumentException when the key is invalid, the value is null, or the codec
     *     cannot encode it (naming the key); nothing is written
     * @throws VaultIoException when the vault is closed or the disk is full
     */
    public void put(String key, V value) {
        raw.put(key, encode(key, value));
    }

    /**
     * The same as {@link #put}; in Kotlin {@code settings["k"] = s}.
     *
     * @param key the key
     * @param value the value
     * @throws InvalidArgumentException as {@link #put}
     */
    public void set(String key, V value) {
        put(key, value);
    }

    /**
     * Encodes every value first, then stores them all in one atomic write
     * ({@link KVault#putAll}).
     *
     * @param entries the keys and values
     * @throws InvalidArgumentException when the map, a key or a value is null, or a value cannot
     *     be encoded (naming its key); nothing is written
     */
    public void putAll(Map<String, ? extends V> entries) {
        if (entries == null) {
            throw new InvalidArgumentException("putAll into store '" + name() + "': entries must not be null");
        }
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        for (Map.Entry<String, ? extends V> e : entries.entrySet()) {
            if (e.getKey() == null) {
                throw new InvalidArgumentException("putAll into store '" + name() + "': key must not be null");
            }
            encoded.put(e.getKey(), encode(e.getKey(), e.getValue()));
        }
        raw.putAll(encoded);
    }

    /**
     * Deletes {@code key}.
     *
     * @param key the key
     * @return whether it existed
     * @throws InvalidArgumentException when the key is invalid
     */
    public boolean delete(String key) {
        return raw.delete(key);
    }

    /** Deletes every key of this store; see {@link KVault#clear()}. */
    public void clear() {
        raw.clear();
    }

    // ---- reads ------------------------------------------------------------------------------

    /**
     * Returns the value of {@code key}; in Kotlin {@code settings["k"]}, a {@code V?}. One read
     * plus the codec's work.
     *
     * @param key the key
     * @return the decoded value, or null when the key is absent
     * @throws InvalidArgumentException when the key is invalid
     * @throws KohakuVaultException when the stored bytes cannot be decoded, naming the key and the codec
     */
    public @Nullable V get(String key) {
        byte[] bytes = raw.get(key);
        return bytes == null ? null : decode(key, bytes);
    }

    /**
     * Returns the value of {@code key}, or {@code fallback} when absent.
     *
     * @param key the key
     * @param fallback returned when the key is absent; may be null
     * @return the value or the fallback
     * @throws KohakuVaultException when the stored bytes cannot be decoded
     */
    public @Nullable V get(String key, @Nullable V fallback) {
        V value = get(key);
        return value != null ? value : fallback;
    }

    /**
     * Returns the value of {@code key}, which must exist.
     *
     * @param key the key
     * @return the decoded value
     * @throws NotFoundException when the key is absent, naming it and the store
     * @throws KohakuVaultException when the stored bytes cannot be decoded
     */
    public V require(String key) {
        return decode(key, raw.require(key));
    }

    /**
     * Reads the present keys of {@code keys} in one snapshot ({@link KVault#getAll}), then decodes them.
     *
     * @param keys the keys, any number
     * @return a new map from each present key to its value, in the order of {@code keys}
     * @throws InvalidArgumentException when the collection or a key is null or invalid
     * @throws KohakuVaultException when a stored value cannot be decoded, naming its key
     */
    public Map<String, V> getAll(Collection<String> keys) {
        Map<String, V> found = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : raw.getAll(keys).entrySet()) {
            found.put(e.getKey(), decode(e.getKey(), e.getValue()));
        }
        return found;
    }

    /**
     * Tells whether {@code key} exists, without reading or decoding its value.
     *
     * @param key the key
     * @return whether it exists
     */
    public boolean exists(String key) {
        return raw.exists(key);
    }

    /**
     * The same as {@link #exists}; in Kotlin {@code "k" in settings}.
     *
     * @param key the key
     * @return whether it exists
     */
    public boolean contains(String key) {
        return raw.exists(key);
    }

    /** @return the number of keys; see {@link KVault#size()} */
    public long size() {
        return raw.size();
    }

    /** @return whether the store has no key */
    public boolean isEmpty() {
        return raw.isEmpty();
    }

    // ---- iteration --------------------------------------------------------------------------

    /** @return every key, in key order, lazy and paged; no value is read */
    public Iterable<String> keys() {
        return raw.keys();
    }

    /**
     * @param prefix the prefix; empty for every key
     * @return the keys that start with {@code prefix}, in key order
     */
    public Iterable<String> keys(String prefix) {
        return raw.keys(prefix);
    }

    /**
     * Every value, decoded, in key order. Lazy and paged.
     *
     * @return the values; a value that cannot be decoded throws {@link KohakuVaultException} when reached
     */
    public Iterable<V> values() {
        return () -> {
            Iterator<Map.Entry<String, V>> entries = iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public V next() {
                    return entries.next().getValue();
                }
            };
        };
    }

    /**
     * Every key and decoded value, in key order; in Kotlin {@code for ((k, v) in settings)}. Lazy
     * and paged, as {@link KVault#iterator()}.
     *
     * @return the iterator; a value that cannot be decoded throws {@link KohakuVaultException} when reached
     */
    @Override
    public Iterator<Map.Entry<String, V>> iterator() {
        Iterator<Map.Entry<String, byte[]>> entries = raw.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return entries.hasNext();
            }

            @Override
            public Map.Entry<String, V> next() {
                Map.Entry<String, byte[]> e = entries.next();
                return new AbstractMap.SimpleImmutableEntry<>(e.getKey(), decode(e.getKey(), e.getValue()));
            }
        };
    }

    /**
     * A live {@code java.util.Map} view: reads decode, writes encode and go straight through.
     * Its {@code put} and {@code remove} return the old value, so they read it first.
     *
     * @return the view
     */
    public Map<String, V> asMap() {
        return new TypedKVaultMap<>(this);
    }

    /** @return the store's name and codec, as {@code settings (json(Settings))} */
    @Override
    public String toString() {
        return name() + " (" + codec.name() + ")";
    }

    // ---- the codec --------------------------------------------------------------------------

    private byte[] encode(String key, @Nullable V value) {
        if (value == null) {
            throw new InvalidArgumentException(
                    "value for key " + describe(key) + " in store '" + name() + "' must not be null");
        }
        byte[] bytes;
        try {
            bytes = codec.encode(value);
        } catch (RuntimeException e) {
            throw new InvalidArgumentException(
                    "codec " + codec.name() + " cannot encode the value for key " + describe(key) + " in store '"
                            + name() + "': " + e.getMessage(),
                    e);
        }
        if (bytes == null) {
            throw new InvalidArgumentException("codec " + codec.name() + " encoded the value for key " + describe(key)
                    + " in store '" + name() + "' as null");
        }
        return bytes;
    }

    private V decode(String key, byte[] bytes) {
        V value;
        try {
            value = codec.decode(bytes);
        } catch (RuntimeException e) {
            throw new KohakuVaultException(
                    "the value of key " + describe(key) + " in store '" + name() + "' cannot be decoded by codec "
                            + codec.name() + ": " + e.getMessage(),
                    e);
        }
        if (value == null) {
            throw new KohakuVaultException("the value of key " + describe(key) + " in store '" + name()
                    + "' decodes to null with codec " + codec.name());
        }
        return value;
    }

    private static String describe(String key) {
        return "'" + (key.length() <= SHOWN ? key : key.substring(0, SHOWN) + "...") + "'";
    }
}
