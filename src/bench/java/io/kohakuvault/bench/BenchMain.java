package io.kohakuvault.bench;

import java.util.Set;

/**
 * Starts one part of the benchmark, unless {@code -Dbench.only} leaves it out: the {@code bench}
 * profile forks one JVM per part ({@code kv}, then {@code columns}), each through this class, so
 * {@code ./mvnw -q -Pbench verify -Dbench.only=columns} runs the column benchmark alone (and
 * {@code -Dbench.only=kv} the key-value one). The default, {@code all}, runs both.
 */
public final class BenchMain {
    private static final Set<String> PARTS = Set.of("kv", "columns");

    private BenchMain() {}

    /** @param args the part this JVM is for: {@code kv} or {@code columns} */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !PARTS.contains(args[0])) {
            throw new IllegalArgumentException("usage: BenchMain kv|columns");
        }
        String part = args[0];
        String only = System.getProperty("bench.only", "all").trim();
        if (!only.isEmpty() && !only.equals("all") && !PARTS.contains(only)) {
            throw new IllegalArgumentException("bench.only must be all, kv or columns, but was " + only);
        }
        if (!only.isEmpty() && !only.equals("all") && !only.equals(part)) {
            System.err.println("bench.only=" + only + ": the " + part + " benchmark is skipped");
            return;
        }
        if (part.equals("kv")) {
            KvBenchmark.main(new String[0]);
        } else {
            ColumnBenchmark.main(new String[0]);
        }
    }
}
