package io.kohakuvault.internal.kv;

import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.ForeignCommits;
import io.kohakuvault.internal.db.ReadCache;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One key-value store's values in the vault's {@link ReadCache}: what a {@code get} found, or a
 * write stored, served from memory the next time. Never stale:
 *
 * <ul>
 *   <li>entries are keyed by the {@link ForeignCommits} epoch, which changes whenever another
 *       connection may have committed: a read asks for the epoch before it reads the file, and
 *       what it finds is cached under that epoch;</li>
 *   <li>this vault's own committed writes replace (or, for deletes and chunked values, drop) the
 *       entry of their key, and a read that went to the file before such a write cannot put its
 *       older answer back: each write counts in {@link #writes}, and a read caches what it found
 *       only if no write came in between (both sides update the entry atomically);</li>
 *   <li>{@code clear()} and the end of a transaction that wrote to the store start a new
 *       generation: everything cached before it is never found again (a transaction's writes never
 *       reach the cache, so one that rolls back leaves no trace).</li>
 * </ul>
 *
 * <p>A value read from the file, or written, is kept when its key was read or written lately
 * already (a doorkeeper: the first use of a key costs no insertion, so a bulk load or a pass over
 * keys used once each pushes nothing out). Only values of at
 * most {@link #maxValueBytes} are kept (at most the chunk size, and a
 * sixty-fourth of the read cache), so one large value never pushes out thousands of small ones.
 * A hit costs a hash lookup and the copy the caller returns.
 */
final class CachedValues {
    /**
     * Names one value in the cache: the store, the store's generation and the {@link ForeignCommits}
     * epoch it is true in, and the key's bytes. One object per lookup, the bytes' hash computed once:
     * a hit compares this object and the key's array, nothing else.
     */
    private static final class Key {
        private final int storeId;
        private final long generation;
        private final long epoch;
        private final byte[] bytes;
        private final int hash;

        Key(int storeId, long generation, long epoch, byte[] bytes) {
            this.storeId = storeId;
            this.generation = generation;
            this.epoch = epoch;
            this.bytes = bytes;
            this.hash = ((Arrays.hashCode(bytes) * 31 + storeId) * 31 + Long.hashCode(generation)) * 31
                    + Long.hashCode(epoch);
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Key k
                    && hash == k.hash
                    && storeId == k.storeId
                    && generation == k.generation
                    && epoch == k.epoch
                    && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final ReadCache cache;
    private final ForeignCommits foreign;
    /** Whether values are cached: the read cache is on, and epochs last beyond one call. */
    private final boolean enabled;

    private final int maxValueBytes;
    /** log2 of the doorkeeper's bits: 2^20 bits, 128 KiB. */
    private static final int DOORKEEPER_BITS_LOG2 = 20;

    /** Made on first use: a store that is never read from the file costs nothing here. */
    private volatile long @Nullable [] doorkeeper;
    /** Keys marked since the doorkeeper was last cleared; racy on purpose. */
    private int marks;
    /** Counts this vault's committed writes to the store; see the class comment. */
    private final AtomicLong writes = new AtomicLong();

    private volatile long generation;

    CachedValues(Database database, int chunkSize) {
        this.cache = database.readCache();
        this.foreign = database.foreignCommits();
        this.maxValueBytes = (int) Math.min(chunkSize, cache.maxBytes() / 64);
        // Where every call starts a new epoch (a server database), nothing cached would be found again.
        this.enabled = cache.enabled() && foreign.tracksOthers();
    }

    /** @return whether values are cached at all */
    boolean enabled() {
        return enabled;
    }

    /**
     * What a read must note before it goes to the file, so that what it finds can be cached.
     *
     * @param epoch the {@link ForeignCommits} epoch
     * @param generation the store's generation
     * @param writes the count of writes
     */
    record Ticket(long epoch, long generation, long writes) {}

    /** @return the ticket for a read starting now */
    Ticket ticket() {
        long g = generation;
        return new Ticket(foreign.epoch(), g, writes.get());
    }

    /**
     * @return the cached value of {@code key} in the ticket's epoch, never to be modified (copy it),
     *     or null when none is cached
     */
    byte @Nullable [] get(int storeId, byte[] key, Ticket ticket) {
        return (byte[]) cache.get(new Key(storeId, ticket.generation(), ticket.epoch(), key));
    }

    /**
     * Caches what a read found in the file, unless a write of the store committed since its ticket.
     * Call it for values {@link #keepsRead} said to keep.
     *
     * @param key the key's bytes, copied (a read's key stays the caller's)
     *
     * @param value the value as stored; owned by the cache from now on
     */
    void found(int storeId, byte[] key, Ticket ticket, byte[] value) {
        if (!enabled || value.length > maxValueBytes) {
            return;
        }
        cache.map()
                .compute(
                        new Key(storeId, ticket.generation(), ticket.epoch(), key.clone()),
                        (k, old) -> writes.get() == ticket.writes() && generation == ticket.generation() ? value : old);
    }

    /**
     * Records a committed write of this vault: the key's entry becomes {@code value} (when the key was
     * used lately, see {@link #readBefore}), or goes.
     *
     * @param key the key's bytes, the write's own copy (kept as they are)
     *
     * @param commitEpoch {@link Database#lastCommitEpoch()} of the write's commit; -1 caches nothing
     * @param value the value now stored (owned by the cache from now on), or null for a delete or
     *     a value not to cache
     */
    void written(int storeId, byte[] key, long commitEpoch, byte @Nullable [] value) {
        if (!enabled) {
            return;
        }
        if (commitEpoch < 0) {
            writes.incrementAndGet(); // the epoch moved on: nothing of the old one is found again
            return;
        }
        Key entry = new Key(storeId, generation, commitEpoch, key);
        if (value != null && value.length <= maxValueBytes && readBefore(key)) {
            cache.map().compute(entry, (k, old) -> {
                writes.incrementAndGet();
                return value;
            });
        } else {
            // counted first: a read that went to the file before this write cannot cache what it found
            writes.incrementAndGet();
            cache.map().remove(entry);
        }
    }

    /**
     * @return whether a value of this size read from the file now would be cached (so the caller
     *     knows to copy it): it is small enough, and its key was read lately; marks the key as read
     */
    boolean keepsRead(byte[] key, int valueBytes) {
        return enabled && valueBytes <= maxValueBytes && readBefore(key);
    }

    /** @return whether a value of this size written now would be cached */
    boolean keeps(int valueBytes) {
        return enabled && valueBytes <= maxValueBytes;
    }

    /**
     * A doorkeeper, as in TinyLFU: a value read from the file is cached only when its key was read
     * lately already, so that a pass over many keys read once each (a cold start, a scan of
     * random keys) costs no cache insertion per read and pushes nothing out, while a key read again
     * is kept. One bit per hash of the key in a bit set that is cleared once half its bits were
     * set; races lose a mark at worst.
     *
     * @return whether the key was marked already; marks it
     */
    private boolean readBefore(byte[] key) {
        int bit = (Arrays.hashCode(key) * 0x9E3779B9) >>> (32 - DOORKEEPER_BITS_LOG2);
        long mask = 1L << bit;
        int word = bit >>> 6;
        long[] bits = doorkeeper;
        if (bits == null) {
            bits = new long[(1 << DOORKEEPER_BITS_LOG2) / 64];
            doorkeeper = bits; // a race may make two: one wins, the other's marks are lost
        }
        if ((bits[word] & mask) != 0) {
            return true;
        }
        bits[word] |= mask;
        if (++marks > (1 << (DOORKEEPER_BITS_LOG2 - 1))) {
            Arrays.fill(bits, 0);
            marks = 0;
        }
        return false;
    }

    /** Forgets every cached value of the store: after {@code clear()}, or a transaction that wrote to it. */
    synchronized void newGeneration() {
        generation++;
        writes.incrementAndGet();
    }
}
