package io.kohakuvault.internal.column;

import io.kohakuvault.Metric;
import io.kohakuvault.Neighbor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * Exact nearest-neighbour search over a column of {@code f32} vectors: every element is compared
 * with the query, and the {@code k} nearest are kept.
 *
 * <p>Outside a transaction the committed chunks are cut into about four groups per core, scanned in
 * parallel (the common fork-join pool), each keeping its own top {@code k} ({@link TopK}); the
 * groups' results are then merged, and the appends waiting in the write-back cache are scored last.
 * A group takes a chunk from the read cache when it is there and otherwise reads a run of chunks
 * with one cursor ({@link ChunkReader#scanRun}); memory per group is one chunk and one decoded
 * copy of it, whatever the column's length. A chunk read from the file goes into the read cache
 * only on the second scan that reads it, and only when the whole column fits in the cache: one
 * scan never flushes the cache's working set, and a column searched again and again ends up in
 * memory when it can. If the column changes under the scan, the scan starts over.
 *
 * <p>Inside a transaction the calling thread scans alone, on the transaction's connection, so its
 * own uncommitted writes are seen, a block of chunks at a time.
 */
public final class VectorSearch {
    /** Elements read per block inside a transaction: about 4 MiB. */
    private static final int TRANSACTION_BLOCK_BYTES = 4 << 20;
    /** Groups per core: enough for the pool to balance uneven groups. */
    private static final int GROUPS_PER_CORE = 4;

    private final ColumnStore store;
    private final int dimensions;
    private final float[] query;
    private final float queryNorm;
    private final Metric metric;
    private final int k;

    private VectorSearch(ColumnStore store, int dimensions, float[] query, int k, Metric metric) {
        this.store = store;
        this.dimensions = dimensions;
        this.query = query;
        this.metric = metric;
        this.k = k;
        this.queryNorm = (float) Math.sqrt(dot(query, 0, query));
    }

    /**
     * @param store a column whose elements are {@code dimensions} little-endian floats
     * @param dimensions floats per vector
     * @param query a vector of {@code dimensions} floats, finite (and not zero for COSINE); not modified
     * @param k how many to return, at least 1
     * @param metric the distance
     * @return the {@code min(k, length)} nearest elements, nearest first, ties by lower index;
     *     NaN distances (vectors holding NaN, written by other tools) last
     */
    public static List<Neighbor> nearest(ColumnStore store, int dimensions, float[] query, int k, Metric metric) {
        return new VectorSearch(store, dimensions, query.clone(), k, metric).run();
    }

    private List<Neighbor> run() {
        if (store.inTransaction()) {
            return inTransaction();
        }
        while (true) {
            ColumnState s = store.scanState();
            List<TopK> parts = scanCommitted(s);
            if (parts == null) {
                continue; // the column changed under the scan: start over with the new state
            }
            TopK pending = new TopK(k);
            Elements waiting = s.pending().snapshot();
            if (waiting.count() > 0) {
                score(waiting.data(), waiting.start(0), waiting.count(), s.committed(), pending, new float[0]);
            }
            parts.add(pending);
            return TopK.merge(parts, k);
        }
    }

    private List<Neighbor> inTransaction() {
        TopK top = new TopK(k);
        long length = store.length();
        int elementBytes = dimensions * Float.BYTES;
        int block = Math.max(1, TRANSACTION_BLOCK_BYTES / elementBytes);
        float[][] scratch = {new float[0]};
        for (long from = 0; from < length; from += block) {
            long to = Math.min(length, from + block);
            long base = from;
            store.readFixed(
                    from,
                    to,
                    (data, offset, first, count) ->
                            scratch[0] = score(data, offset, count, base + first, top, scratch[0]));
        }
        return TopK.merge(List.of(top), k);
    }

    /** @return each group's top k, or null when the column changed under the scan */
    private @Nullable List<TopK> scanCommitted(ColumnState s) {
        List<TopK> parts = new ArrayList<>();
        if (s.committed() == 0) {
            return parts;
        }
        ChunkLayout layout = store.layout();
        long chunks = layout.chunkOf(s.committed() - 1) + 1;
        int groups = (int) Math.min(chunks, (long) Runtime.getRuntime().availableProcessors() * GROUPS_PER_CORE);
        boolean keep = s.committed() * dimensions * (long) Float.BYTES <= store.readCacheBytes();
        List<TopK> found = IntStream.range(0, groups)
                .parallel()
                .mapToObj(g -> scanGroup(s, chunks * g / groups, chunks * (g + 1) / groups, keep))
                .toList();
        for (TopK part : found) {
            if (part == null) {
                return null;
            }
            parts.add(part);
        }
        return parts;
    }

    /** Scores the committed elements of chunks {@code [fromSeq, toSeq)}; null when the column changed. */
    private @Nullable TopK scanGroup(ColumnState s, long fromSeq, long toSeq, boolean keep) {
        ChunkLayout layout = store.layout();
        ChunkReader reader = store.reader();
        TopK top = new TopK(k);
        float[][] scratch = {new float[0]};
        try {
            long seq = fromSeq;
            while (seq < toSeq) {
                byte[] cached = reader.cachedElementChunk(s.epoch(), seq, bytesOf(s, layout, seq));
                if (cached != null) {
                    scratch[0] = score(cached, 0, countOf(s, layout, seq), layout.start(seq), top, scratch[0]);
                    seq++;
                    continue;
                }
                long runEnd = seq + 1;
                while (runEnd < toSeq
                        && reader.cachedElementChunk(s.epoch(), runEnd, bytesOf(s, layout, runEnd)) == null) {
                    runEnd++;
                }
                long[] next = {seq};
                reader.scanRun(s, seq, runEnd, keep, (at, data) -> {
                    int count = countOf(s, layout, at);
                    if (at != next[0] || data.length < count * dimensions * Float.BYTES) {
                        throw new io.kohakuvault.KohakuVaultException("element chunk " + at + " of " + store.describe()
                                + " is missing or shorter than its length says: the file is damaged");
                    }
                    scratch[0] = score(data, 0, count, layout.start(at), top, scratch[0]);
                    next[0] = at + 1;
                });
                if (next[0] != runEnd) {
                    throw new io.kohakuvault.KohakuVaultException("element chunk " + next[0] + " of " + store.describe()
                            + " is missing: the file is damaged");
                }
                seq = runEnd;
            }
            return top;
        } catch (ChunkReader.StaleRead changed) {
            return null;
        }
    }

    /** @return committed elements in chunk {@code seq} of state {@code s} */
    private static int countOf(ColumnState s, ChunkLayout layout, long seq) {
        return (int) (Math.min(s.committed(), layout.start(seq) + layout.capacity(seq)) - layout.start(seq));
    }

    private int bytesOf(ColumnState s, ChunkLayout layout, long seq) {
        return countOf(s, layout, seq) * dimensions * Float.BYTES;
    }

    /**
     * Scores {@code count} packed vectors at {@code offset} of {@code data}, the first being element
     * {@code firstIndex}, into {@code top}.
     *
     * @return the scratch array used, grown if it had to be, for the next call
     */
    private float[] score(byte[] data, int offset, int count, long firstIndex, TopK top, float[] scratch) {
        int floats = count * dimensions;
        float[] v = scratch.length >= floats ? scratch : new float[floats];
        ByteBuffer.wrap(data, offset, floats * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer()
                .get(v, 0, floats);
        for (int i = 0; i < count; i++) {
            top.offer(firstIndex + i, distance(v, i * dimensions));
        }
        return v;
    }

    private float distance(float[] v, int at) {
        return switch (metric) {
            case DOT -> -dot(v, at, query);
            case L2 -> (float) Math.sqrt(squaredDistance(v, at, query));
            case COSINE -> cosineDistance(v, at);
        };
    }

    /** @return the dot product of {@code v[at ..]} and {@code q}, with four partial sums */
    private static float dot(float[] v, int at, float[] q) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int n = q.length;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += v[at + i] * q[i];
            s1 += v[at + i + 1] * q[i + 1];
            s2 += v[at + i + 2] * q[i + 2];
            s3 += v[at + i + 3] * q[i + 3];
        }
        for (; i < n; i++) {
            s0 += v[at + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float squaredDistance(float[] v, int at, float[] q) {
        float s0 = 0;
        float s1 = 0;
        int n = q.length;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            float d0 = v[at + i] - q[i];
            float d1 = v[at + i + 1] - q[i + 1];
            s0 += d0 * d0;
            s1 += d1 * d1;
        }
        for (; i < n; i++) {
            float d = v[at + i] - q[i];
            s0 += d * d;
        }
        return s0 + s1;
    }

    /** @return 1 - cosine similarity of {@code v[at ..]} and the query; 1 when the vector is zero */
    private float cosineDistance(float[] v, int at) {
        float[] q = query;
        float d0 = 0;
        float d1 = 0;
        float n0 = 0;
        float n1 = 0;
        int n = q.length;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            float a = v[at + i];
            float b = v[at + i + 1];
            d0 += a * q[i];
            d1 += b * q[i + 1];
            n0 += a * a;
            n1 += b * b;
        }
        for (; i < n; i++) {
            float a = v[at + i];
            d0 += a * q[i];
            n0 += a * a;
        }
        float norm = (float) Math.sqrt(n0 + n1);
        return norm == 0 ? 1f : 1f - (d0 + d1) / (norm * queryNorm);
    }
}
