package io.kohakuvault.bench;

import io.kohakuvault.ChunkSizes;
import io.kohakuvault.Codec;
import io.kohakuvault.ColumnType;
import io.kohakuvault.KVault;
import io.kohakuvault.Metric;
import io.kohakuvault.Neighbor;
import io.kohakuvault.TypedKVault;
import io.kohakuvault.Vault;
import io.kohakuvault.VectorColumn;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The typed layer's benchmark (docs/BENCHMARKS.md, "Typed values and vectors"):
 * {@code ./mvnw -q -Pbench verify -Dbench.only=typed}, in a JVM of its own with a fixed,
 * pre-touched heap (the {@code typed-benchmark} execution of the {@code bench} profile).
 *
 * <ul>
 *   <li>{@code TypedKVault} put and get of a small record through {@code Codec.json}, against
 *       {@code KVault} with the same bytes encoded by the caller (and with bytes encoded beforehand,
 *       the codec's own cost left out), write-back cache on.
 *   <li>{@code VectorColumn.nearest} (COSINE, k = 10) over {@code bench.vectors} vectors of
 *       {@code bench.dimensions} floats, with the chunks in the read cache and with a read cache of
 *       0 (every chunk from the file), against a plain single-threaded Java loop over the same
 *       vectors in one {@code float[]}.
 * </ul>
 *
 * Each row: the median of {@code bench.typedRounds} timed rounds after one warm-up, and the heap
 * peak above the live set at the round's start (all heap pools' peaks summed: an upper bound).
 */
public final class TypedBenchmark {
    private static final int KEYS = Integer.getInteger("bench.typedKeys", 100_000);
    private static final int VECTORS = Integer.getInteger("bench.vectors", 200_000);
    private static final int DIMS = Integer.getInteger("bench.dimensions", 384);
    private static final int ROUNDS = Integer.getInteger("bench.typedRounds", 5);
    private static final List<String> rows = new ArrayList<>();

    /** A small record, as users store settings. */
    record Settings(String user, String theme, int fontSize, boolean beta, List<String> tags) {}

    private TypedBenchmark() {}

    /** Runs every row; {@link BenchMain} decides whether this part runs at all. */
    public static void main(String[] args) throws Exception {
        Path root = Files.createDirectories(Path.of(System.getProperty("bench.dir", "target/bench-tmp")))
                .resolve("typed-" + System.nanoTime());
        Files.createDirectories(root);
        try {
            System.out.printf(
                    Locale.ROOT,
                    "%nTyped values and vectors (%d cores, heap %d MiB)%n",
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);
            rows.add(String.format(
                    Locale.ROOT, "| %-64s | %20s | %9s | %14s |", "workload", "rate", "vs base", "heap peak"));
            rows.add(
                    "|" + "-".repeat(66) + "|" + "-".repeat(21) + ":|" + "-".repeat(10) + ":|" + "-".repeat(15) + ":|");
            typedStore(root);
            vectors(root);
            rows.forEach(System.out::println);
        } finally {
            delete(root);
        }
    }

    // ---- TypedKVault ------------------------------------------------------------------------

