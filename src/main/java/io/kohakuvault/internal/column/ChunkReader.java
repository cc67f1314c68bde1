package io.kohakuvault.internal.column;

import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.VaultConnection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How one column reads its committed chunks: from the vault's {@link ChunkCache} (through its
 * slot index on the hot path), or from the file. A chunk read from the file is checked, in the same
 * read snapshot, against the revision of the state the read started from; if the column moved on,
 * the owner renews its state and the read throws {@link StaleRead}, to start over.
 *
 * <p>A point read of a chunk not cached fetches only the bytes it needs, cut inside SQLite; a
 * chunk read for the second time while the cache remembers the first, or read for a range, is
 * loaded whole and cached.
 */
final class ChunkReader {
    private static final byte[] NONE = new byte[0];

    /** Thrown (without a stack trace) when a read finds the column changed under it; the read starts over. */
    static final class StaleRead extends RuntimeException {
        private StaleRead() {
            super(null, null, false, false);
        }
    }

    @SuppressWarnings(
            "StaticAssignmentOfThrowable") // control flow inside the engine, without a stack trace; never escapes
    private static final StaleRead STALE = new StaleRead();

    /** What the reader needs from the column that owns it. */
    interface Owner {
        /** @return the column's length and revision in the file, as {@code c} sees it */
        StoredState stateOf(VaultConnection c) throws SQLException;

        /** Takes a newer length and revision found in the file. */
        void adopt(StoredState stored);
    }

    private final Database db;
    private final ChunkCache chunkCache;
    private final int columnId;
    /** Bytes per element slot in the element chunks. */
    private final int slotSize;

    private final ChunkRows elementRows;
    private final @Nullable ChunkRows heapRows;
    private final Owner owner;
    private final Supplier<String> what;
    /** The cache's slot index of the column's element chunks. Not volatile: an older one only means the slower path. */
    private @Nullable ChunkSlots slots;
    /** Reads served by {@link #slots}; racy, only used to touch every 64th in the chunkCache. */
    private int slotReads;

    ChunkReader(
            Database db,
            ChunkCache chunkCache,
            int columnId,
            int slotSize,
            ChunkRows elementRows,
            @Nullable ChunkRows heapRows,
            Owner owner,
            Supplier<String> what) {
        this.db = db;
        this.chunkCache = chunkCache;
        this.columnId = columnId;
        this.slotSize = slotSize;
        this.elementRows = elementRows;
        this.heapRows = heapRows;
        this.owner = owner;
        this.what = what;
    }

    /** @return whether the vault caches chunks at all */
    boolean cachesChunks() {
        return chunkCache.enabled();
    }

    /**
     * The hot path: element chunk {@code seq} of epoch {@code epoch} if cached with at least
     * {@code bytes} bytes, without copying; otherwise null.
     */
    byte @Nullable [] cachedElementChunk(long epoch, long seq, int bytes) {
        ChunkSlots index = slots;
        if (index == null || index.epoch() != epoch) {
            index = chunkCache.slots(columnId, epoch);
            slots = index;
        }
        byte[] chunk = index.epoch() == epoch ? index.get(seq) : null;
        if (chunk != null && (++slotReads & 63) == 0) {
            chunkCache.touch(new ChunkCache.Key(columnId, false, seq, epoch));
        }
        if (chunk == null) {
            chunk = chunkCache.get(new ChunkCache.Key(columnId, false, seq, epoch));
        }
        return chunk != null && chunk.length >= bytes ? chunk : null;
    }

    /**
     * @return {@code length} bytes from {@code offset} of a chunk, as of state {@code s}
     * @throws StaleRead when the column changed since {@code s}
     */
    byte[] part(ColumnState s, boolean heap, long seq, int offset, int length) {
        ChunkCache.Key key = new ChunkCache.Key(columnId, heap, seq, s.epoch());
        byte[] chunk = chunkCache.get(key);
        if (chunk == null) {
            chunk = recent(heap, s, seq);
        }
        if (chunk == null) {
            // A chunk read twice is loaded whole, to be cached, only when the cache can keep the
            // whole column: in a larger one, random reads would load chunk after chunk only to
            // evict them. Two reads in a row of one chunk (an iteration, a loop over indices) load
            // it whole whatever its size, kept beside the cache for the reads that follow.
            boolean again = recent(heap).seq() == seq;
            if (again || (fitsInChunkCache(s, 1) && chunkCache.seenBefore(key))) {
                chunk = load(s, heap, seq, -1, -1);
                remember(heap, new Recent(s.epoch(), s.revision(), seq, chunk));
            } else {
                remember(heap, new Recent(s.epoch(), s.revision(), seq, null));
            }
        }
        if (chunk != null && chunk.length >= offset + length) {
            return Arrays.copyOfRange(chunk, offset, offset + length);
        }
        return load(s, heap, seq, offset, length);
    }

