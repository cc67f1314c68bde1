package io.kohakuvault;

import io.kohakuvault.internal.column.ColumnStore;
import io.kohakuvault.internal.column.VectorSearch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A column of {@code float[]} vectors of one fixed dimension ({@code vec:f32:N}), such as
 * embeddings, with exact nearest-neighbour search. Each element is N little-endian IEEE 754
 * binary32 floats, packed like the slots of an {@code f32} column (4N bytes per element; see
 * docs/FORMAT.md).
 *
 * <pre>{@code
 * VectorColumn emb = vault.column("emb", ColumnType.vector(384));
 * emb.append(embedding);                                  // exactly 384 floats
 * List<Neighbor> hits = emb.nearest(query, 10, Metric.COSINE);
 * float[] best = emb.getVector(hits.get(0).index());
 * }</pre>
 *
 * <p><b>Values.</b> A vector must have exactly {@link #dimensions()} floats, else
 * {@link InvalidArgumentException} naming the column and both lengths. Every component must be
 * finite: NaN and infinities are refused on write (naming the component), since they make every
 * distance to that vector meaningless; a query must be finite too. Vectors are copied in and out,
 * and compare by content ({@code equals}, {@code indexOf}, {@code contains}).
 *
 * <p><b>Costs.</b> As a fixed-size column: an append rewrites the last chunk (or waits in the
 * write-back cache), {@link #getVectors} reads whole chunks. {@link #nearest} reads every element
 * once: from the read cache when its chunk is there, otherwise from the file, a run of chunks per
 * query, in parallel over every core; see {@link #nearest}. Thread-safe.
 */
public final class VectorColumn extends AbstractColumn<float[]> {
    private final int dimensions;

    VectorColumn(ColumnStore store, ColumnType<VectorColumn> type) {
        super(store, type);
        this.dimensions = type.fixedSize() / Float.BYTES;
    }

    /** @return floats per vector */
    public int dimensions() {
        return dimensions;
    }

    /**
     * @param index the element, from 0
     * @return a copy of its vector
     * @throws IndexOutOfBoundsException when there is no such element
     */
    public float[] getVector(long index) {
        return decode(store.read(index));
    }

    /**
     * Replaces one vector; rewrites its chunk.
     *
     * @param index the element, from 0
     * @param value the new vector, of {@link #dimensions()} floats
     * @throws IndexOutOfBoundsException when there is no such element
     * @throws InvalidArgumentException when the vector is null, of the wrong length or not finite
     */
    public void setVector(long index, float[] value) {
        store.set(index, encode(value));
    }

    /**
     * @param from the first element, inclusive
     * @param to the end, exclusive
     * @return copies of the vectors {@code [from, to)}, read whole chunks at a time
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= length()}
     */
    public List<float[]> getVectors(long from, long to) {
        checkRange(from, to);
        float[][] values = new float[Math.toIntExact(to - from)][];
        int bytes = dimensions * Float.BYTES;
        store.readFixed(from, to, (data, offset, first, count) -> {
            for (int i = 0; i < count; i++) {
                float[] v = new float[dimensions];
                ByteBuffer.wrap(data, offset + i * bytes, bytes)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(v);
                values[(int) first + i] = v;
            }
        });
        return new ArrayList<>(Arrays.asList(values));
    }

    /**
     * The {@code k} elements nearest to {@code query}, by an exact scan of every element.
     * Nearest first; equal distances by lower index; when {@code k} is larger than the column,
     * every element. A transaction's own uncommitted writes are seen, as by every read, and so are
     * appends waiting in the write-back cache.
     *
     * <p>Costs one pass over the column: {@code length * dimensions} multiply-adds spread over
     * every core (the common fork-join pool), and memory of one chunk per core plus {@code k}
     * results per core, whatever the length. Chunks in the read cache are used from memory; the
     * others are read from the file and are <em>not</em> added to the cache by the first search
     * that reads them, so one search never flushes the cache's working set. A chunk read again by
     * a later search is kept if the whole column fits in the read cache
     * ({@link VaultBuilder#readCacheBytes}): a column searched again and again then stays in
     * memory. Inside a transaction the calling thread scans alone.
     *
     * @param query a vector of {@link #dimensions()} finite floats; for {@link Metric#COSINE} not zero
     * @param k how many to return, at least 1
     * @param metric the distance
     * @return the nearest elements; a new list
     * @throws InvalidArgumentException when the query is null, of the wrong length, not finite, or
     *     zero for COSINE; when {@code k < 1} or the metric is null
     */
    public List<Neighbor> nearest(float[] query, int k, Metric metric) {
        checkVector(query, "query");
        if (k < 1) {
            throw new InvalidArgumentException(
                    "nearest in " + store.describe() + ": k must be at least 1, but was " + k);
        }
        if (metric == null) {
            throw new InvalidArgumentException("nearest in " + store.describe() + ": metric must not be null");
        }
        if (metric == Metric.COSINE && Arrays.equals(query, new float[dimensions])) {
            throw new InvalidArgumentException(
                    "nearest in " + store.describe() + ": a zero query has no direction, so it has no COSINE distance");
        }
        return VectorSearch.nearest(store, dimensions, query, k, metric);
    }

    @Override
    byte[] encode(float @Nullable [] value) {
        if (value == null) {
            throw nullValue();
        }
        checkVector(value, "vector");
        byte[] bytes = new byte[dimensions * Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(value);
        return bytes;
    }

    @Override
    float[] decode(byte[] bytes) {
        float[] v = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    private void checkVector(float @Nullable [] v, String what) {
        if (v == null) {
            throw new InvalidArgumentException(what + " for " + store.describe() + " must not be null");
        }
        if (v.length != dimensions) {
            throw new InvalidArgumentException(store.describe() + " holds vectors of " + dimensions + " floats ("
                    + type().dtype() + "), but the " + what + " has " + v.length);
        }
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new InvalidArgumentException(store.describe() + " takes finite floats only, but component " + i
                        + " of the " + what + " is " + v[i]);
            }
        }
    }

    @Override
    boolean sameElement(@Nullable Object value, float @Nullable [] stored) {
        return value instanceof float[] v && stored != null && Arrays.equals(v, stored);
    }

    @Override
    int elementHash(float @Nullable [] stored) {
        return Arrays.hashCode(stored);
    }

    /** @return the name, dtype and length, as {@code emb (vec:f32:384, 3)} */
    @Override
    public String toString() {
        return name() + " (" + type().dtype() + ", " + length() + ")";
    }
}
