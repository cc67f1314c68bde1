package io.kohakuvault.bench;

import io.kohakuvault.ChunkSizes;
import io.kohakuvault.VaultBuilder;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The column benchmark: KohakuVault's {@code ColumnVault} against raw sqlite-jdbc with the same
 * PRAGMAs writing and reading the same bytes, in one JVM, in interleaved rounds (the key-value
 * benchmark's {@link Harness}). Five workloads: {@code LongColumn.extend} of 20M longs in batches,
 * a sequential read of them ({@code getLongs} blocks, {@code longStream}), random {@code getLong}
 * cold and warm, random 100-long {@code getLongs} slices, and {@code BytesColumn.append} of
 * 100-byte elements through the write-back cache; then the chunk-size study ({@link ChunkStudy}).
 * Prints one table of medians and ratios (vault / raw), and the study's table.
 *
 * <p>Run it with {@code ./mvnw -q -Pbench verify} (after the key-value benchmark), or alone with
 * {@code ./mvnw -q -Pbench verify -Dbench.only=columns}; see docs/BENCHMARKS.md. Progress goes to
 * stderr, the report to stdout.
 */
public final class ColumnBenchmark {
    /** Keeps the JUL logger configured (a logger only weakly referenced may be collected). */
    private static final Logger ROOT_LOGGER = Logger.getLogger("");

    private ColumnBenchmark() {}

    public static void main(String[] args) throws Exception {
        ROOT_LOGGER.setLevel(Level.WARNING); // Flyway logs every migration of a fresh file at INFO
        ColumnConfig cfg = ColumnConfig.fromSystemProperties();
        PrintStream out = System.out;
        PrintStream log = System.err;
        long started = System.nanoTime();

        try (TempFiles tmp = new TempFiles(cfg.dir())) {
            Harness harness = new Harness(log);
            ColumnData data = new ColumnData(cfg.longs(), cfg.batch(), 42);
            long cacheBytes = (long) cfg.readCacheMiB() << 20;
            ColumnTable table = new ColumnTable("vs raw");
            String ratio = ">= 0.90x";

            // 1. extend(long...) in batches, each its own transaction, into a fresh file.
            Case rawExtend = RawColumns.extend(tmp, data);
            Case vaultExtend = ColumnCases.extend(tmp, data);
            run(
                    harness,
                    cfg,
                    log,
                    table,
                    new Workload(
                            "1. extend " + millions(cfg.longs()) + " longs, batches of " + millions(cfg.batch()),
                            List.of(rawExtend, vaultExtend),
                            rawExtend,
                            null,
                            List.of(new Workload.Target(vaultExtend, 0.9, ratio))),
                    "long",
                    Long.BYTES,
                    List.of());

            // The file every read workload reads, on each side.
            log.println("filling the read workloads' files (" + millions(cfg.longs()) + " longs each)");
            Path fixture = tmp.newDir("read");
            Path vaultFile = ColumnCases.fill(fixture, data);
            Path rawFile = RawColumns.fill(fixture, data);

            // 2. Sequential read of the whole column.
            Case rawScan = RawColumns.sequentialRead(rawFile, data, cfg.block());
            Case vaultBlocks = ColumnCases.sequentialRead(vaultFile, data, cfg.block());
            Case vaultStream = ColumnCases.streamRead(vaultFile, data);
            run(
                    harness,
                    cfg,
                    log,
                    table,
                    new Workload(
                            "2. sequential read",
                            List.of(rawScan, vaultBlocks, vaultStream),
                            rawScan,
                            null,
                            List.of(
                                    new Workload.Target(vaultBlocks, 0.9, ratio),
                                    new Workload.Target(vaultStream, 0.9, ratio))),
                    "long",
                    Long.BYTES,
                    List.of());

            // 3. Random getLong: cold (fresh vault per sample) and warm (cache holds the column).
            // The rows where most gets run a SQL query do fewer of them (a prefix of the same positions).
            int slowGets = Math.min(cfg.slowGets(), cfg.gets());
            Case rawGet = RawColumns.randomGets(rawFile, data, cfg.gets(), slowGets);
            Case cold = ColumnCases.coldGets(
                    vaultFile,
                    data,
                    cfg.gets(),
                    cfg.gets(),
                    cacheBytes,
                    "KohakuVault getLong, cold, readCacheBytes " + cfg.readCacheMiB() + " MiB");
            Case coldDefault = ColumnCases.coldGets(
                    vaultFile,
                    data,
                    cfg.gets(),
                    slowGets,
                    VaultBuilder.DEFAULT_READ_CACHE_BYTES,
                    "KohakuVault getLong, cold, readCacheBytes " + (VaultBuilder.DEFAULT_READ_CACHE_BYTES >> 20)
                            + " MiB (default)");
            Case warm = ColumnCases.warmGets(vaultFile, data, cfg.gets(), cacheBytes, cfg.block());
            Case memory = RawColumns.memoryGets(data, cfg.gets());
            run(
                    harness,
                    cfg,
                    log,
                    table,
                    new Workload(
                            "3. random getLong",
                            List.of(rawGet, cold, coldDefault, warm, memory),
                            rawGet,
                            null,
                            List.of()),
                    "get",
                    0,
                    List.of(new ColumnTable.Speed(warm, 5e6, ">= 5M gets/s")));

            // 4. Random slices of 100 longs on cached chunks.
            Case rawSlice = RawColumns.slices(
                    rawFile, data, cfg.slices(), Math.min(cfg.slowGets(), cfg.slices()), cfg.sliceLength());
            Case slice = ColumnCases.slices(vaultFile, data, cfg.slices(), cfg.sliceLength(), cacheBytes, cfg.block());
            run(
                    harness,
                    cfg,
                    log,
                    table,
                    new Workload(
                            "4. random getLongs(i, i + " + cfg.sliceLength() + ")",
                            List.of(rawSlice, slice),
                            rawSlice,
                            null,
                            List.of()),
                    "slice",
                    0,
                    List.of(new ColumnTable.Speed(slice, 1e6, ">= 1M slices/s")));
            TempFiles.delete(fixture);

            // 5. BytesColumn appends of 100-byte elements through the write-back cache.
            Case rawAppend = RawColumns.appendElements(tmp, data, cfg.appends());
            Case vaultAppend = ColumnCases.appendElements(tmp, data, cfg.appends());
            run(
                    harness,
                    cfg,
                    log,
                    table,
                    new Workload(
                            "5. BytesColumn append " + millions(cfg.appends()) + " x " + ColumnConfig.ELEMENT_SIZE
                                    + " B",
                            List.of(rawAppend, vaultAppend),
                            rawAppend,
                            null,
                            List.of(new Workload.Target(vaultAppend, 0.9, ratio))),
                    "element",
                    ColumnConfig.ELEMENT_SIZE,
                    List.of());

            ColumnTable study = null;
            double studySeconds = 0;
            if (cfg.study()) {
                long t = System.nanoTime();
                log.println("chunk-size study: filling " + ChunkStudy.MAX_BYTES.length + " files ("
                        + millions(cfg.studyLongs()) + " longs each)");
                ColumnData studyData = new ColumnData(cfg.studyLongs(), cfg.batch(), 43);
                study = new ColumnTable("vs default");
                for (ChunkStudy.Part part : ChunkStudy.workloads(cfg, tmp, studyData)) {
                    Workload w = part.workload();
                    log.printf(
                            "%s (%d cases, %d warm-up + %d timed rounds)%n",
                            w.title(), w.cases().size(), cfg.warmup(), cfg.studyRounds());
                    study.add(
                            w,
                            harness.run(w, cfg.warmup(), cfg.studyRounds()),
                            part.op(),
                            part.bytesPerOp(),
                            List.of());
                }
                studySeconds = (System.nanoTime() - t) / 1e9;
            }

            double seconds = (System.nanoTime() - started) / 1e9;
            log.println("(checksum " + Case.sink + ")");
            log.flush();
            out.println();
            out.println(header(cfg, harness, seconds));
            out.println();
            out.print(table.render());
            if (study != null) {
                out.println();
                out.printf(
                        "Chunk-size study (chunks from %d KiB up to the max; %s; took %d s):%n%n",
                        ChunkStudy.MIN_BYTES >> 10,
                        "ratios vs the default " + (ChunkSizes.DEFAULT.maxBytes() >> 10) + " KiB in the same round",
                        Math.round(studySeconds));
                out.print(study.render());
            }
            out.flush();
        }
    }

    private static void run(
            Harness harness,
            ColumnConfig cfg,
            PrintStream log,
            ColumnTable table,
            Workload w,
            String op,
            double bytesPerOp,
            List<ColumnTable.Speed> speeds)
            throws Exception {
        log.printf(
                "%s (%d cases, %d warm-up + %d timed rounds)%n",
                w.title(), w.cases().size(), cfg.warmup(), cfg.rounds());
        table.add(w, harness.run(w, cfg.warmup(), cfg.rounds()), op, bytesPerOp, speeds);
    }

    private static String millions(int n) {
        return n % 1_000_000 == 0 ? n / 1_000_000 + "M" : n % 1000 == 0 ? n / 1000 + "k" : String.valueOf(n);
    }

    private static String header(ColumnConfig cfg, Harness harness, double seconds) throws Exception {
        Runtime rt = Runtime.getRuntime();
        List<String> gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList();
        return String.join(
                "\n",
                "KohakuVault column benchmark, " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
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
                "vault: every option at its default (chunks from " + (ChunkSizes.DEFAULT.minBytes() >> 10) + " to "
                        + (ChunkSizes.DEFAULT.maxBytes() >> 10)
                        + " KiB) unless the row says otherwise; raw: chunk rows of "
                        + (RawColumns.ROW_LONGS * Long.BYTES >> 10) + " KiB; " + cfg + "; run took "
                        + Math.round(seconds)
                        + " s",
                "ops/s, us/op: median of the timed rounds (op: the unit counted). spread: +- half of (max - min) / median.",
                "vs raw: median over rounds of (ops/s / the workload's first row's ops/s in the same round).",
                "heap peak: max over rounds of the peak heap used above the live set at the sample's start ("
                        + harness.heapMeter().poolNames() + "); alloc: bytes allocated per op.");
    }
}
