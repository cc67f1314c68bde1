package io.kohakuvault.internal.column;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The appends a column's write-back cache holds, packed as they will be written. One thread at a
 * time appends (the caller holds the column's append lock: see {@link StateKeeper}); any thread
 * reads, without a lock, through a {@link #snapshot()}: an append writes its bytes first and
 * publishes its count last (a release write), so a reader that saw a count sees every byte below
 * it. Arrays only grow, by copies that keep what was there, so an older snapshot stays valid.
 *
 * <p>An append of one 8- or 4-byte number ({@link #appendLong}, {@link #appendInt}) is a memory
 * write: no array, no object per element.
 */
final class AppendBuffer {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final VarHandle COUNT;

    static {
        try {
            COUNT = MethodHandles.lookup().findVarHandle(AppendBuffer.class, "count", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int elementSize;
    private byte[] data;
    /** End offset of each element, for variable-size elements; null for fixed-size ones. */
    private int @Nullable [] ends;

    private int bytes;
    /**
     * Elements appended; written last with release semantics and read with acquire semantics
     * (through {@link #COUNT}), so it publishes the bytes below it without a full fence per append.
     */
    private int count;

    /** @param elementSize bytes per element, or 0 for variable-size elements */
    AppendBuffer(int elementSize) {
        this(elementSize, new byte[0], elementSize == 0 ? new int[0] : null, 0, 0);
    }

    private AppendBuffer(int elementSize, byte[] data, int @Nullable [] ends, int count, int bytes) {
        this.elementSize = elementSize;
        this.data = data;
        this.ends = ends;
        this.bytes = bytes;
        COUNT.setRelease(this, count);
    }

    /** @return how many elements are held */
    int count() {
        return (int) COUNT.getAcquire(this);
    }

    /** @return the bytes held; call under the append lock */
    int byteSize() {
        return bytes;
    }

    /** Appends one 8-byte element, little-endian; call under the append lock. */
    void appendLong(long value) {
        ensureRoom(8);
        LONG.set(data, bytes, value);
        bytes += 8;
        COUNT.setRelease(this, count + 1);
    }

    /** Appends one 4-byte element, little-endian; call under the append lock. */
    void appendInt(int value) {
        ensureRoom(4);
        INT.set(data, bytes, value);
        bytes += 4;
        COUNT.setRelease(this, count + 1);
    }

    /** Appends encoded elements of this buffer's kind; call under the append lock. */
    void append(Elements values) {
        int n = values.count();
        ensureRoom(values.byteSize());
        System.arraycopy(values.data(), 0, data, bytes, values.byteSize());
        int[] e = ends;
        if (e != null) {
            int have = count;
            if (e.length < have + n) {
                e = Arrays.copyOf(e, grow(e.length, have + n));
                ends = e;
            }
            for (int i = 0; i < n; i++) {
                e[have + i] = bytes + values.end(i);
            }
        }
        bytes += values.byteSize();
        COUNT.setRelease(this, count + n);
    }

    private void ensureRoom(int more) {
        int need = Math.addExact(bytes, more);
        if (need > data.length) {
            data = Arrays.copyOf(data, grow(data.length, need));
        }
    }

    /** @return the elements held now, as an immutable run; safe from any thread */
    Elements snapshot() {
        int n = count(); // read first: the arrays read next hold at least n elements
        byte[] d = data;
        int[] e = ends;
        int size = e == null ? n * elementSize : n == 0 ? 0 : e[n - 1];
        return Elements.view(elementSize, d, e, n, size);
    }

    /**
     * @param n elements to drop, at most {@link #count()}
     * @return a new buffer holding the elements after the first {@code n}; call under the append lock
     */
    AppendBuffer dropFirst(int n) {
        Elements rest = snapshot().dropFirst(n);
        AppendBuffer next = new AppendBuffer(elementSize);
        next.append(rest);
        return next;
    }

    private static int grow(int have, int need) {
        long doubled = Math.max(64L, (long) have * 2);
        return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(doubled, need));
    }
}
