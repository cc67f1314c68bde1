package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.column.Elements;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.List;
import java.util.stream.DoubleStream;
import org.jspecify.annotations.Nullable;

/**
 * A column of 64-bit IEEE 754 floats ({@code f64}), little-endian. Its primitive
 * methods never box; the {@link java.util.List} view boxes to {@link Double}.
 *
 * <pre>{@code
 * DoubleColumn temps = vault.column("temps", ColumnType.F64);
 * temps.append(23.5);
 * double first = temps.getDouble(0);
 * double mean = temps.doubleStream().average().orElse(Double.NaN);
 * }</pre>
 *
 * <p>Thread-safe. See {@link Column} for what each operation costs.
 */
public final class DoubleColumn extends AbstractColumn<Double> {
    private static final int SIZE = Double.BYTES;

    DoubleColumn(ColumnStore store, ColumnType<DoubleColumn> type) {
        super(store, type);
    }

    /**
     * Appends one value. Amortised O(1): one transaction, or with the write-back cache on a memory
     * write (no object per value).
     *
     * @param value the value
     */
    public void append(double value) {
        store.appendLong(Double.doubleToRawLongBits(value));
    }

    /**
     * Appends every value in one transaction: all or none.
     *
     * @param values the values; copied
     */
    public void extend(double... values) {
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
    public double getDouble(long index) {
        return Double.longBitsToDouble(store.readLong(index));
    }

    /**
     * Replaces one value; rewrites its chunk.
     *
     * @param index the element's index
     * @param value the new value
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public void setDouble(long index, double value) {
        store.set(index, encodeAll(new double[] {value}, 0, 1));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return the values {@code [from, to)}, read whole chunks at a time
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public double[] getDoubles(long from, long to) {
        checkRange(from, to);
        double[] values = new double[Math.toIntExact(to - from)];
        store.readFixed(
                from,
                to,
                (data, offset, first, count) -> ByteBuffer.wrap(data, offset, count * SIZE)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asDoubleBuffer()
                        .get(values, (int) first, count));
        return values;
    }

    /**
     * @return the values in order, read a block at a time; the length is taken when the stream
     *     starts
     */
    public DoubleStream doubleStream() {
        return StreamBlocks.doubles(length(), this::getDoubles);
    }

    @Override
    List<Double> readBlock(long from, long to) {
        double[] values = getDoubles(from, to);
        return new AbstractList<>() {
            @Override
            public Double get(int i) {
                return values[i];
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    @Override
    byte[] encode(@Nullable Double value) {
        if (value == null) {
            throw nullValue();
        }
        return encodeAll(new double[] {value}, 0, 1);
    }

    @Override
    Double decode(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    }

    private static byte[] encodeAll(double[] values, int from, int count) {
        byte[] bytes = new byte[Math.multiplyExact(count, SIZE)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values, from, count);
        return bytes;
    }
}