    /**
     * Reads element chunks {@code [from, end)} as of state {@code s} with one cursor, handing
     * each to {@code each} as it arrives: reading a run of chunks costs one query instead of one
     * per chunk. The chunks are offered to the cache only when the column takes at most half of it,
     * so that a scan of a large column does not push out the working set of other reads.
     *
     * @throws StaleRead when the column changed since {@code s}; {@code each} may have seen some chunks
     */
    void streamRun(ColumnState s, long from, long end, ChunkRows.ChunkConsumer each) {
        StoredState newer = db.<@Nullable StoredState>readConsistent(
                c -> {
                    StoredState now = owner.stateOf(c);
                    if (now.revision() != s.revision()) {
                        return now;
                    }
                    boolean keep = keepsScanned(s);
                    elementRows.loadRun(c, from, end, (at, data) -> {
                        if (keep) {
                            chunkCache.offer(new ChunkCache.Key(columnId, false, at, s.epoch()), s.revision(), data);
                        }
                        each.accept(at, data);
                    });
                    return null;
                },
                what);
        if (newer != null) {
            owner.adopt(newer);
            throw STALE;
        }
    }

    /**
     * Reads element chunks {@code [from, end)} as of state {@code s} with one cursor, as
     * {@link #streamRun} does, for a scan of the whole column ({@link VectorSearch}): a chunk is
     * offered to the cache only when {@code keepOnSecondScan} is set and the cache already saw it
     * (the second-read rule of point reads), so one scan never pushes the working set out.
     *
     * @throws StaleRead when the column changed since {@code s}; {@code each} may have seen some chunks
     */
    void scanRun(ColumnState s, long from, long end, boolean keepOnSecondScan, ChunkRows.ChunkConsumer each) {
        StoredState newer = db.<@Nullable StoredState>readConsistent(
                c -> {
                    StoredState now = owner.stateOf(c);
                    if (now.revision() != s.revision()) {
                        return now;
                    }
                    elementRows.loadRun(c, from, end, (at, data) -> {
                        ChunkCache.Key key = new ChunkCache.Key(columnId, false, at, s.epoch());
                        if (keepOnSecondScan && chunkCache.seenBefore(key)) {
                            chunkCache.offer(key, s.revision(), data);
                        }
                        each.accept(at, data);
                    });
                    return null;
                },
                what);
        if (newer != null) {
            owner.adopt(newer);
            throw STALE;
        }
    }

    /**
     * The chunk this column's last point read went to, and its data when it was loaded whole.
     *
     * @param data the whole chunk, never modified; null when only a part of it was read
     */
    @SuppressWarnings("ArrayRecordComponent") // a holder, never compared
    private record Recent(long epoch, long revision, long seq, byte @Nullable [] data) {}

    private static final Recent NO_RECENT = new Recent(-1, -1, -1, null);
    private volatile Recent recentElements = NO_RECENT;
    private volatile Recent recentHeap = NO_RECENT;

    private Recent recent(boolean heap) {
        return heap ? recentHeap : recentElements;
    }

    /** @return the whole chunk {@code seq} of state {@code s} if the last point read loaded it, or null */
    private byte @Nullable [] recent(boolean heap, ColumnState s, long seq) {
        Recent r = recent(heap);
        return r.seq() == seq && r.epoch() == s.epoch() && r.revision() == s.revision() ? r.data() : null;
    }

    private void remember(boolean heap, Recent r) {
        if (heap) {
            recentHeap = r;
        } else {
            recentElements = r;
        }
    }

    /** Loads a chunk, whole when {@code offset < 0} (then offered to the cache if it can keep the column), else that part of it. */
    private byte[] load(ColumnState s, boolean heap, long seq, int offset, int length) {
        ChunkRows rows = heap ? heapRows() : elementRows;
        Object loaded = db.<Object>readConsistent(
                c -> {
                    StoredState now = owner.stateOf(c);
                    if (now.revision() != s.revision()) {
                        return now;
                    }
                    byte[] data = offset < 0 ? rows.load(c, seq) : rows.loadPart(c, seq, offset, length);
                    return data == null ? NONE : data;
                },
                what);
        if (loaded instanceof StoredState newer) {
            owner.adopt(newer);
            throw STALE;
        }
        byte[] data = (byte[]) loaded;
        if (offset < 0) {
            if (fitsInChunkCache(s, 1)) {
                chunkCache.offer(new ChunkCache.Key(columnId, heap, seq, s.epoch()), s.revision(), data);
            }
        } else if (data.length != length) {
            throw new KohakuVaultException((heap ? "heap" : "element") + " chunk " + seq + " of " + what.get()
                    + " is shorter than its length says: the file is damaged");
        }
        return data;
    }

    /** @return whether {@link #streamRun} offers the chunks it reads to the cache, for a column in state {@code s} */
    boolean keepsScanned(ColumnState s) {
        return fitsInChunkCache(s, 2);
    }

    /** @return whether the committed element chunks of {@code s} would take at most {@code 1/part} of the cache */
    private boolean fitsInChunkCache(ColumnState s, int part) {
        return s.committed() <= chunkCache.maxBytes() / part / slotSize;
    }

    private ChunkRows heapRows() {
        if (heapRows == null) {
            throw new IllegalStateException(what.get() + " has no heap");
        }
        return heapRows;
    }
}
