package io.kohakuvault.bench;

import java.util.Arrays;
import java.util.List;

/**
 * What the table shows of one case's timed samples: the median speed and the spread around it,
 * the largest heap peak and the median allocation per operation.
 */
record Stats(
        int samples,
        double medianOpsPerSecond,
        double minOpsPerSecond,
        double maxOpsPerSecond,
        long maxPeakHeapBytes,
        double medianAllocatedPerOp) {

    static Stats of(List<Sample> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        double[] speed =
                samples.stream().mapToDouble(Sample::opsPerSecond).sorted().toArray();
        double[] alloc =
                samples.stream().mapToDouble(Sample::allocatedPerOp).sorted().toArray();
        long peak = samples.stream().mapToLong(Sample::peakHeapBytes).max().orElse(0);
        return new Stats(samples.size(), median(speed), speed[0], speed[speed.length - 1], peak, median(alloc));
    }

    /**
     * The median over rounds of {@code a}'s speed divided by {@code b}'s in the same round: pairs
     * run close together in time, so a machine that slows down between rounds moves both.
     *
     * @param a one case's samples, one per timed round
     * @param b the baseline's samples, in the same rounds
     * @return the median paired ratio
     */
    static double pairedRatio(List<Sample> a, List<Sample> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            throw new IllegalArgumentException("need one sample per round on both sides");
        }
        double[] ratios = new double[a.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = a.get(i).opsPerSecond() / b.get(i).opsPerSecond();
        }
        return median(ratios);
    }

    /** @return the median of the values (the mean of the middle two for an even count) */
    static double median(double[] sorted) {
        double[] s = sorted.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** @return microseconds per operation at the median speed */
    double microsPerOp() {
        return 1e6 / medianOpsPerSecond;
    }

    /** @return (max - min) / median, in percent: how much the rounds disagreed */
    double spreadPercent() {
        return 100 * (maxOpsPerSecond - minOpsPerSecond) / medianOpsPerSecond;
    }
}
