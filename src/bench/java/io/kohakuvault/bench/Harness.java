package io.kohakuvault.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs workloads in interleaved rounds: each round runs every case of a workload once, starting
 * from a different case each round so that drift of a noisy machine spreads over all of them.
 * Warm-up rounds run the same work untimed. Only {@link Case#run()} is timed, between a garbage
 * collection and the heap reading.
 */
final class Harness {
    private final HeapMeter heap = new HeapMeter();
    private final PrintStream log;

    Harness(PrintStream log) {
        this.log = log;
    }

    HeapMeter heapMeter() {
        return heap;
    }

    /**
     * @return each case's samples of the timed rounds, keyed by the case, in the given order
     */
    Map<Case, List<Sample>> run(Workload workload, int warmup, int rounds) throws Exception {
        List<Case> cases = workload.cases();
        Map<Case, List<Sample>> samples = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        for (Case c : cases) {
            c.prepare();
            samples.put(c, new ArrayList<>());
        }
        try {
            int total = warmup + rounds;
            for (int round = 0; round < total; round++) {
                boolean timed = round >= warmup;
                for (int k = 0; k < cases.size(); k++) {
                    Case c = cases.get((k + round) % cases.size());
                    Sample s = measure(c, round);
                    if (timed) {
                        samples.get(c).add(s);
                    }
                }
                log.printf(
                        "  %s: %s round %d/%d done (%.0f s)%n",
                        workload.title(),
                        timed ? "timed" : "warm-up",
                        timed ? round - warmup + 1 : round + 1,
                        timed ? rounds : warmup,
                        (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            for (Case c : cases) {
                c.dispose();
            }
        }
        return samples;
    }

    private Sample measure(Case c, int round) throws Exception {
        c.setUp(round);
        long ops;
        long nanos;
        HeapMeter.Reading reading;
        try {
            HeapMeter.Start start = heap.start();
            long t = System.nanoTime();
            ops = c.run();
            nanos = System.nanoTime() - t;
            reading = heap.stop(start);
        } finally {
            c.tearDown();
        }
        return new Sample(nanos, ops, reading.peakAboveStartBytes(), reading.allocatedBytes());
    }
}
