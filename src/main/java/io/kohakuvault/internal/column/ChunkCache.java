package io.kohakuvault.internal.column;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kohakuvault.internal.db.ReadCache;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * The recently read chunks of every column in one vault, kept in the vault's {@link ReadCache}
 * (shared with key-value values, bounded by bytes). A point read of a chunk seen for the first time fetches only its element, cut inside
 * SQLite; a chunk read a second time while it is still remembered as seen is loaded whole and
 * kept, so repeated and sequential reads are served from memory while one-off random reads do not
 * drag whole chunks across.
 *
 * <p>Entries are keyed by the column's epoch, which changes whenever chunks may have moved
 * (insert, remove, clear, a change by another connection): stale chunks are never found again and
 * age out. Within an epoch, an entry only ever gives way to a newer revision of the same chunk.
 *
 * <p>Each column's element chunks in its current epoch are also indexed by number in a
 * {@link ChunkSlots}, which the hot path of a point read uses instead of a hash lookup; every
 * 64th such read also touches the cache entry, so that the cache still sees which chunks are hot.
 */
public final class ChunkCache {
    /** Chunks remembered as seen once, so a second read loads them whole. */
    private static final int SEEN_KEYS = 16_384;

    /**
     * Names one chunk in one epoch of its column.
     *
     * @param columnId the column
     * @param heap true for a heap chunk, false for an element chunk
     * @param seq the chunk's number
     * @param epoch the column's epoch the data belongs to
     */
    record Key(int columnId, boolean heap, long seq, long epoch) {}

    @SuppressWarnings(
            "ArrayRecordComponent") // a holder compared by identity, never by value: no equals on the array needed
    private record Entry(long revision, byte[] data) implements ReadCache.Sized {
        @Override
        public int bytes() {
            return data.length;
        }
    }

    private final ReadCache shared;
    private final @Nullable Cache<Key, Boolean> seen;
    /** The slot index of each column's current epoch, by column id. */
    private final ConcurrentMap<Integer, ChunkSlots> slots = new ConcurrentHashMap<>();

    /** @param shared the vault's read cache, which holds the chunks */
    public ChunkCache(ReadCache shared) {
        this.shared = shared;
        if (!shared.enabled()) {
            seen = null;
            return;
        }
        shared.onRemoval((key, value) -> {
            if (key instanceof Key chunk && value instanceof Entry entry) {
                unindex(chunk, entry.data);
            }
        });
        seen = Caffeine.newBuilder()
                .maximumSize(SEEN_KEYS)
                .executor(Runnable::run)
                .build();
    }

    /** @return the chunk's data, never to be modified, or null when not cached */
    byte @Nullable [] get(Key key) {
        if (!(shared.get(key) instanceof Entry entry)) {
            return null;
        }
        if (!key.heap()) {
            index(key, entry);
        }
        return entry.data;
    }

    /**
     * @param columnId the column
     * @param epoch its current epoch
     * @return the slot index of its element chunks in that epoch
     */
    ChunkSlots slots(int columnId, long epoch) {
        return slots.compute(columnId, (id, now) -> now != null && now.epoch() >= epoch ? now : new ChunkSlots(epoch));
    }

    /** Tells the cache that an indexed chunk was read, so that it counts as used. */
    void touch(Key key) {
        shared.get(key);
    }

    private void index(Key key, Entry entry) {
        ChunkSlots index = slots.get(key.columnId());
        if (index == null || index.epoch() != key.epoch() || index.get(key.seq()) == entry.data) {
            return;
        }
        index.put(key.seq(), entry.data);
        // The cache may have let the entry go meanwhile, before its removal could unindex it.
        if (shared.get(key) != entry) {
            index.remove(key.seq(), entry.data);
        }
    }

    private void unindex(Key key, byte[] data) {
        ChunkSlots index = slots.get(key.columnId());
        if (!key.heap() && index != null && index.epoch() == key.epoch()) {
            index.remove(key.seq(), data);
        }
    }

    /**
     * Records a point read of a chunk that is not cached.
     *
     * @return true when the chunk was read before and is worth loading whole
     */
    boolean seenBefore(Key key) {
        if (seen == null) {
            return false;
        }
        return seen.asMap().putIfAbsent(key, Boolean.TRUE) != null;
    }

    /** @return most bytes of chunks kept; 0 when none */
    long maxBytes() {
        return shared.maxBytes();
    }

    /** @return whether this cache keeps anything */
    boolean enabled() {
        return shared.enabled();
    }

    /**
     * Keeps a chunk's data unless a newer revision of it is already kept.
     *
     * @param key the chunk
     * @param revision the column revision the data was read or written at
     * @param data the chunk's data; never modified afterwards by anyone
     */
    void offer(Key key, long revision, byte[] data) {
        if (!shared.enabled()) {
            return;
        }
        Entry kept = (Entry) shared.map()
                .merge(
                        key,
                        new Entry(revision, data),
                        (old, offered) -> ((Entry) offered).revision >= ((Entry) old).revision ? offered : old);
        if (kept != null && !key.heap()) {
            index(key, kept);
        }
    }

    /** Forgets every chunk of a column, in every epoch. */
    void forget(int columnId) {
        slots.remove(columnId);
        shared.removeIf(Key.class, key -> key.columnId() == columnId);
    }
}
