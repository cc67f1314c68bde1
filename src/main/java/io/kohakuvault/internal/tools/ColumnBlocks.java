package io.kohakuvault.internal.tools;

import io.kohakuvault.BytesColumn;
import io.kohakuvault.Column;
import io.kohakuvault.DoubleColumn;
import io.kohakuvault.FloatColumn;
import io.kohakuvault.IntColumn;
import io.kohakuvault.LongColumn;
import io.kohakuvault.StringColumn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Reads a column a block of elements at a time, through each column class's range read (one
 * statement per chunk, never one per element), and copies a column into another in such blocks:
 * memory holds one block whatever the column's length.
 */
public final class ColumnBlocks {
    /** Elements per block of a fixed-size column. */
    static final int FIXED_BLOCK = 1 << 16;
    /** Elements per block of a column of variable-size elements (bytes, str, and any other type). */
    static final int VARIABLE_BLOCK = 256;

    private ColumnBlocks() {}

    /**
     * @param column a column
     * @return how many elements to read at once from it
     */
    public static int blockLength(Column<?> column) {
        return column.type().isFixedSize() ? FIXED_BLOCK : VARIABLE_BLOCK;
    }

    /**
     * Reads the elements {@code [from, to)}, boxed.
     *
     * @param column the column
     * @param from the first index
     * @param to one past the last
     * @return the elements, in order
     */
    public static List<?> read(Column<?> column, long from, long to) {
        if (column instanceof LongColumn c) {
            return Arrays.stream(c.getLongs(from, to)).boxed().toList();
        }
        if (column instanceof IntColumn c) {
            return Arrays.stream(c.getInts(from, to)).boxed().toList();
        }
        if (column instanceof DoubleColumn c) {
            return Arrays.stream(c.getDoubles(from, to)).boxed().toList();
        }
        if (column instanceof FloatColumn c) {
            float[] floats = c.getFloats(from, to);
            List<Float> boxed = new ArrayList<>(floats.length);
            for (float f : floats) {
                boxed.add(f);
            }
            return boxed;
        }
        if (column instanceof BytesColumn c) {
            return c.getRange(from, to);
        }
        if (column instanceof StringColumn c) {
            return c.getRange(from, to);
        }
        List<Object> elements = new ArrayList<>((int) (to - from));
        for (long i = from; i < to; i++) {
            elements.add(column.get(Math.toIntExact(i)));
        }
        return elements;
    }

    /**
     * Appends every element of {@code source} to {@code target}, a block at a time, each block one
     * atomic {@code extend}.
     *
     * @param source the column to read
     * @param target an empty column of the same type
     * @param progress hears the element bytes of each block copied
     * @return the element bytes copied: length times element size, or the elements' own bytes
     */
    @SuppressWarnings("unchecked")
    public static long copy(Column<?> source, Column<?> target, LongConsumer progress) {
        long length = source.length();
        int block = blockLength(source);
        int fixed = source.type().fixedSize();
        long copied = 0;
        for (long from = 0; from < length; from += block) {
            long to = Math.min(length, from + block);
            long bytes;
            if (source instanceof LongColumn s && target instanceof LongColumn t) {
                t.extend(s.getLongs(from, to));
                bytes = (to - from) * fixed;
            } else if (source instanceof IntColumn s && target instanceof IntColumn t) {
                t.extend(s.getInts(from, to));
                bytes = (to - from) * fixed;
            } else if (source instanceof DoubleColumn s && target instanceof DoubleColumn t) {
                t.extend(s.getDoubles(from, to));
                bytes = (to - from) * fixed;
            } else if (source instanceof FloatColumn s && target instanceof FloatColumn t) {
                t.extend(s.getFloats(from, to));
                bytes = (to - from) * fixed;
            } else {
                List<?> elements = read(source, from, to);
                ((Column<Object>) target).extend((List<Object>) elements);
                bytes = fixed > 0 ? (to - from) * fixed : elementBytes(elements);
            }
            copied += bytes;
            progress.accept(bytes);
        }
        return copied;
    }

    private static long elementBytes(List<?> elements) {
        long bytes = 0;
        for (Object e : elements) {
            if (e instanceof byte[] b) {
                bytes += b.length;
            } else if (e instanceof String s) {
                bytes += s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
