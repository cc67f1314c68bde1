package io.kohakuvault.internal.column;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable run of encoded elements, packed one after another in a byte array: fixed-size
 * elements of {@code elementSize} bytes each, or variable-size ones delimited by an array of end
 * offsets. Appending shares the arrays with the run it extends (writing only past that run's
 * end), so a run of appends costs amortised O(1) per element; only the newest run may be extended.
 */
public final class Elements {
    private final int elementSize;
    private final byte[] data;
    private final int @Nullable [] ends;
    private final int count;
    private final int bytes;

    private Elements(int elementSize, byte[] data, int @Nullable [] ends, int count, int bytes) {
        this.elementSize = elementSize;
        this.data = data;
        this.ends = ends;
        this.count = count;
        this.bytes = bytes;
    }

    /**
     * @param elementSize bytes per element, or 0 for variable-size elements
     * @return no elements
     */
    public static Elements empty(int elementSize) {
        return new Elements(elementSize, new byte[0], elementSize == 0 ? new int[0] : null, 0, 0);
    }

    /** @return the first {@code count} elements ({@code bytes} bytes) of arrays the caller never changes below that */
    static Elements view(int elementSize, byte[] data, int @Nullable [] ends, int count, int bytes) {
        return new Elements(elementSize, data, ends, count, bytes);
    }

    /**
     * @param elementSize bytes per element, more than 0
     * @param data the elements packed; owned by the result from now on
     * @return the {@code data.length / elementSize} elements in {@code data}
     */
    public static Elements fixed(int elementSize, byte[] data) {
        return new Elements(elementSize, data, null, data.length / elementSize, data.length);
    }

    /**
     * @param values variable-size elements; each array is owned by the result from now on
     * @return those elements, packed
     */
    public static Elements variable(List<byte[]> values) {
        int total = 0;
        for (byte[] value : values) {
            total = Math.addExact(total, value.length);
        }
        byte[] data = new byte[total];
        int[] ends = new int[values.size()];
        int at = 0;
        for (int i = 0; i < ends.length; i++) {
            byte[] value = values.get(i);
            System.arraycopy(value, 0, data, at, value.length);
            at += value.length;
            ends[i] = at;
        }
        return new Elements(0, data, ends, ends.length, total);
    }

    /** @return how many elements */
    public int count() {
        return count;
    }

    /** @return their bytes, all together */
    public int byteSize() {
        return bytes;
    }

    /** @return bytes per element, or 0 for variable-size elements */
    int elementSize() {
        return elementSize;
    }

    /** @return the packed bytes; element {@code i} spans {@code [start(i), end(i))}; never modify */
    byte[] data() {
        return data;
    }

    /** @return where element {@code i} starts in {@link #data()} */
    int start(int i) {
        return ends == null ? i * elementSize : i == 0 ? 0 : ends[i - 1];
    }

    /** @return where element {@code i} ends in {@link #data()} */
    int end(int i) {
        return ends == null ? (i + 1) * elementSize : ends[i];
    }

    /** @return a copy of element {@code i} */
    byte[] element(int i) {
        return Arrays.copyOfRange(data, start(i), end(i));
    }

    /**
     * @param more elements of the same kind
     * @return these elements followed by {@code more}; this run must be the newest of its arrays
     */
    Elements plus(Elements more) {
        int newBytes = Math.addExact(bytes, more.bytes);
        int newCount = Math.addExact(count, more.count);
        byte[] newData = data.length >= newBytes ? data : Arrays.copyOf(data, grow(data.length, newBytes));
        System.arraycopy(more.data, 0, newData, bytes, more.bytes);
        int[] newEnds = null;
        if (ends != null) {
            newEnds = ends.length >= newCount ? ends : Arrays.copyOf(ends, grow(ends.length, newCount));
            for (int i = 0; i < more.count; i++) {
                // Elements of the same kind: both have ends, or neither.
                newEnds[count + i] = bytes + Objects.requireNonNull(more.ends)[i];
            }
        }
        return new Elements(elementSize, newData, newEnds, newCount, newBytes);
    }

    /** @return these elements without the first {@code n}, in arrays of their own */
    Elements dropFirst(int n) {
        if (n == 0) {
            return this;
        }
        int from = n == count ? bytes : start(n);
        byte[] rest = Arrays.copyOfRange(data, from, bytes);
        int[] restEnds = null;
        if (ends != null) {
            restEnds = new int[count - n];
            for (int i = 0; i < restEnds.length; i++) {
                restEnds[i] = ends[n + i] - from;
            }
        }
        return new Elements(elementSize, rest, restEnds, count - n, bytes - from);
    }

    private static int grow(int have, int need) {
        long doubled = Math.max(16L, (long) have * 2);
        return (int) Math.min(Integer.MAX_VALUE - 16, Math.max(doubled, need));
    }
}
