package io.kohakuvault.internal.column;

import io.kohakuvault.KohakuVaultException;
import io.kohakuvault.NotFoundException;
import io.kohakuvault.internal.db.CommitWatch;
import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.VaultConnection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The engine of one column: elements as bytes, read through the vault's {@link ChunkCache} and
 * written in transactions, with an optional write-back cache of appends. Thread-safe.
 *
 * <p><b>What it knows.</b> An immutable {@link ColumnState} (committed length, revision, epoch,
 * pending appends) replaced whole, by its {@link StateKeeper}. Reads never lock: they take the
 * state, and a chunk they load is checked against the revision in the same read snapshot; if
 * another connection changed the column meanwhile, the state is renewed (with a new epoch) and
 * the read starts over. Writes run under the vault's write lock, take the column's length and
 * revision from the file, and publish the new state when they commit.
 *
 * <p><b>Seeing other writers.</b> Every call first asks the vault's {@link CommitWatch} whether
 * any connection (another {@code Vault}, another process, or this vault's own writer) committed
 * since the state was last checked; if so it reads the column's length and revision from the
 * file, and a changed revision renews the state with a new epoch. So a call sees every commit
 * made before it started, and costs a few memory reads when nothing was committed ({@link
 * StateKeeper#current}).
 *
 * <p><b>Inside a transaction</b> of the calling thread, reads and writes go straight to the
 * transaction's connection (its own uncommitted writes included) and leave the shared state and
 * chunk cache alone; when the transaction ends, the state is renewed from the file.
 */
public final class ColumnStore {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NONE = new byte[0];
    /** Bytes of chunks a scan reads ahead, at most a quarter of the chunk cache. */
    private static final long READ_AHEAD_BYTES = 2L << 20;

    /** Receives a run of fixed-size elements: {@code count} of them at {@code offset} in {@code data}, the first being element {@code first} of the range asked for. */
    @FunctionalInterface
    public interface RangeSink {
        /**
         * @param data packed elements; read them before returning, never modify them
         * @param offset where the run starts in {@code data}
         * @param first the run's first element, counted from the start of the range
         * @param count elements in the run
         */
        void accept(byte[] data, int offset, long first, int count);
    }

    private final Database db;
    private final ChunkCache chunkCache;
    private final ColumnMeta meta;
    /** Bytes per element in the element chunks: the element size, or an index entry's. */
    private final int slotSize;

    private final ChunkLayout layout;
    private final ChunkRows elementRows;
    private final ElementChunks elements;
    private final @Nullable HeapChunks heap;
    private final ChunkReader reader;
    /** Holds the column's state and keeps it in step with other writers. */
    private final StateKeeper keeper;
    /** Reads the column's length and revision from the file, for {@link StateKeeper#current}; made once, since a read must not allocate. */
    private final Supplier<StoredState> storedState;
    /** Where the last range read ended: a range starting there is a scan, and reads ahead. Racy on purpose. */
    private long lastRangeEnd = -1;
    /** Chunks a scan loads past the range asked for: about {@link #READ_AHEAD_BYTES}. */
    private final long readAheadChunks;
    /** Where those chunks wait for the scan's next range. */
    private final ScanWindow readAhead = new ScanWindow(2 * READ_AHEAD_BYTES);

    private volatile boolean deleted;
    /** Write-back cache of appends: on when the capacity is above 0. */
    private volatile long writeBackCapacity;

    private volatile long writeBackThreshold;
    /** Names an append in messages; made once, since an append to the write-back cache must not allocate. */
    @SuppressWarnings("UnnecessaryLambda") // one object for every append: a method reference would allocate per call
    private final Supplier<String> appendWhat = () -> "append to " + describe();
    /** Appends held back by the transaction open on the writer; see {@link TransactionAppends}. */
    private final TransactionAppends transactionAppends = new TransactionAppends();

    /**
     * @param db the vault
     * @param chunkCache the vault's chunk cache
     * @param meta the column's row
     */
    public ColumnStore(Database db, ChunkCache chunkCache, ColumnMeta meta) {
        this.db = db;
        this.chunkCache = chunkCache;
        this.meta = meta;
        this.slotSize = meta.elementSize() == 0 ? HeapRef.SIZE : meta.elementSize();
        this.layout = ChunkLayout.of(slotSize, meta.minChunkBytes(), meta.maxChunkBytes());
        this.elementRows = new ChunkRows(ColumnSql.ELEMENT_CHUNKS, meta.id(), () -> "read " + describe());
        this.elements = new ElementChunks(elementRows, layout, slotSize);
        this.heap = meta.elementSize() == 0
                ? new HeapChunks(
                        new ChunkRows(ColumnSql.HEAP_CHUNKS, meta.id(), () -> "read the heap of " + describe()),
                        ChunkLayout.of(1, meta.minChunkBytes(), meta.maxChunkBytes()))
                : null;
        this.reader = new ChunkReader(
                db,
                chunkCache,
                meta.id(),
                slotSize,
                elementRows,
                heap == null ? null : heap.rows(),
                new ChunkReader.Owner() {
                    @Override
                    public StoredState stateOf(VaultConnection c) throws SQLException {
                        return ColumnStore.this.stateOf(c);
                    }

                    @Override
                    public void adopt(StoredState stored) {
                        keeper.adopt(stored);
                    }
                },
                this::describe);
        this.readAheadChunks = Math.max(1, READ_AHEAD_BYTES / meta.maxChunkBytes());
        this.keeper = new StateKeeper(db.commits(), meta, this::describe);
        this.storedState = () -> db.read(this::stateOf, () -> "check " + describe());
    }

    /** @return the column's row as it was opened (its length and revision are not kept up to date) */
    public ColumnMeta meta() {
        return meta;
    }

    /** @return the column's name */
    public String name() {
        return meta.name();
    }

    /**
     * @return the number of elements, pending appends included
     * @throws NotFoundException when the column was deleted
     */
    public long length() {
        if (db.inTransaction()) {
            return db.read(c -> stateOf(c).length(), () -> "length of " + describe());
        }
        return current().length();
    }

    // ---- reads ------------------------------------------------------------------------------

    /**
     * @param index the element
     * @return a copy of its bytes
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public byte[] read(long index) {
        if (db.inTransaction()) {
            return db.read(
                    c -> {
                        checkIndex(index, stateOf(c).length());
                        return readThrough(direct(c), index);
                    },
                    () -> "read element " + index + " of " + describe());
        }
        while (true) {
            ColumnState s = current();
            checkIndex(index, s.length());
            if (index >= s.committed()) {
                return s.pending().snapshot().element((int) (index - s.committed()));
            }
            try {
                return readCommitted(s, index);
            } catch (ChunkReader.StaleRead retry) {
                // the column changed under the read; start over with the new state
            }
        }
    }

    /**
     * The 8-byte element {@code index} as a little-endian long, from the chunk cache without copying
     * when it is there.
     *
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public long readLong(long index) {
        long seq = layout.chunkOf(index);
        byte[] chunk = cachedChunk(index, seq);
        if (chunk != null) {
            return (long) LONG.get(chunk, elements.offsetInChunk(index, seq));
        }
        return (long) LONG.get(read(index), 0);
    }

    /**
     * The 4-byte element {@code index} as a little-endian int; see {@link #readLong}.
     *
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public int readInt(long index) {
        long seq = layout.chunkOf(index);
        byte[] chunk = cachedChunk(index, seq);
        if (chunk != null) {
            return (int) INT.get(chunk, elements.offsetInChunk(index, seq));
        }
        return (int) INT.get(read(index), 0);
    }

    /**
     * Reads the fixed-size elements {@code [from, to)} in runs, whole chunks at a time, which
     * stay cached for the next reads.
     *
     * @throws IndexOutOfBoundsException when the range is not within the column
     */
    public void readFixed(long from, long to, RangeSink sink) {
        if (db.inTransaction()) {
            db.read(
                    c -> {
                        checkRange(from, to, stateOf(c).length());
                        ChunkSource source = direct(c);
                        this.<SQLException>forEachRun(from, to, (seq, bytes) -> source.chunk(false, seq), sink);
                        return null;
                    },
                    () -> "read elements " + from + " to " + to + " of " + describe());
            return;
        }
        while (true) {
            ColumnState s = current();
            checkRange(from, to, s.length());
            try {
                long end = Math.min(to, s.committed());
                if (from < end) {
                    // Chunks missing from the chunk cache load in one run up to the range's end, and on
                    // past it when this range follows the last one: a scan then costs one query
                    // per read-ahead window instead of one per chunk.
                    long runEnd = Math.min(
                            layout.chunkOf(end - 1) + 1 + (from == lastRangeEnd ? readAheadChunks : 0),
                            layout.chunkOf(s.committed() - 1) + 1);
                    scan(s, from, end, runEnd, sink);
                }
                lastRangeEnd = to;
                if (to > s.committed()) {
                    long first = Math.max(from, s.committed());
                    Elements pending = s.pending().snapshot();
                    sink.accept(pending.data(), pending.start((int) (first - s.committed())), first - from, (int)
                            (to - first));
                }
                return;
            } catch (ChunkReader.StaleRead retry) {
                // the column changed under the read; start over with the new state
            }
        }
    }

    /**
     * @return copies of the elements {@code [from, to)}
     * @throws IndexOutOfBoundsException when the range is not within the column
     */
    public List<byte[]> readRange(long from, long to) {
        if (heap == null) {
            checkRange(from, to, length()); // before sizing the result; readFixed checks again against its state
            byte[][] values = new byte[Math.toIntExact(to - from)][];
            readFixed(from, to, (data, offset, first, count) -> {
                for (int i = 0; i < count; i++) {
                    int at = offset + i * slotSize;
                    values[(int) first + i] = Arrays.copyOfRange(data, at, at + slotSize);
                }
            });
            return new ArrayList<>(Arrays.asList(values));
        }
        if (db.inTransaction()) {
            return db.read(
                    c -> {
                        checkRange(from, to, stateOf(c).length());
                        ChunkSource source = direct(c);
                        List<byte[]> values = new ArrayList<>();
                        for (long i = from; i < to; i++) {
                            values.add(readThrough(source, i));
                        }
                        return values;
                    },
                    () -> "read elements " + from + " to " + to + " of " + describe());
        }
        while (true) {
            ColumnState s = current();
            checkRange(from, to, s.length());
            try {
                List<byte[]> values = new ArrayList<>();
                Elements pending = s.pending().snapshot();
                for (long i = from; i < to; i++) {
                    values.add(i < s.committed() ? readCommitted(s, i) : pending.element((int) (i - s.committed())));
                }
                return values;
            } catch (ChunkReader.StaleRead retry) {
                // the column changed under the read; start over with the new state
            }
        }
    }

    private interface ChunkLoader<E extends Exception> {
        /** @return chunk {@code seq}, holding at least {@code bytes} bytes unless the file is damaged */
        byte[] chunk(long seq, int bytes) throws E;
    }

    private <E extends Exception> void forEachRun(long from, long to, ChunkLoader<E> loader, RangeSink sink) throws E {
        long position = from;
        while (position < to) {
            long seq = layout.chunkOf(position);
            long runEnd = Math.min(to, layout.start(seq) + layout.capacity(seq));
            int offset = elements.offsetInChunk(position, seq);
            int count = (int) (runEnd - position);
            byte[] chunk = loader.chunk(seq, offset + count * slotSize);
            if (chunk.length < offset + count * slotSize) {
                throw damaged(false, seq);
            }
            sink.accept(chunk, offset, position - from, count);
            position = runEnd;
        }
    }

    /**
     * Hands the committed elements {@code [from, end)} to {@code sink} chunk by chunk: cached
     * chunks from the chunk cache, the others as one cursor over the file delivers them (decoded while
     * still hot in the CPU cache), the cursor running on to chunk {@code runEnd} to read ahead.
     */
    private void scan(ColumnState s, long from, long end, long runEnd, RangeSink sink) {
        boolean cachesScans = reader.keepsScanned(s);
        long position = from;
        while (position < end) {
            long seq = layout.chunkOf(position);
            long chunkEnd = Math.min(end, layout.start(seq) + layout.capacity(seq));
            int offset = elements.offsetInChunk(position, seq);
            int needed = offset + (int) (chunkEnd - position) * slotSize;
            byte[] chunk = reader.cachedElementChunk(s.epoch(), seq, needed);
            if (chunk == null) {
                chunk = readAhead.get(s.epoch(), s.revision(), seq);
                if (chunk != null && chunk.length < needed) {
                    chunk = null;
                }
            }
            if (chunk != null) {
                sink.accept(chunk, offset, position - from, (int) (chunkEnd - position));
                position = chunkEnd;
                continue;
            }
            long[] next = {position};
            reader.streamRun(s, seq, Math.max(runEnd, seq + 1), (at, data) -> {
                long at0 = next[0];
                if (!cachesScans) {
                    readAhead.keep(s.epoch(), s.revision(), at, data); // for the scan's next ranges
                }
                if (at0 >= end || at != layout.chunkOf(at0)) {
                    return; // read ahead, or a chunk of the range already delivered
                }
                long runTo = Math.min(end, layout.start(at) + layout.capacity(at));
                int off = elements.offsetInChunk(at0, at);
                if (data.length < off + (int) (runTo - at0) * slotSize) {
                    throw damaged(false, at);
                }
                sink.accept(data, off, at0 - from, (int) (runTo - at0));
                next[0] = runTo;
            });
            if (next[0] == position) {
                throw damaged(false, seq);
            }
            position = next[0];
        }
    }

    /**
     * The hot path of a point read: the cached element chunk {@code seq} holding {@code position},
     * or null when the slow path must answer (not cached, pending, out of range, in a transaction).
     */
    private byte @Nullable [] cachedChunk(long position, long seq) {
        if (!reader.cachesChunks() || db.inTransaction()) {
            return null;
        }
        ColumnState s = current();
        if (position < 0 || position >= s.committed()) {
            return null;
        }
        return reader.cachedElementChunk(s.epoch(), seq, elements.offsetInChunk(position, seq) + slotSize);
    }

    private byte[] readCommitted(ColumnState s, long index) {
        long seq = layout.chunkOf(index);
        byte[] slot = reader.part(s, false, seq, elements.offsetInChunk(index, seq), slotSize);
        if (heap == null) {
            return slot;
        }
        HeapRef ref = HeapRef.read(slot, 0);
        return ref.length() == 0 ? NONE : reader.part(s, true, ref.seq(), ref.offset(), ref.length());
    }

    private byte[] readThrough(ChunkSource source, long index) throws SQLException {
        byte[] slot = elements.read(source, index);
        return heap == null ? slot : HeapChunks.read(source, HeapRef.read(slot, 0));
    }

    // ---- the state ------------------------------------------------------------------------

    /** @return the state, renewed first if any connection committed since it was last checked */
    private ColumnState current() {
        checkUsable();
        return keeper.current(storedState);
    }

    /** @return the column's length and revision in the file, as {@code c} sees it */
    private StoredState stateOf(VaultConnection c) throws SQLException {
        PreparedStatement read = c.prepared(ColumnSql.STATE);
        read.setInt(1, meta.id());
        try (ResultSet rows = read.executeQuery()) {
            if (!rows.next()) {
                if (!db.inTransaction()) {
                    markDeleted(); // inside a transaction the delete might still roll back
                }
                throw new NotFoundException(describe() + " was deleted");
            }
            return new StoredState(rows.getLong(1), rows.getLong(2));
        }
    }

    private void checkUsable() {
        db.ensureOpen();
        if (deleted) {
            throw new NotFoundException(describe() + " was deleted");
        }
    }

    /** @return whether the column is known to be deleted */
    public boolean isDeleted() {
        return deleted;
    }

    /** Marks the column deleted: every later call throws {@link NotFoundException}. */
    public void markDeleted() {
        deleted = true;
        chunkCache.forget(meta.id());
    }

    // ---- writes ---------------------------------------------------------------------------

    /** What a write did, filled in as it goes. */
    private static final class Change {
        long length;
        boolean moved;
        int flushed;
        final List<WrittenChunk> written = new ArrayList<>();

        Change(long length) {
            this.length = length;
        }
    }

    @FunctionalInterface
    private interface Mutation<T extends @Nullable Object> {
        T apply(VaultConnection c, ChunkSource source, Change change) throws SQLException;
    }

    private record Outcome<T extends @Nullable Object>(T value, Change change, StoredState written, long epoch) {}

    /**
     * Appends encoded elements: to the write-back cache when it is on (flushing it once it holds
     * its threshold), otherwise in one transaction.
     */
    public void append(Elements values) {
        Supplier<String> what = appendWhat;
        if (values.count() == 0) {
            db.ensureWritableOpen(what);
            checkUsable();
            return;
        }
        if (db.inTransaction()) {
            db.ensureWritableOpen(what);
            checkUsable();
            transactionAppends.hold(values);
            return;
        }
        long capacity = writeBackCapacity;
        if (capacity > 0 && values.byteSize() <= capacity) {
            db.ensureWritableOpen(what);
            checkUsable();
            if (keeper.appendPending(values) >= writeBackThreshold) {
                flushWriteBack();
            }
            return;
        }
        mutate(what, (c, source, change) -> {
            appendTo(c, source, change, values);
            return null;
        });
    }

    /**
     * Appends one 8-byte element (a long, or a double's bits). With the write-back cache on and no
     * transaction open, it is a memory write; otherwise it is {@link #append(Elements)}.
     */
    public void appendLong(long value) {
        if (!appendToWriteBack(value, Long.BYTES)) {
            byte[] bytes = new byte[Long.BYTES];
            LONG.set(bytes, 0, value);
            append(Elements.fixed(Long.BYTES, bytes));
        }
    }

    /** Appends one 4-byte element (an int, or a float's bits); see {@link #appendLong}. */
    public void appendInt(int value) {
        if (!appendToWriteBack(value, Integer.BYTES)) {
            byte[] bytes = new byte[Integer.BYTES];
            INT.set(bytes, 0, value);
            append(Elements.fixed(Integer.BYTES, bytes));
        }
    }

    /** @return true when the number went to the write-back cache; false when the caller must write it */
    private boolean appendToWriteBack(long value, int size) {
        if (writeBackCapacity <= 0 || db.inTransaction()) {
            return false;
        }
        db.ensureWritableOpen(appendWhat);
        checkUsable();
        if (keeper.appendPendingNumber(value, size) >= writeBackThreshold) {
            flushWriteBack();
        }
        return true;
    }

    /**
     * Replaces element {@code index}.
     *
     * @return the element it replaced
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public byte[] set(long index, byte[] value) {
        return mutate(() -> "set element " + index + " of " + describe(), (c, source, change) -> {
            checkIndex(index, change.length);
            byte[] slot = elements.read(source, index);
            if (heap == null) {
                elements.set(c, source, index, value, change.written);
                return slot;
            }
            HeapRef old = HeapRef.read(slot, 0);
            byte[] replaced = HeapChunks.read(source, old);
            HeapRef now;
            if (value.length == 0) {
                now = new HeapRef(0, 0, 0);
            } else if (value.length <= old.length()) {
                heap.overwrite(c, source, old, value, change.written);
                now = new HeapRef(old.seq(), old.offset(), value.length);
            } else {
                now = HeapRef.read(
                        heap.append(c, source, Elements.variable(List.of(value)), change.written)
                                .data(),
                        0);
            }
            elements.set(c, source, index, now.bytes(), change.written);
            return replaced;
        });
    }

    /**
     * Inserts an element at {@code index}, shifting the ones after it: rewrites every chunk from
     * there to the end.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index <= length}
     */
    public void insert(long index, byte[] value) {
        mutate(() -> "insert element " + index + " into " + describe(), (c, source, change) -> {
            if (index < 0 || index > change.length) {
                throw outOfRange(index, change.length);
            }
            if (index == change.length) {
                appendTo(
                        c,
                        source,
                        change,
                        heap == null ? Elements.fixed(slotSize, value) : Elements.variable(List.of(value)));
                return null;
            }
            byte[] slot = heap == null
                    ? value
                    : heap.append(c, source, Elements.variable(List.of(value)), change.written)
                            .data();
            elements.insert(c, source, change.length, index, slot);
            change.length++;
            change.moved = true;
            return null;
        });
    }

    /**
     * Removes element {@code index}, shifting the ones after it: rewrites every chunk from there
     * to the end.
     *
     * @return the removed element
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public byte[] remove(long index) {
        return mutate(() -> "remove element " + index + " of " + describe(), (c, source, change) -> {
            checkIndex(index, change.length);
            byte[] slot = elements.remove(c, source, change.length, index);
            change.length--;
            change.moved = true;
            return heap == null ? slot : HeapChunks.read(source, HeapRef.read(slot, 0));
        });
    }

    /** Removes every element and frees every chunk. */
    public void clear() {
        mutate(() -> "clear " + describe(), (c, source, change) -> {
            elements.clear(c);
            if (heap != null) {
                heap.clear(c);
            }
            change.length = 0;
            change.moved = true;
            return null;
        });
    }

    private void appendTo(VaultConnection c, ChunkSource source, Change change, Elements values) throws SQLException {
        Elements slots = heap == null ? values : heap.append(c, source, values, change.written);
        elements.append(c, source, change.length, slots, change.written);
        change.length += values.count();
    }

    /**
     * Runs a write in a transaction, after committing the pending appends in the same one. Outside
     * a transaction, the outcome is published to the state and the chunk cache when it commits.
     */
    private <T extends @Nullable Object> T mutate(Supplier<String> what, Mutation<T> mutation) {
        db.ensureWritableOpen(what);
        checkUsable();
        if (db.inTransaction()) {
            T value = db.transaction(
                    c -> {
                        StoredState now = stateOf(c);
                        Change change = new Change(now.length());
                        T result = mutation.apply(c, direct(c), change);
                        recordState(c, now.afterWrite(change.length));
                        return result;
                    },
                    what);
            db.onTransactionEnd(keeper::renewAtNextCall);
            return value;
        }
        return db.exclusive(() -> {
            keeper.beginWrite();
            try {
                ColumnState before = keeper.latest();
                Elements pending = before.pending().snapshot();
                Outcome<T> outcome = db.transaction(
                        c -> {
                            StoredState now = stateOf(c);
                            boolean cachedChunksValid = now.revision() == before.revision();
                            long epoch = cachedChunksValid ? before.epoch() : StateKeeper.newEpoch();
                            ChunkSource source = cachedChunksValid ? cachedThenDirect(c, epoch) : direct(c);
                            Change change = new Change(now.length());
                            if (pending.count() > 0) {
                                appendTo(c, source, change, pending);
                                change.flushed = pending.count();
                            }
                            T result = mutation.apply(c, source, change);
                            StoredState written = now.afterWrite(change.length);
                            recordState(c, written);
                            return new Outcome<>(
                                    result, change, written, change.moved ? StateKeeper.newEpoch() : epoch);
                        },
                        what);
                publish(outcome, pending.count());
                return outcome.value();
            } finally {
                keeper.endWrite();
            }
        });
    }

    private void publish(Outcome<?> outcome, int flushed) {
        Change change = outcome.change();
        if (!change.moved) {
            // Before the new state: whoever sees the new length must find the chunks that hold it.
            for (WrittenChunk chunk : change.written) {
                chunkCache.offer(
                        new ChunkCache.Key(meta.id(), chunk.heap(), chunk.seq(), outcome.epoch()),
                        outcome.written().revision(),
                        chunk.data());
            }
        }
        keeper.publish(outcome.written(), outcome.epoch(), flushed);
    }

    private void recordState(VaultConnection c, StoredState stored) throws SQLException {
        PreparedStatement update = c.prepared(ColumnSql.SET_STATE);
        update.setLong(1, stored.length());
        update.setLong(2, stored.revision());
        update.setInt(3, meta.id());
        update.executeUpdate();
    }

    private ChunkRows heapRows() {
        if (heap == null) {
            throw new IllegalStateException(describe() + " has no heap");
        }
        return heap.rows();
    }

    private ChunkSource direct(VaultConnection c) {
        return (inHeap, seq) -> {
            byte[] data = (inHeap ? heapRows() : elementRows).load(c, seq);
            return data == null ? NONE : data;
        };
    }

    /** Reads chunks from the chunk cache until the write has written to that table; from the file after. */
    private ChunkSource cachedThenDirect(VaultConnection c, long epoch) {
        ChunkSource direct = direct(c);
        long elementWrites = elementRows.writes();
        long heapWrites = heap == null ? 0 : heap.rows().writes();
        return (inHeap, seq) -> {
            boolean untouched = inHeap ? heapRows().writes() == heapWrites : elementRows.writes() == elementWrites;
            if (untouched) {
                byte[] cached = chunkCache.get(new ChunkCache.Key(meta.id(), inHeap, seq, epoch));
                if (cached != null) {
                    return cached;
                }
            }
            return direct.chunk(inHeap, seq);
        };
    }

    /**
     * Appends made inside a transaction, held back and written together before the transaction's
     * next statement (a read, another write, its commit): one rewrite of the last chunk for a
     * run of appends instead of one per append. Touched only by the thread holding the write lock.
     */
    private final class TransactionAppends implements Database.StagedWrites {
        /** Held bytes past which the run is written at once, to bound memory. */
        private static final long MAX_HELD_BYTES = 8L << 20;

        private @Nullable Elements held;

        void hold(Elements values) {
            held = held == null ? values : held.plus(values);
            db.stage(this);
            if (held.byteSize() >= MAX_HELD_BYTES) {
                db.writeStaged(() -> "append to " + describe());
            }
        }

        @Override
        public void write(VaultConnection c) throws SQLException {
            Elements values = held;
            held = null;
            if (values == null) {
                return;
            }
            StoredState now = stateOf(c);
            Change change = new Change(now.length());
            appendTo(c, direct(c), change, values);
            recordState(c, now.afterWrite(change.length));
            db.onTransactionEnd(keeper::renewAtNextCall);
        }

        @Override
        public void discard() {
            held = null;
        }
    }

    // ---- write-back cache -----------------------------------------------------------------

    /**
     * Buffers later appends in memory, flushing them once they reach {@code thresholdBytes}.
     *
     * @param capacityBytes an append larger than this goes straight to the file
     * @param thresholdBytes buffered bytes that trigger a flush; above the capacity, the capacity does
     */
    public void enableWriteBack(long capacityBytes, long thresholdBytes) {
        writeBackThreshold = Math.min(thresholdBytes, capacityBytes);
        writeBackCapacity = capacityBytes;
    }

    /** Commits the buffered appends, then writes go straight to the file. */
    public void disableWriteBack() {
        writeBackCapacity = 0;
        flushWriteBack();
    }

    /** @return whether the write-back cache is on */
    public boolean isWriteBackEnabled() {
        return writeBackCapacity > 0;
    }

    /** @return whether appends are buffered, waiting for a flush */
    public boolean hasPending() {
        return keeper.latest().pending().count() > 0;
    }

    /**
     * Commits the buffered appends in one transaction. Inside a transaction it does nothing.
     *
     * @return how many elements were committed
     */
    public int flushWriteBack() {
        if (db.inTransaction() || !hasPending()) {
            return 0;
        }
        return mutate(() -> "flush the cache of " + describe(), (c, source, change) -> change.flushed);
    }

    // ---- what a whole-column scan needs ({@link VectorSearch}) -----------------------------------

    /** @return the state as of now, renewed first as for every read (not inside a transaction) */
    ColumnState scanState() {
        return current();
    }

    ChunkLayout layout() {
        return layout;
    }

    ChunkReader reader() {
        return reader;
    }

    /** @return the vault's read cache's size, in bytes */
    long readCacheBytes() {
        return chunkCache.maxBytes();
    }

    /** @return whether the calling thread has a transaction open */
    boolean inTransaction() {
        return db.inTransaction();
    }

    // ---- messages ---------------------------------------------------------------------------

    /** @return "column 'name'" */
    public String describe() {
        return "column '" + meta.name() + "'";
    }

    private void checkIndex(long index, long length) {
        if (index < 0 || index >= length) {
            throw outOfRange(index, length);
        }
    }

    private IndexOutOfBoundsException outOfRange(long index, long length) {
        return new IndexOutOfBoundsException(
                "index " + index + " is out of range for " + describe() + " of length " + length);
    }

    /**
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length}
     */
    public void checkRange(long from, long to, long length) {
        if (from < 0 || from > to || to > length) {
            throw new IndexOutOfBoundsException(
                    "range [" + from + ", " + to + ") is out of range for " + describe() + " of length " + length);
        }
    }

    private KohakuVaultException damaged(boolean inHeap, long seq) {
        return new KohakuVaultException((inHeap ? "heap" : "element") + " chunk " + seq + " of " + describe()
                + " is shorter than its length says: the file is damaged");
    }
}
