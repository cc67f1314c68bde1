package io.kohakuvault.bench;

import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The key-value benchmark: KohakuVault's {@code KVault} against raw sqlite-jdbc with the same
 * PRAGMAs, with H2 MVStore and LMDB as peers, in one JVM, in interleaved rounds. Prints one table
 * of medians and ratios (vault / raw). Run it with {@code ./mvnw -q -Pbench verify}; see
 * docs/BENCHMARKS.md. Progress goes to stderr, the report to stdout.
 */
public final class KvBenchmark {
    /** Keys stored in the file that the open workload reopens. */
    private static final int OPEN_FILE_KEYS = 1000;
    /** Keeps the JUL logger configured (a logger only weakly referenced may be collected). */
    private static final Logger ROOT_LOGGER = Logger.getLogger("");

    private KvBenchmark() {}

    public static void main(String[] args) throws Exception {
        ROOT_LOGGER.setLevel(Level.WARNING); // Flyway logs every migration of a fresh file at INFO
        BenchConfig config = BenchConfig.fromSystemProperties();
        PrintStream out = System.out;
        PrintStream log = System.err;
        long started = System.nanoTime();

        try (TempFiles tmp = new TempFiles(config.dir())) {
            Harness harness = new Harness(log);
            BenchData data = new BenchData(Math.max(config.keys(), Math.max(config.puts(), config.commits())), 42);

            boolean h2 = config.peers() && works("H2 MVStore", () -> H2Peer.probe(tmp), log);
            boolean lmdb = config.peers() && works("LMDB", () -> LmdbPeer.probe(tmp), log);

            List<Workload> workloads = workloads(config, tmp, data, h2, lmdb);
            TablePrinter table = new TablePrinter();
            for (Workload w : workloads) {
                log.printf(
                        "%s (%d cases, %d warm-up + %d timed rounds)%n",
                        w.title(), w.cases().size(), config.warmup(), config.rounds());
                table.add(w, harness.run(w, config.warmup(), config.rounds()));
            }

            double seconds = (System.nanoTime() - started) / 1e9;
            log.println("(checksum " + Case.sink + ")");
            log.flush();
            out.println();
            out.println(header(config, harness, h2, lmdb, seconds));
            out.println();
            out.print(table.render());
            out.flush();
        }
    }

