package io.kohakuvault.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Starts one part of the benchmark, unless {@code -Dbench.only} leaves it out: the {@code bench}
 * profile forks one JVM per part ({@code kv}, then {@code columns}, then {@code shapes}), each
 * through this class.
 *
 * <p>{@code bench.only} is a comma-separated list: {@code all} (the default) runs every part;
 * {@code kv} the key-value benchmark ({@link KvBenchmark}); {@code columns} the column benchmark
 * ({@link ColumnBenchmark}); {@code shapes} every row of the shapes benchmark
 * ({@link ShapesBenchmark}), {@code shapes-kv} or {@code shapes-columns} its half, or any of its
 * groups by id ({@link ShapesBenchmark#GROUPS}, e.g. {@code kv-get,col-random}); {@code postgres}
 * the key-value and column shapes on a PostgreSQL server ({@link PostgresBenchmark}). For example
 * {@code ./mvnw -q -Pbench verify -Dbench.only=kv,shapes-kv}.
 */
public final class BenchMain {
    private static final Set<String> PARTS = Set.of("kv", "columns", "shapes", "typed", "postgres");

    private BenchMain() {}

    /** @return the tokens of {@code bench.only}, validated; {@code all} when it is empty */
    static Set<String> tokens() {
        String only = System.getProperty("bench.only", "all").trim();
        Set<String> tokens = new LinkedHashSet<>();
        for (String t : only.split(",")) {
            if (!t.isBlank()) {
                tokens.add(t.trim());
            }
        }
        if (tokens.isEmpty()) {
            tokens.add("all");
        }
        Set<String> valid = new LinkedHashSet<>(
                Arrays.asList("all", "kv", "columns", "shapes", "shapes-kv", "shapes-columns", "typed", "postgres"));
        valid.addAll(ShapesBenchmark.GROUPS);
        for (String t : tokens) {
            if (!valid.contains(t)) {
                throw new IllegalArgumentException(
                        "bench.only: unknown " + t + "; give a comma-separated list of " + String.join(", ", valid));
            }
        }
        return tokens;
    }

    /**
     * @param args the part this JVM is for: {@code kv}, {@code columns}, {@code shapes}, {@code typed}
     *     or {@code postgres}
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !PARTS.contains(args[0])) {
            throw new IllegalArgumentException("usage: BenchMain kv|columns|shapes|typed|postgres");
        }
        String part = args[0];
        Set<String> tokens = tokens();
        boolean run = tokens.contains("all")
                || tokens.contains(part)
                || (part.equals("shapes") && !ShapesBenchmark.selected(tokens).isEmpty());
        if (!run) {
            System.err.println("bench.only=" + String.join(",", tokens) + ": the " + part + " benchmark is skipped");
            return;
        }
        switch (part) {
            case "kv" -> KvBenchmark.main(new String[0]);
            case "columns" -> ColumnBenchmark.main(new String[0]);
            case "typed" -> TypedBenchmark.main(new String[0]);
            case "postgres" -> PostgresBenchmark.main(new String[0]);
            default -> ShapesBenchmark.main(new String[0]);
        }
    }
}
