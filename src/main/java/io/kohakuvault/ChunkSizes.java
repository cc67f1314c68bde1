package io.kohakuvault;

/**
 * How a column cuts its elements into chunk rows: the first chunk holds {@code minBytes}, each
 * next one twice as much, up to {@code maxBytes}, after which every chunk holds {@code maxBytes}.
 * Small chunks keep a small column's appends cheap (an append rewrites the last chunk); the cap
 * keeps a point read cheap, since SQLite assembles a whole chunk to read any part of it.
 *
 * <pre>{@code
 * vault.columns().createColumn("frames", ColumnType.BYTES, ChunkSizes.of(64 << 10, 1 << 20));
 * }</pre>
 *
 * @param minBytes the first chunk's capacity, from {@value #MIN_BYTES} bytes
 * @param maxBytes the largest chunk's capacity, from {@code minBytes} to {@value #MAX_BYTES} bytes
 */
public record ChunkSizes(int minBytes, int maxBytes) {
    /** Smallest chunk accepted, in bytes. */
    public static final int MIN_BYTES = 64;
    /** Largest chunk accepted, in bytes (16 MiB). */
    public static final int MAX_BYTES = 16 << 20;
    /**
     * The default: chunks from 16 KiB up to 64 KiB. Measured against 256 KiB and 1 MiB caps
     * (docs/BENCHMARKS.md, the chunk-size study): single appends and cold point reads are 2-3x
     * faster, bulk appends and sequential reads as fast.
     */
    public static final ChunkSizes DEFAULT = new ChunkSizes(16 << 10, 64 << 10);

    /**
     * Checks the sizes.
     *
     * @param minBytes the capacity of a column's first chunk, in bytes
     * @param maxBytes the capacity its chunks grow to, in bytes
     * @throws InvalidArgumentException unless {@code MIN_BYTES <= minBytes <= maxBytes <= MAX_BYTES}
     */
    public ChunkSizes {
        if (minBytes < MIN_BYTES || maxBytes < minBytes || maxBytes > MAX_BYTES) {
            throw new InvalidArgumentException("chunk sizes must satisfy " + MIN_BYTES + " <= minBytes <= maxBytes <= "
                    + MAX_BYTES + ", but were minBytes " + minBytes + " and maxBytes " + maxBytes);
        }
    }

    /**
     * @param minBytes the first chunk's capacity
     * @param maxBytes the largest chunk's capacity
     * @return those sizes
     * @throws InvalidArgumentException unless {@code MIN_BYTES <= minBytes <= maxBytes <= MAX_BYTES}
     */
    public static ChunkSizes of(int minBytes, int maxBytes) {
        return new ChunkSizes(minBytes, maxBytes);
    }
}
