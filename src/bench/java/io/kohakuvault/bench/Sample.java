package io.kohakuvault.bench;

/**
 * One timed run of one case.
 *
 * @param nanos wall-clock time of {@link Case#run()}
 * @param ops operations it did
 * @param peakHeapBytes peak heap used above the live set at its start
 * @param allocatedBytes bytes the benchmark thread allocated during it
 */
record Sample(long nanos, long ops, long peakHeapBytes, long allocatedBytes) {
    double opsPerSecond() {
        return ops * 1e9 / nanos;
    }

    double allocatedPerOp() {
        return (double) allocatedBytes / ops;
    }
}
