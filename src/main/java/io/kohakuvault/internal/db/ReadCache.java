package io.kohakuvault.internal.db;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.List;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The vault's one read cache: recently read or written key-value values and column chunks, kept
 * in memory up to {@code readCacheBytes} (Caffeine, weighed by bytes: each entry counts its data
 * plus {@link #ENTRY_OVERHEAD}). Only holds bytes; the key-value engine and the column engine each
 * decide what goes in under keys of their own types, and how they stay in step with commits.
 *
 * <p>Values are {@code byte[]} or {@link Sized}; nobody may change an array once it is in.
 */
public final class ReadCache {
    /** Bytes an entry costs beyond its data: key, entry and array headers. */
    public static final int ENTRY_OVERHEAD = 96;

    /** A cached value that is not a bare {@code byte[]}: says how many bytes of data it holds. */
    public interface Sized {
        /** @return bytes of data held */
        int bytes();
    }

    private final long maxBytes;
    /** Built on first use, so that opening a vault that reads nothing costs nothing here. */
    private volatile @Nullable Cache<Object, Object> cache;

    private final List<BiConsumer<Object, Object>> removalListeners = new CopyOnWriteArrayList<>();

    /** @param maxBytes most bytes kept; 0 keeps nothing */
    public ReadCache(long maxBytes) {
        this.maxBytes = Math.max(0, maxBytes);
    }

    private Cache<Object, Object> built() {
        Cache<Object, Object> c = cache;
        if (c == null) {
            synchronized (this) {
                c = cache;
                if (c == null) {
                    c = Caffeine.newBuilder()
                            .maximumWeight(maxBytes)
                            .weigher((Object key, Object value) -> weight(value))
                            .executor(Runnable::run)
                            .removalListener((@Nullable Object key, @Nullable Object value, RemovalCause cause) -> {
                                if (key != null && value != null) {
                                    for (BiConsumer<Object, Object> listener : removalListeners) {
                                        listener.accept(key, value);
                                    }
                                }
                            })
                            .build();
                    cache = c;
                }
            }
        }
        return c;
    }

    private static int weight(Object value) {
        int bytes = value instanceof byte[] b ? b.length : ((Sized) value).bytes();
        return (int) Math.min(Integer.MAX_VALUE, (long) bytes + ENTRY_OVERHEAD);
    }

    /** @return whether this cache keeps anything */
    public boolean enabled() {
        return maxBytes > 0;
    }

    /** @return most bytes kept; 0 when none */
    public long maxBytes() {
        return maxBytes;
    }

    /** @return what is cached under {@code key}, or null */
    public @Nullable Object get(Object key) {
        Cache<Object, Object> c = cache;
        return c == null ? null : c.getIfPresent(key);
    }

    /**
     * @return the live map of entries, for atomic updates of one key ({@code merge}, {@code compute})
     * @throws IllegalStateException when the cache keeps nothing (ask {@link #enabled()} first)
     */
    public ConcurrentMap<Object, Object> map() {
        if (!enabled()) {
            throw new IllegalStateException("the read cache keeps nothing");
        }
        return built().asMap();
    }

    /** Drops every entry whose key is of type {@code type} and passes {@code test}. */
    public <K> void removeIf(Class<K> type, java.util.function.Predicate<K> test) {
        Cache<Object, Object> c = cache;
        if (c != null) {
            c.asMap().keySet().removeIf(key -> type.isInstance(key) && test.test(type.cast(key)));
        }
    }

    /**
     * Calls {@code listener} with each entry the cache lets go of (evicted, replaced or removed),
     * on the thread that caused it.
     */
    public void onRemoval(BiConsumer<Object, Object> listener) {
        removalListeners.add(listener);
    }

    /** @return the bytes held now, as weighed (at most {@link #maxBytes()} once eviction has run) */
    public long weightedBytes() {
        Cache<Object, Object> c = cache;
        if (c == null) {
            return 0;
        }
        c.cleanUp();
        return c.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }
}
