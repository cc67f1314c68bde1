package io.kohakuvault.internal.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes and deletes of one key-value store held in memory until they are flushed together.
 * Only holds them: {@link KvStore} decides when to flush and writes them. Thread-safe.
 *
 * <p>A flush is two steps so that nothing is lost if the commit fails: {@link #snapshot()} copies
 * the pending writes (which stay visible to reads), and after the commit {@link #forget} drops
 * those that were not overwritten meanwhile.
 */
final class WriteBackCache {
    /** Rough bytes a cached entry costs beyond its key and value. */
    private static final int ENTRY_OVERHEAD = 64;

    /**
     * One pending write.
     *
     * @param key the key
     * @param value the value to store, or null for a delete
     */
    record Pending(byte[] key, byte @Nullable [] value) {
        long weight() {
            return ENTRY_OVERHEAD + key.length + (value == null ? 0 : value.length);
        }
    }

    private final long capacityBytes;
    private final long flushThresholdBytes;
    private final Map<ByteKey, Pending> pending = new HashMap<>();
    private long bytes;

    WriteBackCache(long capacityBytes, long flushThresholdBytes) {
        this.capacityBytes = capacityBytes;
        this.flushThresholdBytes = flushThresholdBytes;
    }

    /** @return the pending write for {@code key}, or null when the key has none */
    synchronized @Nullable Pending get(byte[] key) {
        return pending.get(new ByteKey(key));
    }

    /** @return true when a value of this size is cached at all (larger ones bypass the cache) */
    boolean fits(long valueBytes) {
        return ENTRY_OVERHEAD + valueBytes <= capacityBytes;
    }

    /** @return true when adding {@code write} would take the cache past its capacity */
    synchronized boolean wouldOverflow(Pending write) {
        return bytes + write.weight() > capacityBytes;
    }

    /**
     * Records a write, replacing any pending write of the same key.
     *
     * @return true when the cache has reached its flush threshold
     */
    synchronized boolean add(Pending write) {
        Pending old = pending.put(new ByteKey(write.key()), write);
        bytes += write.weight() - (old == null ? 0 : old.weight());
        return bytes >= flushThresholdBytes;
    }

    /** @return whether nothing is pending */
    synchronized boolean isEmpty() {
        return pending.isEmpty();
    }

    /** @return the pending writes in key order (sorted writes touch B-tree pages in order) */
    synchronized List<Pending> snapshot() {
        List<Map.Entry<ByteKey, Pending>> entries = new ArrayList<>(pending.entrySet());
        entries.sort(Map.Entry.comparingByKey());
        List<Pending> writes = new ArrayList<>(entries.size());
        for (Map.Entry<ByteKey, Pending> e : entries) {
            writes.add(e.getValue());
        }
        return writes;
    }

    /** Drops the flushed writes that no later write replaced while they were being committed. */
    synchronized void forget(List<Pending> flushed) {
        for (Pending write : flushed) {
            ByteKey key = new ByteKey(write.key());
            if (pending.get(key) == write) {
                pending.remove(key);
                bytes -= write.weight();
            }
        }
    }

    /** Drops every pending write, for {@code clear()}. */
    synchronized void discard() {
        pending.clear();
        bytes = 0;
    }
}