    private static List<Workload> workloads(BenchConfig cfg, TempFiles tmp, BenchData data, boolean h2, boolean lmdb) {
        List<Workload> all = new ArrayList<>();
        String speed = ">= 0.90x";

        // 1. Random point gets of 100-byte values.
        Case rawGet = RawSqlite.gets(tmp, data, cfg.keys(), false);
        Case rawGetWr = RawSqlite.gets(tmp, data, cfg.keys(), true);
        Case vaultGet = VaultCases.gets(tmp, data, cfg.keys());
        List<Case> gets = new ArrayList<>(List.of(rawGet, rawGetWr, vaultGet));
        if (h2) {
            gets.add(H2Peer.gets(tmp, data, cfg.keys()));
        }
        if (lmdb) {
            gets.add(LmdbPeer.gets(tmp, data, cfg.keys()));
        }
        all.add(new Workload(
                "1. random get", gets, rawGet, rawGetWr, List.of(new Workload.Target(vaultGet, 0.9, speed))));

        // 2 and 3. Bulk puts: through the write-back cache, and in one transaction, against one baseline.
        Case rawBulk = RawSqlite.bulkPuts(tmp, data, cfg.puts(), false, true);
        Case rawBulkWr = RawSqlite.bulkPuts(tmp, data, cfg.puts(), true, true);
        Case rawPerRow = RawSqlite.bulkPuts(tmp, data, cfg.puts(), false, false);
        Case vaultCached = VaultCases.cachedPuts(tmp, data, cfg.puts());
        Case vaultTx = VaultCases.transactionPuts(tmp, data, cfg.puts());
        List<Case> bulk = new ArrayList<>(List.of(rawBulk, rawBulkWr, rawPerRow, vaultCached, vaultTx));
        if (h2) {
            bulk.add(H2Peer.puts(tmp, data, cfg.puts(), false));
        }
        if (lmdb) {
            bulk.add(LmdbPeer.puts(tmp, data, cfg.puts(), false));
        }
        all.add(new Workload(
                "2-3. bulk put",
                bulk,
                rawBulk,
                rawBulkWr,
                List.of(new Workload.Target(vaultCached, 0.9, speed), new Workload.Target(vaultTx, 0.9, speed))));

        // 4. One commit per put.
        Case rawAuto = RawSqlite.autocommitPuts(tmp, data, cfg.commits(), false);
        Case rawAutoWr = RawSqlite.autocommitPuts(tmp, data, cfg.commits(), true);
        Case vaultAuto = VaultCases.autocommitPuts(tmp, data, cfg.commits());
        List<Case> auto = new ArrayList<>(List.of(rawAuto, rawAutoWr, vaultAuto));
        if (h2) {
            auto.add(H2Peer.puts(tmp, data, cfg.commits(), true));
        }
        if (lmdb) {
            auto.add(LmdbPeer.puts(tmp, data, cfg.commits(), true));
        }
        all.add(new Workload(
                "4. autocommit put", auto, rawAuto, rawAutoWr, List.of(new Workload.Target(vaultAuto, 0.9, speed))));

        // 5. Open an existing file, read one key, close.
        int stored = Math.min(OPEN_FILE_KEYS, data.keys.length);
        Case rawOpen = RawSqlite.reopen(tmp, data, stored, cfg.opens());
        Case vaultOpen = VaultCases.reopen(tmp, data, stored, cfg.opens());
        List<Case> opens = new ArrayList<>(List.of(rawOpen, vaultOpen));
        if (h2) {
            opens.add(H2Peer.reopen(tmp, data, stored, cfg.opens()));
        }
        if (lmdb) {
            opens.add(LmdbPeer.reopen(tmp, data, stored, cfg.opens()));
        }
        all.add(new Workload(
                "5. open + get + close",
                opens,
                rawOpen,
                null,
                List.of(new Workload.Target(vaultOpen, 0.5, "<= 2x raw time (>= 0.50x)"))));
        return all;
    }

    /** Work that may fail where a peer's library does not run. */
    private interface Probe {
        void run() throws Exception;
    }

    private static boolean works(String peer, Probe probe, PrintStream log) {
        try {
            probe.run();
            return true;
        } catch (Throwable e) {
            log.println(peer + " does not work here, its rows are skipped: " + e);
            return false;
        }
    }

    private static String header(BenchConfig config, Harness harness, boolean h2, boolean lmdb, double seconds)
            throws Exception {
        Runtime rt = Runtime.getRuntime();
        List<String> gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList();
        return String.join(
                "\n",
                "KohakuVault key-value benchmark, "
                        + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                        + ", " + rt.availableProcessors() + " CPUs, heap " + (rt.maxMemory() >> 20) + " MiB"
                        + ", GC " + String.join(" + ", gcs) + ", JVM args "
                        + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                                .filter(a -> a.startsWith("-X"))
                                .toList(),
                "SQLite " + RawSqlite.sqliteVersion() + " via sqlite-jdbc; raw side: "
                        + String.join(
                                ", ",
                                Arrays.stream(Pragmas.ALL)
                                        .map(p -> p.substring("PRAGMA ".length()))
                                        .toList()),
                "peers: H2 MVStore " + (h2 ? "on" : "off") + ", LMDB " + (lmdb ? "on" : "off") + "; " + config
                        + "; run took " + Math.round(seconds) + " s",
                "ops/s, us/op: median of the timed rounds. spread: +- half of (max - min) / median.",
                "vs raw: median over rounds of (ops/s / raw sqlite-jdbc's ops/s in the same round), natural schema;"
                        + " vs raw WR: the same against its WITHOUT ROWID table.",
                "heap peak: max over rounds of the peak heap used above the live set at the sample's start ("
                        + harness.heapMeter().poolNames() + "); alloc: bytes allocated per op.");
    }
}
