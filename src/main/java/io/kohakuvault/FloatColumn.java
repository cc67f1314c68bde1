package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.column.Elements;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A column of 32-bit IEEE 754 floats ({@code f32}), little-endian. Its primitive
 * methods never box; the {@link java.util.List} view boxes to {@link Float}.
 *
 * <pre>{@code
 * FloatColumn weights = vault.column("weights", ColumnType.F32);
 * weights.extend(0.5f, 0.25f);
 * float[] all = weights.getFloats(0, weights.length());
 * }</pre>
 *
 * <p>Thread-safe. See {@link Column} for what each operation costs.
 */
public final class FloatColumn extends AbstractColumn<Float> {
    private static final int SIZE = Float.BYTES;

    FloatColumn(ColumnStore store, ColumnType<FloatColumn> type) {
        super(store, type);
    }

    /**
     * Appends one value. Amortised O(1): one transaction, or with the write-back cache on a memory
     * write (no object per value).
     *
     * @param value the value
     */
    public void append(float value) {
        store.appendInt(Float.floatToRawIntBits(value));
    }

    /**
     * Appends every value in one transaction: all or none.
     *
     * @param values the values; copied
     */
    public void extend(float... values) {
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
    public float getFloat(long index) {
        return Float.intBitsToFloat(store.readInt(index));
    }

    /**
     * Replaces one value; rewrites its chunk.
     *
     * @param index the element's index
     * @param value the new value
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public void setFloat(long index, float value) {
        store.set(index, encodeAll(new float[] {value}, 0, 1));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return the values {@code [from, to)}, read whole chunks at a time
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public float[] getFloats(long from, long to) {
        checkRange(from, to);
        float[] values = new float[Math.toIntExact(to - from)];
        store.readFixed(
                from,
                to,
                (data, offset, first, count) -> ByteBuffer.wrap(data, offset, count * SIZE)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(values, (int) first, count));
        return values;
    }

    @Override
    List<Float> readBlock(long from, long to) {
        float[] values = getFloats(from, to);
        return new AbstractList<>() {
            @Override
            public Float get(int i) {
                return values[i];
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    @Override
    byte[] encode(@Nullable Float value) {
        if (value == null) {
            throw nullValue();
        }
        return encodeAll(new float[] {value}, 0, 1);
    }

    @Override
    Float decode(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat();
    }

    private static byte[] encodeAll(float[] values, int from, int count) {
        byte[] bytes = new byte[Math.multiplyExact(count, SIZE)];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values, from, count);
        return bytes;
    }
}
