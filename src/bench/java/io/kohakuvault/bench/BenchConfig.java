package io.kohakuvault.bench;

import java.nio.file.Path;

/**
 * The benchmark's sizes, read from system properties (the {@code bench} Maven profile passes
 * them; override on the Maven command line, e.g. {@code -Dbench.rounds=9}).
 *
 * @param keys keys stored for the random-get workload, and gets per timed sample
 * @param puts keys written per timed sample of the bulk-put workload
 * @param commits single-put commits per timed sample of the autocommit workload
 * @param opens open + get + close cycles per timed sample of the open workload
 * @param warmup untimed rounds run first
 * @param rounds timed rounds; the table reports their median
 * @param peers whether to run the H2 MVStore and LMDB rows
 * @param dir folder for the temporary files (a fresh sub-folder per run, deleted at the end)
 */
record BenchConfig(int keys, int puts, int commits, int opens, int warmup, int rounds, boolean peers, Path dir) {
    /** Size of every value, in bytes. */
    static final int VALUE_SIZE = 100;

    static BenchConfig fromSystemProperties() {
        return new BenchConfig(
                intProperty("bench.keys", 100_000),
                intProperty("bench.puts", 100_000),
                intProperty("bench.commits", 10_000),
                intProperty("bench.opens", 500),
                intProperty("bench.warmup", 2),
                intProperty("bench.rounds", 7),
                Boolean.parseBoolean(System.getProperty("bench.peers", "true")),
                Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))));
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int n = Integer.parseInt(value.trim().replace("_", ""));
        if (n < 0 || (n == 0 && !name.equals("bench.warmup"))) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return n;
    }

    @Override
    public String toString() {
        return "keys=" + keys + " puts=" + puts + " commits=" + commits + " opens=" + opens + " warmup=" + warmup
                + " rounds=" + rounds + " peers=" + peers + " valueSize=" + VALUE_SIZE;
    }
}
