package io.kohakuvault.internal.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes and deletes of one key-value store held in memory until they are flushed together.
 * Only holds them: {@link KvStore} decides when to flush and writes them. Thread-safe.
 *
 * <p>Writes are kept twice: by key, for reads, and in arrival order, for flushes, which sort the
 * log with {@link KeyOrder}. A key written twice is in the log twice until the next flush, and its
 * bytes count twice toward the thresholds.
 *
 * <p>A flush is two steps so that nothing is lost if the commit fails: {@link #snapshot()} copies
 * the pending writes (which stay visible to reads), and after the commit {@link #forget} drops
 * those that were not overwritten meanwhile.
 */
final class WriteBackCache {
    /** Rough bytes a cached entry costs beyond its key and value. */
    private static final int ENTRY_OVERHEAD = 64;

    /** What {@link #add} did. */
    enum Added {
        /** Recorded; the cache is still below its flush threshold. */
        BELOW_THRESHOLD,
        /** Recorded; the cache has reached its flush threshold. */
        THRESHOLD_REACHED,
        /** Not recorded: it would take the cache past its capacity. Flush, then add again. */
        FULL
    }

    /**
     * One pending write.
     *
     * @param key the key
     * @param value the value to store, or null for a delete
     */
    @SuppressWarnings("ArrayRecordComponent") // a write, told apart from later writes of its key by identity (forget)
    record Pending(byte[] key, byte @Nullable [] value) {
        long weight() {
            return ENTRY_OVERHEAD + (long) key.length + (value == null ? 0 : value.length);
        }
    }

    /**
     * The pending writes at one moment.
     *
     * @param writes the latest write of each key, in key order
     * @param end how many writes had ever arrived by then (a position in the log, counted from the start)
     */
    record Snapshot(List<Pending> writes, long end) {}

    private final long capacityBytes;
    private final long flushThresholdBytes;
    private final Map<ByteKey, Pending> latest = new HashMap<>();
    private List<Pending> log = new ArrayList<>();
    /** How many writes arrived before {@code log.get(0)}: positions survive forgetting. */
    private long logStart;

    private long bytes;

    WriteBackCache(long capacityBytes, long flushThresholdBytes) {
        this.capacityBytes = capacityBytes;
        this.flushThresholdBytes = flushThresholdBytes;
    }

    /** @return the pending write for {@code key}, or null when the key has none */
    synchronized @Nullable Pending get(byte[] key) {
        return latest.get(new ByteKey(key));
    }

    /** @return true when a value of this size is cached at all (larger ones bypass the cache) */
    boolean fits(long valueBytes) {
        return ENTRY_OVERHEAD + valueBytes <= capacityBytes;
    }

    /**
     * Records a write, replacing any pending write of the same key, unless the cache is full.
     *
     * @return what happened
     */
    synchronized Added add(Pending write) {
        if (bytes + write.weight() > capacityBytes && !log.isEmpty()) {
            return Added.FULL;
        }
        latest.put(new ByteKey(write.key()), write);
        log.add(write);
        bytes += write.weight();
        return bytes >= flushThresholdBytes ? Added.THRESHOLD_REACHED : Added.BELOW_THRESHOLD;
    }

    /** @return whether nothing is pending */
    synchronized boolean isEmpty() {
        return log.isEmpty();
    }

    /** @return the latest write of each key, in key order (sorted writes walk the B-tree once) */
    synchronized Snapshot snapshot() {
        Pending[] arrived = log.toArray(new Pending[0]);
        KeyOrder.sort(arrived, Pending::key); // stable: writes of one key stay in arrival order
        List<Pending> writes = new ArrayList<>(arrived.length);
        for (int i = 0; i < arrived.length; i++) {
            boolean supersededByNext = i + 1 < arrived.length && Arrays.equals(arrived[i].key(), arrived[i + 1].key());
            if (!supersededByNext) {
                writes.add(arrived[i]);
            }
        }
        return new Snapshot(writes, logStart + arrived.length);
    }

    /**
     * Drops the flushed writes; writes that arrived after the snapshot stay. Snapshots must be
     * written in the order they were taken (the vault takes them under its write lock), but may be
     * forgotten in any order.
     */
    synchronized void forget(Snapshot flushed) {
        int written = (int) Math.max(0, Math.min(log.size(), flushed.end() - logStart));
        if (written == log.size()) {
            latest.clear(); // every write now held was in a snapshot that is written
        } else {
            for (Pending write : flushed.writes()) {
                ByteKey key = new ByteKey(write.key());
                @SuppressWarnings("ReferenceEquality") // this very write, not an equal later one of the key
                boolean unchanged = latest.get(key) == write;
                if (unchanged) {
                    latest.remove(key);
                }
            }
        }
        log = new ArrayList<>(log.subList(written, log.size()));
        logStart += written;
        bytes = 0;
        for (Pending write : log) {
            bytes += write.weight();
        }
    }

    /** Drops every pending write, for {@code clear()}. */
    synchronized void discard() {
        latest.clear();
        logStart += log.size();
        log = new ArrayList<>();
        bytes = 0;
    }
}
