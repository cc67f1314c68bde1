package io.kohakuvault.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * What every side of the column benchmark writes and reads: the same random longs, in the same
 * batches, the same random positions per round, and the same 100-byte elements. Sums of what was
 * read are compared with sums computed here, so a side that reads wrong data fails.
 *
 * <p>Part of the column benchmark: {@code ./mvnw -q -Pbench verify -Dbench.only=columns} (see
 * {@link ColumnBenchmark}).
 */
final class ColumnData {
    private static final int ELEMENT_POOL = 1024;

    /** How many longs. */
    final long count;
    /** Longs per batch: every batch but the last holds exactly this many. */
    final int batch;
    /** The longs, in the batches that {@code extend} is called with. */
    final long[][] batches;
    /** The sum of every long (wrapping). */
    final long total;

    private final byte[][] elements;
    private int positionsRound = -1;
    private long positionsBound = -1;
    private long[] positions = new long[0];

    ColumnData(long count, int batch, long seed) {
        this.count = count;
        this.batch = batch;
        SplittableRandom random = new SplittableRandom(seed);
        batches = new long[(int) ((count + batch - 1) / batch)][];
        long sum = 0;
        for (int b = 0; b < batches.length; b++) {
            long[] values = new long[(int) Math.min(batch, count - (long) b * batch)];
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextLong();
                sum += values[i];
            }
            batches[b] = values;
        }
        total = sum;
        elements = new byte[ELEMENT_POOL][ColumnConfig.ELEMENT_SIZE];
        for (byte[] element : elements) {
            random.nextBytes(element);
        }
    }

    /** @return long number {@code i} */
    long value(long i) {
        return batches[(int) (i / batch)][(int) (i % batch)];
    }

    /** @return the sum (wrapping) of the longs {@code [from, to)} */
    long sumRange(long from, long to) {
        long sum = 0;
        for (long i = from; i < to; ) {
            long[] values = batches[(int) (i / batch)];
            int at = (int) (i % batch);
            int end = (int) Math.min(values.length, at + (to - i));
            for (int k = at; k < end; k++) {
                sum += values[k];
            }
            i += end - at;
        }
        return sum;
    }

    /** @return the longs {@code [from, to)} packed little-endian, as a chunk row holds them */
    byte[] encode(long from, long to) {
        ByteBuffer bytes =
                ByteBuffer.allocate(Math.toIntExact((to - from) * Long.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = from; i < to; ) {
            long[] values = batches[(int) (i / batch)];
            int at = (int) (i % batch);
            int n = (int) Math.min(values.length - at, to - i);
            bytes.asLongBuffer().put(values, at, n);
            bytes.position(bytes.position() + n * Long.BYTES);
            i += n;
        }
        return bytes.array();
    }

    /** @return element {@code i} of the {@code BytesColumn} workload (100 bytes, from a pool of 1024) */
    byte[] element(long i) {
        return elements[(int) (i & (ELEMENT_POOL - 1))];
    }

    /** @return the sum (wrapping) of {@code values[0..n)}: the work every read side does with what it read */
    static long sum(long[] values, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        return sum;
    }

    /**
     * Random positions in {@code [0, bound)} for one round: the same for every side of that round
     * (computed once, outside any timing), different between rounds. A side doing fewer reads
     * takes a prefix.
     */
    synchronized long[] positions(int round, int n, long bound) {
        if (round != positionsRound || bound != positionsBound || positions.length != n) {
            SplittableRandom random = new SplittableRandom(7_777_777L * (round + 1) + bound);
            long[] p = new long[n];
            for (int i = 0; i < n; i++) {
                p[i] = random.nextLong(bound);
            }
            positions = p;
            positionsRound = round;
            positionsBound = bound;
        }
        return positions;
    }

    /** @return the sum of the longs at the first {@code n} of {@code positions} */
    long sumAt(long[] positions, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += value(positions[i]);
        }
        return sum;
    }

    /** @return the sum of the slices of {@code length} longs starting at the first {@code n} of {@code positions} */
    long sumSlices(long[] positions, int n, int length) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += sumRange(positions[i], positions[i] + length);
        }
        return sum;
    }
}
