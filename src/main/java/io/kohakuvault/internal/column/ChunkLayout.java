package io.kohakuvault.internal.column;

/**
 * Where each unit of a chunked sequence lives: chunk {@code seq} holds {@code capacity(seq)}
 * consecutive units, starting at {@code start(seq)}. Capacities double from {@code minUnits}
 * chunk by chunk until they reach {@code maxUnits}, then stay there: a small column stays in
 * small chunks (an append rewrites little), a large one in few rows.
 *
 * <p>A unit is one element for the element chunks, one byte for the heap. Everything is O(1).
 *
 * @param minUnits capacity of chunk 0, at least 1
 * @param maxUnits capacity of every chunk once growth stops, at least {@code minUnits}
 * @param growthChunks how many chunks have a capacity below {@code maxUnits}
 * @param growthUnits how many units those chunks hold together
 */
record ChunkLayout(int minUnits, int maxUnits, int growthChunks, long growthUnits) {

    /**
     * @param unitBytes bytes per unit
     * @param minChunkBytes the smallest chunk, in bytes
     * @param maxChunkBytes the largest chunk, in bytes
     * @return the layout whose chunks hold whole units within those sizes (at least one unit each)
     */
    static ChunkLayout of(int unitBytes, int minChunkBytes, int maxChunkBytes) {
        int min = Math.max(1, minChunkBytes / unitBytes);
        int max = Math.max(min, maxChunkBytes / unitBytes);
        int growth = 0;
        long units = 0;
        while ((long) min << growth < max) {
            units += (long) min << growth;
            growth++;
        }
        return new ChunkLayout(min, max, growth, units);
    }

    /** @return how many units chunk {@code seq} holds when full */
    int capacity(long seq) {
        return seq < growthChunks ? minUnits << seq : maxUnits;
    }

    /** @return the position of chunk {@code seq}'s first unit */
    long start(long seq) {
        return seq < growthChunks ? minUnits * ((1L << seq) - 1) : growthUnits + (seq - growthChunks) * maxUnits;
    }

    /** @return the chunk that holds unit {@code position} */
    long chunkOf(long position) {
        if (position < growthUnits) {
            return 63L - Long.numberOfLeadingZeros(position / minUnits + 1);
        }
        return growthChunks + (position - growthUnits) / maxUnits;
    }
}
