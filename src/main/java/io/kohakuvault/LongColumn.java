package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.column.Elements;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.List;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;

/**
 * A column of 64-bit signed integers ({@code i64}), 8 bytes little-endian each. Its primitive
 * methods never box; the {@link java.util.List} view boxes to {@link Long}.
 *
 * <pre>{@code
 * LongColumn ids = vault.column("ids", ColumnType.I64);
 * ids.extend(1L, 2L, 3L);
 * long first = ids.getLong(0);
 * long[] some = ids.getLongs(0, 2);
 * }</pre>
 *
 * <p>Thread-safe. See {@link Column} for what each operation costs.
 */
public final class LongColumn extends AbstractColumn<Long> {
    private static final int SIZE = Long.BYTES;

    LongColumn(ColumnStore store, ColumnType<LongColumn> type) {
        super(store, type);
    }

    /**
     * Appends one value. Amortised O(1): one transaction, or with the write-back cache on a memory
     * write (no object per value).
     *
     * @param value the value
     */
    public void append(long value) {
        store.appendLong(value);
    }

    /**
     * Appends every value in one transaction: all or none.
     *
     * @param values the values; copied
     */
    public void extend(long... values) {
        if (values == null) {
            throw new InvalidArgumentException(store.describe() + ": values to extend it with must not be null");
        }
        store.append(Elements.fixed(SIZE, encodeAll(values, 0, values.length)));
    }

    /**
     * @param index the element, from 0
     * @return its value; a lookup in memory when its chunk is cached
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public long getLong(long index) {
        return store.readLong(index);
    }

    /**
     * Replaces one value; rewrites its chunk.
     *
     * @param index the element's index
     * @param value the new value
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public void setLong(long index, long value) {
        store.set(index, encodeAll(new long[] {value}, 0, 1));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return the values {@code [from, to)}, read whole chunks at a time
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public long[] getLongs(long from, long to) {
        checkRange(from, to);
        long[] values = new long[Math.toIntExact(to - from)];
        store.readFixed(
                from,
                to,
                (data, offset, first, count) -> ByteBuffer.wrap(data, offset, count * SIZE)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asLongBuffer()
                        .get(values, (int) first, count));
        return values;
    }

    /**
     * @return the values in order, read a block at a time; the length is taken when the stream
     *     starts
     */
    public LongStream longStream() {
        return StreamBlocks.longs(length(), this::getLongs);
    }

    @Override
    List<Long> readBlock(long from, long to) {
        long[] values = getLongs(from, to);
        return new AbstractList<>() {
            @Override
            public Long get(int i) {
                return values[i];
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    @Override
    byte[] encode(@Nullable Long value) {
        if (value == null) {
            throw nullValue();
        }
        return encodeAll(new long[] {value}, 0, 1);
    }

    @Override
    Long decode(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] encodeAll(long[] values, int from, int count) {
        byte[] bytes = new byte[Math.multiplyExact(count, SIZE)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(values, from, count);
        return bytes;
    }
}
