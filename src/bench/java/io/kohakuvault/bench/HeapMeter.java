package io.kohakuvault.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Heap use of one timed sample: the peak of heap used above the live set at its start (collected
 * first, then the pools' peaks reset), and the bytes the benchmark thread allocated. The peak is
 * the sum of each heap pool's own peak, so it is an upper bound; it includes garbage not yet
 * collected, which is why the allocation per operation is shown beside it.
 */
final class HeapMeter {
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Heap state when a sample starts. */
    record Start(long usedBytes, long allocatedBytes) {}

    /** @param peakAboveStartBytes peak heap used minus the used heap at start; @param allocatedBytes by this thread */
    record Reading(long peakAboveStartBytes, long allocatedBytes) {}

    /** Collects garbage, resets the pools' peaks and notes where the sample starts. Call just before timing. */
    Start start() {
        System.gc();
        long used = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            pool.resetPeakUsage();
            used += pool.getUsage().getUsed();
        }
        return new Start(used, threads.getCurrentThreadAllocatedBytes());
    }

    /** Reads the peaks and the allocation since {@code start}. Call just after timing. */
    Reading stop(Start start) {
        long allocated = threads.getCurrentThreadAllocatedBytes() - start.allocatedBytes();
        long peak = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            peak += pool.getPeakUsage().getUsed();
        }
        return new Reading(Math.max(0, peak - start.usedBytes()), allocated);
    }

    /** @return the heap pools' names, for the report's header */
    String poolNames() {
        return String.join(
                ", ", heapPools.stream().map(MemoryPoolMXBean::getName).toList());
    }
}