    private static void typedStore(Path root) {
        Codec<Settings> codec = Codec.json(Settings.class);
        Settings[] values = new Settings[KEYS];
        String[] keys = new String[KEYS];
        byte[][] encoded = new byte[KEYS][];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = String.format(Locale.ROOT, "user:%08d", i);
            values[i] =
                    new Settings("user" + i, i % 2 == 0 ? "dark" : "light", 10 + i % 8, i % 3 == 0, List.of("a", "b"));
            encoded[i] = codec.encode(values[i]);
        }
        System.out.printf(Locale.ROOT, "record as JSON: %d bytes%n", encoded[0].length);
        try (Vault vault = Vault.open(root.resolve("kv.db")).withCache(64L << 20, 16L << 20)) {
            TypedKVault<Settings> typed = vault.kv("typed", codec);
            KVault raw = vault.kv("raw");
            KVault pre = vault.kv("pre");
            Measured base = measure(() -> {
                for (int i = 0; i < KEYS; i++) {
                    raw.put(keys[i], codec.encode(values[i]));
                }
                raw.flushCache();
                return KEYS;
            });
            Measured t = measure(() -> {
                for (int i = 0; i < KEYS; i++) {
                    typed.put(keys[i], values[i]);
                }
                typed.raw().flushCache();
                return KEYS;
            });
            Measured p = measure(() -> {
                for (int i = 0; i < KEYS; i++) {
                    pre.put(keys[i], encoded[i]);
                }
                pre.flushCache();
                return KEYS;
            });
            row("KVault.put, caller encodes with Codec.json (base)", base, base, "puts/s");
            row("TypedKVault.put, Codec.json", t, base, "puts/s");
            row("KVault.put of bytes encoded beforehand", p, base, "puts/s");
            Random random = new Random(1);
            int[] order = random.ints(KEYS, 0, KEYS).toArray();
            Measured baseGet = measure(() -> {
                long sum = 0;
                for (int i : order) {
                    sum += codec.decode(raw.get(keys[i])).fontSize();
                }
                return check(sum, KEYS);
            });
            Measured typedGet = measure(() -> {
                long sum = 0;
                for (int i : order) {
                    sum += typed.get(keys[i]).fontSize();
                }
                return check(sum, KEYS);
            });
            Measured preGet = measure(() -> {
                long sum = 0;
                for (int i : order) {
                    sum += pre.get(keys[i]).length;
                }
                return check(sum, KEYS);
            });
            row("KVault.get, caller decodes with Codec.json (base)", baseGet, baseGet, "gets/s");
            row("TypedKVault.get, Codec.json", typedGet, baseGet, "gets/s");
            row("KVault.get, bytes not decoded", preGet, baseGet, "gets/s");
        }
    }

    // ---- nearest ----------------------------------------------------------------------------

    private static void vectors(Path root) {
        Path file = root.resolve("vectors.db");
        float[] flat = new float[Math.multiplyExact(VECTORS, DIMS)];
        Random random = new Random(2);
        for (int i = 0; i < flat.length; i++) {
            flat[i] = random.nextFloat() * 2 - 1;
        }
        float[] query = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            query[i] = random.nextFloat() * 2 - 1;
        }
        long built = System.nanoTime();
        try (Vault vault = Vault.open(file)) {
            VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
            int batch = 1000;
            for (int from = 0; from < VECTORS; from += batch) {
                List<float[]> block = new ArrayList<>(batch);
                for (int i = from; i < Math.min(VECTORS, from + batch); i++) {
                    block.add(Arrays.copyOfRange(flat, i * DIMS, (i + 1) * DIMS));
                }
                emb.extend(block);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%d vectors of %d floats (%d MiB) written in %.1f s, chunks of %d KiB%n",
                VECTORS,
                DIMS,
                (long) VECTORS * DIMS * 4 >> 20,
                (System.nanoTime() - built) / 1e9,
                ChunkSizes.DEFAULT.maxBytes() >> 10);

        long[] expected = loopNearest(flat, query, 10);
        Measured loop = measure(() -> {
            loopNearest(flat, query, 10);
            return VECTORS;
        });
        row("plain loop over a float[] in memory, 1 thread (base)", loop, loop, "vectors/s");

        long cacheBytes = (long) VECTORS * DIMS * 4 * 3 / 2;
        try (Vault vault = Vault.builder(file).readCacheBytes(cacheBytes).open()) {
            VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
            emb.nearest(query, 10, Metric.COSINE); // marks the chunks seen
            emb.nearest(query, 10, Metric.COSINE); // the second scan keeps them
            Measured cached = measure(() -> {
                checkHits(emb.nearest(query, 10, Metric.COSINE), expected);
                return VECTORS;
            });
            row("nearest COSINE k=10, chunks in the read cache", cached, loop, "vectors/s");
        }
        try (Vault vault = Vault.builder(file).readCacheBytes(0).open()) {
            VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
            Measured cold = measure(() -> {
                checkHits(emb.nearest(query, 10, Metric.COSINE), expected);
                return VECTORS;
            });
            row("nearest COSINE k=10, read cache 0 (every chunk from SQLite)", cold, loop, "vectors/s");
        }
        try (Vault vault = Vault.builder(file).readCacheBytes(64L << 20).open()) {
            VectorColumn emb = vault.column("emb", ColumnType.vector(DIMS));
            Measured small = measure(() -> {
                checkHits(emb.nearest(query, 10, Metric.COSINE), expected);
                return VECTORS;
            });
            row("nearest COSINE k=10, default 64 MiB read cache (column larger)", small, loop, "vectors/s");
        }
    }

    /** The baseline: a plain loop, one thread, over every vector; cosine distance, top k by sort of a small buffer. */
    private static long[] loopNearest(float[] flat, float[] query, int k) {
        float qn = 0;
        for (float x : query) {
            qn += x * x;
        }
        qn = (float) Math.sqrt(qn);
        float[] best = new float[k];
        long[] bestIndex = new long[k];
        Arrays.fill(best, Float.POSITIVE_INFINITY);
        for (int v = 0; v < VECTORS; v++) {
            int at = v * DIMS;
            float dot = 0;
            float norm = 0;
            for (int i = 0; i < DIMS; i++) {
                float a = flat[at + i];
                dot += a * query[i];
                norm += a * a;
            }
            float d = 1f - dot / ((float) Math.sqrt(norm) * qn);
            if (d < best[k - 1]) {
                int j = k - 1;
                while (j > 0 && best[j - 1] > d) {
                    best[j] = best[j - 1];
                    bestIndex[j] = bestIndex[j - 1];
                    j--;
                }
                best[j] = d;
                bestIndex[j] = v;
            }
        }
        return bestIndex;
    }

    private static void checkHits(List<Neighbor> hits, long[] expected) {
        // Summation orders differ (four partial sums vs one): the sets must agree, the order nearly.
        long same = hits.stream()
                .filter(n -> Arrays.stream(expected).anyMatch(e -> e == n.index()))
                .count();
        if (same < expected.length - 1) {
            throw new IllegalStateException(
                    "nearest disagrees with the plain loop: " + hits + " vs " + Arrays.toString(expected));
        }
    }

    // ---- measuring --------------------------------------------------------------------------

    private record Measured(double perSecond, long heapPeakBytes) {}

    /** One warm-up, then {@link #ROUNDS} timed rounds: the median rate and the largest heap peak. */
    private static Measured measure(LongSupplier round) {
        round.getAsLong();
        double[] rates = new double[ROUNDS];
        long peak = 0;
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .toList();
        for (int r = 0; r < ROUNDS; r++) {
            System.gc();
            long used = 0;
            for (MemoryPoolMXBean pool : pools) {
                pool.resetPeakUsage();
                used += pool.getUsage().getUsed();
            }
            long start = System.nanoTime();
            long ops = round.getAsLong();
            long nanos = System.nanoTime() - start;
            long top = 0;
            for (MemoryPoolMXBean pool : pools) {
                top += pool.getPeakUsage().getUsed();
            }
            rates[r] = ops * 1e9 / nanos;
            peak = Math.max(peak, top - used);
        }
        Arrays.sort(rates);
        return new Measured(rates[ROUNDS / 2], peak);
    }

    private static long check(long sum, int n) {
        if (sum <= 0) {
            throw new IllegalStateException("nothing read");
        }
        return n;
    }

    private static void row(String name, Measured m, Measured base, String unit) {
        String rate = String.format(Locale.ROOT, "%,.0f %s", m.perSecond(), unit);
        rows.add(String.format(
                Locale.ROOT,
                "| %-64s | %20s | %8.2fx | %10.1f MiB |",
                name,
                rate,
                m.perSecond() / base.perSecond(),
                m.heapPeakBytes() / 1048576.0));
        System.out.printf(
                Locale.ROOT,
                "%s: %s (%.2fx), heap peak %.1f MiB%n",
                name,
                rate,
                m.perSecond() / base.perSecond(),
                m.heapPeakBytes() / 1048576.0);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
