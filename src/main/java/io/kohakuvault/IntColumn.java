package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.column.Elements;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.List;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A column of 32-bit signed integers ({@code i32}), little-endian. Its primitive
 * methods never box; the {@link java.util.List} view boxes to {@link Integer}.
 *
 * <pre>{@code
 * IntColumn counts = vault.column("counts", ColumnType.I32);
 * counts.extend(1, 2, 3);
 * int first = counts.getInt(0);
 * }</pre>
 *
 * <p>Thread-safe. See {@link Column} for what each operation costs.
 */
public final class IntColumn extends AbstractColumn<Integer> {
    private static final int SIZE = Integer.BYTES;

    IntColumn(ColumnStore store, ColumnType<IntColumn> type) {
        super(store, type);
    }

    /**
     * Appends one value. Amortised O(1): one transaction, or with the write-back cache on a memory
     * write (no object per value).
     *
     * @param value the value
     */
    public void append(int value) {
        store.appendInt(value);
    }

    /**
     * Appends every value in one transaction: all or none.
     *
     * @param values the values; copied
     */
    public void extend(int... values) {
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
    public int getInt(long index) {
        return store.readInt(index);
    }

    /**
     * Replaces one value; rewrites its chunk.
     *
     * @param index the element's index
     * @param value the new value
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public void setInt(long index, int value) {
        store.set(index, encodeAll(new int[] {value}, 0, 1));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return the values {@code [from, to)}, read whole chunks at a time
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public int[] getInts(long from, long to) {
        checkRange(from, to);
        int[] values = new int[Math.toIntExact(to - from)];
        store.readFixed(
                from,
                to,
                (data, offset, first, count) -> ByteBuffer.wrap(data, offset, count * SIZE)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asIntBuffer()
                        .get(values, (int) first, count));
        return values;
    }

    /**
     * @return the values in order, read a block at a time; the length is taken when the stream
     *     starts
     */
    public IntStream intStream() {
        return StreamBlocks.ints(length(), this::getInts);
    }

    @Override
    List<Integer> readBlock(long from, long to) {
        int[] values = getInts(from, to);
        return new AbstractList<>() {
            @Override
            public Integer get(int i) {
                return values[i];
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    @Override
    byte[] encode(@Nullable Integer value) {
        if (value == null) {
            throw nullValue();
        }
        return encodeAll(new int[] {value}, 0, 1);
    }

    @Override
    Integer decode(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static byte[] encodeAll(int[] values, int from, int count) {
        byte[] bytes = new byte[Math.multiplyExact(count, SIZE)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(values, from, count);
        return bytes;
    }
}
