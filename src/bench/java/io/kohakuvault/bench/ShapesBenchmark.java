package io.kohakuvault.bench;

import io.kohakuvault.VaultBuilder;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The shapes users call, as DESIGN.md's independent harness ran them ("Measured on 2026-12-03"):
 * the vault through its public API, raw sqlite-jdbc on the vault's own table layout with the same
 * PRAGMAs and reused statements (the ceiling), and LMDB, RocksDB and H2 MVStore, in one JVM, in
 * interleaved rounds ({@link Harness}). Prints one line per row (vault, raw, best peer, vault / raw,
 * vault / best peer, heap peak beside each rate) and writes a PNG chart of the two ratios.
 *
 * <p>Run it with {@code ./mvnw -q -Pbench verify} (after the key-value and column benchmarks), or
 * alone with {@code -Dbench.only=shapes}; a part with {@code shapes-kv}, {@code shapes-columns}
 * or group ids ({@link #GROUPS}), comma-separated. See docs/BENCHMARKS.md.
 */
public final class ShapesBenchmark {
    /** Every group of rows, in the order they run. */
    static final List<String> GROUPS = List.of(
            "kv-put",
            "kv-get",
            "kv-warm",
            "kv-getall",
            "kv-large",
            "kv-open",
            "col-append",
            "col-scan",
            "col-random",
            "col-warm");
    /** Keeps the JUL logger configured (a logger only weakly referenced may be collected). */
    private static final Logger ROOT_LOGGER = Logger.getLogger("");

    private ShapesBenchmark() {}

    /** The sizes; each a system property {@code bench.shape.NAME} (the {@code bench} profile passes them). */
    record Config(
            int keys,
            int commitEvery,
            int large,
            int batch,
            int opens,
            int longs,
            int gets,
            int slowGets,
            int peerGets,
            int warmCacheMiB,
            int warmup,
            int rounds,
            int columnRounds,
            int randomRounds,
            Path dir) {
        static Config fromSystemProperties() {
            return new Config(
                    intProperty("bench.shape.keys", 200_000),
                    intProperty("bench.shape.commitEvery", 10_000),
                    intProperty("bench.shape.large", 64),
                    intProperty("bench.shape.batch", 100),
                    intProperty("bench.shape.opens", 200),
                    intProperty("bench.shape.longs", 20_000_000),
                    intProperty("bench.shape.gets", 1_000_000),
                    intProperty("bench.shape.slowGets", 20_000),
                    intProperty("bench.shape.peerGets", 200_000),
                    intProperty("bench.shape.warmCacheMiB", 256),
                    intProperty("bench.shape.warmup", 1),
                    intProperty("bench.shape.rounds", 3),
                    intProperty("bench.shape.columnRounds", 3),
                    intProperty("bench.shape.randomRounds", 1),
                    Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir"))));
        }

        @Override
        public String toString() {
            return "keys=" + keys + " commitEvery=" + commitEvery + " large=" + large + "x1MiB batch=" + batch
                    + " opens=" + opens + " longs=" + longs + " gets=" + gets + " slowGets=" + slowGets + " peerGets="
                    + peerGets + " warmCache=" + warmCacheMiB + "MiB warmup=" + warmup + " rounds=" + rounds
                    + " columnRounds=" + columnRounds + " randomRounds=" + randomRounds;
        }
    }

    private static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int n = Integer.parseInt(value.trim().replace("_", ""));
        if (n < 0 || (n == 0 && !name.endsWith(".warmup"))) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return n;
    }

    /** @return the groups that {@code bench.only}'s tokens select */
    static Set<String> selected(Set<String> tokens) {
        Set<String> out = new LinkedHashSet<>();
        for (String g : GROUPS) {
            boolean kv = g.startsWith("kv-");
            if (tokens.contains("all")
                    || tokens.contains("shapes")
                    || tokens.contains(g)
                    || (kv && tokens.contains("shapes-kv"))
                    || (!kv && tokens.contains("shapes-columns"))) {
                out.add(g);
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        ROOT_LOGGER.setLevel(Level.WARNING); // Flyway logs every migration of a fresh file at INFO
        Config cfg = Config.fromSystemProperties();
        Set<String> groups = selected(BenchMain.tokens());
        PrintStream out = System.out;
        PrintStream log = System.err;
        long started = System.nanoTime();
        ShapeTable table = new ShapeTable();
        List<String> peerNames = new ArrayList<>();

        try (TempFiles tmp = new TempFiles(cfg.dir())) {
            Harness harness = new Harness(log);
            List<KvEngine<byte[]>> peers = KvEngine.peers(tmp, log);
            peers.forEach(p -> peerNames.add(p.name));
            if (groups.stream().anyMatch(g -> g.startsWith("kv-"))) {
                kv(cfg, groups, tmp, harness, table, peers, log);
            }
            if (groups.stream().anyMatch(g -> g.startsWith("col-"))) {
                columns(cfg, groups, tmp, harness, table, peerNames, log);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            log.println("(checksum " + Case.sink + ")");
            log.flush();
            out.println();
            out.println(header(cfg, harness, groups, peerNames, seconds));
            out.println();
            out.print(table.render());
            out.flush();
        }
        boolean everything = groups.size() == GROUPS.size();
        String chart = System.getProperty(everything ? "bench.chart" : "bench.chartSubset", "");
        if (!chart.isBlank() && !table.results().isEmpty()) {
            Path png = Path.of(chart.trim());
            table.chart(
                    png,
                    "KohakuVault vs raw sqlite-jdbc and the best peer, "
                            + ZonedDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE) + " (DESIGN.md's shapes)");
            out.println("\nChart: " + png.toAbsolutePath());
        }
    }

    private static void kv(
            Config cfg,
            Set<String> groups,
            TempFiles tmp,
            Harness harness,
            ShapeTable table,
            List<KvEngine<byte[]>> peerEngines,
            PrintStream log)
            throws Exception {
        ShapeData data = new ShapeData(cfg.keys(), cfg.large(), 42);
        int n = cfg.keys();
        ShapeKvCases.Side<byte[]> vaultBytes = new ShapeKvCases.Side<>(KvEngine.vaultBytes(), data.keys);
        ShapeKvCases.Side<String> vaultStrings = new ShapeKvCases.Side<>(KvEngine.vaultStrings(), data.stringKeys);
        ShapeKvCases.Side<byte[]> raw = new ShapeKvCases.Side<>(KvEngine.raw(), data.keys);
        List<ShapeKvCases.Side<byte[]>> peers = peerEngines.stream()
                .map(e -> new ShapeKvCases.Side<>(e, data.keys))
                .toList();
        String keys = fmt("%,d random 12-byte keys", n);
        String put = fmt("%s in random order, 100-byte values, a commit every %,d puts", keys, cfg.commitEvery());

        if (groups.contains("kv-put")) {
            Case vb = ShapeKvCases.puts(vaultBytes, tmp, data, n, cfg.commitEvery());
            Case vs = ShapeKvCases.puts(vaultStrings, tmp, data, n, cfg.commitEvery());
            Case r = ShapeKvCases.puts(raw, tmp, data, n, cfg.commitEvery());
            List<Case> p = peers.stream()
                    .map(s -> ShapeKvCases.puts(s, tmp, data, n, cfg.commitEvery()))
                    .toList();
            run(
                    harness,
                    cfg.warmup(),
                    cfg.rounds(),
                    log,
                    table,
                    "kv-put",
                    all(List.of(vb, vs, r), p),
                    new ShapeTable.Row(
                            "put, byte[] keys",
                            put + " (vault: cache on, commit = flushCache(); raw: batched"
                                    + " INSERT OR REPLACE, executeBatch + COMMIT per commit; LMDB: a write txn, RocksDB: a"
                                    + " WriteBatch, MVStore: commit()); a fresh store per sample",
                            "puts",
                            vb,
                            r,
                            p),
                    new ShapeTable.Row(
                            "put, String keys",
                            "the same with 12-character ASCII String keys (12 UTF-8"
                                    + " bytes) on the vault; the other sides as in the row above",
                            "puts",
                            vs,
                            r,
                            p));
        }

        boolean reads = groups.contains("kv-get")
                || groups.contains("kv-warm")
                || groups.contains("kv-getall")
                || groups.contains("kv-open");
        if (reads) {
            log.printf("filling the get shapes' stores (%,d keys each)%n", n);
            Path fixtures = tmp.newDir("kv-fixtures");
            Path fb = fixtures.resolve("vault-bytes");
            Path fs = fixtures.resolve("vault-strings");
            Path fr = fixtures.resolve("raw");
            java.nio.file.Files.createDirectories(fb);
            java.nio.file.Files.createDirectories(fs);
            java.nio.file.Files.createDirectories(fr);
            ShapeKvCases.fill(vaultBytes, fb, data, n, cfg.commitEvery());
            ShapeKvCases.fill(vaultStrings, fs, data, n, cfg.commitEvery());
            ShapeKvCases.fill(raw, fr, data, n, cfg.commitEvery());
            List<Path> fp = new ArrayList<>();
            for (ShapeKvCases.Side<byte[]> s : peers) {
                Path d = java.nio.file.Files.createDirectories(
                        fixtures.resolve(s.name().replace(' ', '-')));
                ShapeKvCases.fill(s, d, data, n, cfg.commitEvery());
                fp.add(d);
            }
            for (boolean cold : new boolean[] {true, false}) {
                String g = cold ? "kv-get" : "kv-warm";
                if (!groups.contains(g)) {
                    continue;
                }
                Case vb = ShapeKvCases.gets(vaultBytes, fb, data, n, cold);
                Case vs = ShapeKvCases.gets(vaultStrings, fs, data, n, cold);
                Case r = ShapeKvCases.gets(raw, fr, data, n, cold);
                List<Case> p = new ArrayList<>();
                for (int i = 0; i < peers.size(); i++) {
                    p.add(ShapeKvCases.gets(peers.get(i), fp.get(i), data, n, cold));
                }
                String how = cold
                        ? "cold: a fresh instance of every store per sample, opened untimed (the vault's"
                                + " Java-side caches, SQLite's page cache, RocksDB's block cache and MVStore's cache start"
                                + " empty; the OS page cache is warm for everyone)"
                        : "warm: one instance per side for every" + " sample, every key read once before the first";
                String what = fmt(
                        "get of every one of the %s (stored as the put row writes them, then checkpointed /"
                                + " compacted), in another random order each round; %s; raw: SELECT value, checksum on the"
                                + " vault's entry table, the CRC-32C checked",
                        keys, how);
                String t = cold ? "random get, cold" : "random get, warm";
                run(
                        harness,
                        cfg.warmup(),
                        cfg.rounds(),
                        log,
                        table,
                        g,
                        all(List.of(vb, vs, r), p),
                        new ShapeTable.Row(t + ", byte[] keys", what, "gets", vb, r, p),
                        new ShapeTable.Row(
                                t + ", String keys",
                                "the same on a vault filled with 12-character String"
                                        + " keys, got by String; the other sides as in the row above",
                                "gets",
                                vs,
                                r,
                                p));
            }
            if (groups.contains("kv-getall")) {
                int b = cfg.batch();
                for (boolean cold : new boolean[] {false, true}) {
                    Case va = ShapeKvCases.getAll(vaultStrings, fs, data, n, b, false, cold, "KohakuVault getAll");
                    Case v1 = ShapeKvCases.getAll(vaultStrings, fs, data, n, b, true, cold, "KohakuVault single gets");
                    Case r = ShapeKvCases.getAll(raw, fr, data, n, b, false, cold, "raw sqlite-jdbc");
                    List<Case> p = new ArrayList<>();
                    for (int i = 0; i < peers.size(); i++) {
                        p.add(ShapeKvCases.getAll(
                                peers.get(i),
                                fp.get(i),
                                data,
                                n,
                                b,
                                false,
                                cold,
                                peers.get(i).name()));
                    }
                    run(
                            harness,
                            cfg.warmup(),
                            cfg.rounds(),
                            log,
                            table,
                            "kv-getall",
                            all(List.of(va, v1, r), p),
                            new ShapeTable.Row(
                                    "getAll of " + b + " keys, " + (cold ? "cold" : "warm"),
                                    fmt(
                                            "every one of the %,d String keys once per"
                                                    + " sample, in the round's random order, %d at a time: the vault's getAll(List<String>)"
                                                    + (cold
                                                            ? " on a fresh vault per sample (nothing cached; every side reopened untimed)"
                                                            : " on one warm vault")
                                                    + "; raw: one SELECT key, value, checksum ... WHERE key IN (%d ?s);"
                                                    + " LMDB: %d gets in one read txn; RocksDB: multiGetAsList; MVStore: %d gets."
                                                    + " Counted in keys/s; the note compares the vault's %d single gets of the same keys, "
                                                    + (cold ? "cold" : "warm"),
                                            n,
                                            b,
                                            b,
                                            b,
                                            b,
                                            b),
                                    "keys",
                                    va,
                                    r,
                                    p,
                                    v1,
                                    "the vault's single gets"));
                }
            }
            if (groups.contains("kv-open")) {
                int stored = n;
                Case vo = ShapeKvCases.opens(vaultBytes, fb, stored, cfg.opens(), "KohakuVault");
                Case ro = ShapeKvCases.opens(raw, fr, stored, cfg.opens(), "raw sqlite-jdbc");
                List<Case> p = new ArrayList<>();
                for (int i = 0; i < peers.size(); i++) {
                    p.add(ShapeKvCases.opens(
                            peers.get(i),
                            fp.get(i),
                            stored,
                            cfg.opens(),
                            peers.get(i).name()));
                }
                run(
                        harness,
                        cfg.warmup(),
                        cfg.rounds(),
                        log,
                        table,
                        "kv-open",
                        all(List.of(vo, ro), p),
                        new ShapeTable.Row(
                                "open + get + close",
                                fmt(
                                        "Vault.open of the existing, current file of the"
                                                + " get rows (%,d keys) + kv().get(byte[]) + close, %d times per sample; raw:"
                                                + " DriverManager.getConnection + the PRAGMAs + prepare + SELECT + close; LMDB: open env"
                                                + " + dbi + get + close; RocksDB: RocksDB.open + get + close; MVStore: open + openMap +"
                                                + " get + close. A rate: the time ratio is its inverse",
                                        n, cfg.opens()),
                                "opens",
                                vo,
                                ro,
                                p));
            }
            TempFiles.delete(fixtures);
        }

        if (groups.contains("kv-large")) {
            String[] stringKeys = new String[cfg.large()];
            for (int i = 0; i < stringKeys.length; i++) {
                stringKeys[i] = data.largeStringKey(i);
            }
            ShapeKvCases.Side<String> vault = new ShapeKvCases.Side<>(KvEngine.vaultStrings(), stringKeys);
            ShapeKvCases.Side<byte[]> rawLarge = new ShapeKvCases.Side<>(KvEngine.raw(), data.largeKeys);
            List<ShapeKvCases.Side<byte[]>> peersLarge = peerEngines.stream()
                    .map(e -> new ShapeKvCases.Side<>(e, data.largeKeys))
                    .toList();
            Case vp = ShapeKvCases.largePuts(vault, tmp, data);
            Case rp = ShapeKvCases.largePuts(rawLarge, tmp, data);
            List<Case> pp = peersLarge.stream()
                    .map(s -> ShapeKvCases.largePuts(s, tmp, data))
                    .toList();
            String values = fmt("%d values of 1 MiB (random bytes)", cfg.large());
            run(
                    harness,
                    cfg.warmup(),
                    cfg.rounds(),
                    log,
                    table,
                    "kv-large put",
                    all(List.of(vp, rp), pp),
                    new ShapeTable.Row(
                            "put 1 MiB values",
                            values + ", each put its own commit (the vault's cache off;"
                                    + " raw: autocommit INSERT OR REPLACE of one 1 MiB row with its CRC-32C; LMDB: a txn per put;"
                                    + " RocksDB: put; MVStore: put + commit), a fresh store per sample",
                            "values",
                            vp,
                            rp,
                            pp));

            log.println("filling the 1 MiB get shapes' stores");
            Path fixtures = tmp.newDir("large-fixtures");
            Path fv = java.nio.file.Files.createDirectories(fixtures.resolve("vault"));
            Path fr = java.nio.file.Files.createDirectories(fixtures.resolve("raw"));
            ShapeKvCases.fillLarge(vault, fv, data);
            ShapeKvCases.fillLarge(rawLarge, fr, data);
            List<Case> pg = new ArrayList<>();
            for (ShapeKvCases.Side<byte[]> s : peersLarge) {
                Path d = java.nio.file.Files.createDirectories(
                        fixtures.resolve(s.name().replace(' ', '-')));
                ShapeKvCases.fillLarge(s, d, data);
                pg.add(ShapeKvCases.largeGets(s, d, data, false, s.name()));
            }
            Case vg = ShapeKvCases.largeGets(vault, fv, data, false, "KohakuVault get");
            Case vs = ShapeKvCases.largeGets(vault, fv, data, true, "KohakuVault openStream");
            Case rg = ShapeKvCases.largeGets(rawLarge, fr, data, false, "raw sqlite-jdbc");
            run(
                    harness,
                    cfg.warmup(),
                    cfg.rounds(),
                    log,
                    table,
                    "kv-large get",
                    all(List.of(vg, vs, rg), pg),
                    new ShapeTable.Row(
                            "get 1 MiB values",
                            values + " stored as the row above writes them, each got"
                                    + " once per sample in random order, a fresh instance of every store per sample; raw:"
                                    + " SELECT value, checksum of the same bytes (one row each, as the vault stores a value of"
                                    + " one chunk), the CRC-32C checked",
                            "values",
                            vg,
                            rg,
                            pg),
                    new ShapeTable.Row(
                            "openStream 1 MiB values, read fully",
                            "the same, through openStream(key) read to"
                                    + " the end into a 64 KiB buffer; the other sides as in the row above",
                            "values",
                            vs,
                            rg,
                            pg));
            TempFiles.delete(fixtures);
        }
    }

    private static void columns(
            Config cfg,
            Set<String> groups,
            TempFiles tmp,
            Harness harness,
            ShapeTable table,
            List<String> peerNames,
            PrintStream log)
            throws Exception {
        ColumnData data = new ColumnData(cfg.longs(), 1_000_000, 42);
        ColumnEngine raw = ColumnEngine.raw();
        List<ColumnEngine> peers = new ArrayList<>();
        for (ColumnEngine e : List.of(ColumnEngine.lmdb(), ColumnEngine.rocks(), ColumnEngine.h2())) {
            if (peerNames.contains(e.name)) {
                peers.add(e);
            }
        }
        String longs = fmt("%,d random longs", cfg.longs());
        String layout = "raw: the vault's chunk table (column_id, seq, data, checksum) WITHOUT ROWID, 64 KiB chunk"
                + " rows, CRC-32C per chunk; the peers: one record per 64 KiB chunk, keyed by its number";
        int rounds = cfg.columnRounds();

        if (groups.contains("col-append")) {
            Case v = ShapeColumnCases.vaultAppend(tmp, data);
            Case r = ShapeColumnCases.append(raw, tmp, data);
            List<Case> p = peers.stream()
                    .map(e -> ShapeColumnCases.append(e, tmp, data))
                    .toList();
            run(
                    harness,
                    cfg.warmup(),
                    rounds,
                    log,
                    table,
                    "col-append",
                    all(List.of(v, r), p),
                    new ShapeTable.Row(
                            "append(long) one at a time",
                            longs + ", one LongColumn.append(long) call each,"
                                    + " columns().enableCache(64 MiB, 16 MiB), flushCache() at the end (timed), into a fresh file"
                                    + " per sample; the other sides pack the longs one at a time into 64 KiB chunks and write"
                                    + " each full chunk, committing every 16 MiB (raw: batched INSERT, executeBatch + COMMIT;"
                                    + " LMDB: a write txn; RocksDB: a WriteBatch; MVStore: commit()). " + layout,
                            "longs",
                            v,
                            r,
                            p));
        }
        boolean reads = groups.contains("col-scan") || groups.contains("col-random") || groups.contains("col-warm");
        if (!reads) {
            return;
        }
        log.printf("filling the column read shapes' stores (%s each)%n", longs);
        Path fixtures = tmp.newDir("column-fixtures");
        Path vaultFile = ColumnCases.fill(java.nio.file.Files.createDirectories(fixtures.resolve("vault")), data);
        Path fr = java.nio.file.Files.createDirectories(fixtures.resolve("raw"));
        ShapeColumnCases.fill(raw, fr, data);
        List<Path> fp = new ArrayList<>();
        for (ColumnEngine e : peers) {
            Path d = java.nio.file.Files.createDirectories(fixtures.resolve(e.name.replace(' ', '-')));
            ShapeColumnCases.fill(e, d, data);
            fp.add(d);
        }
        String stored = longs + " (the vault's file written by extend in batches of 1M, every option at its default:"
                + " chunks of 16 to 64 KiB)";

        if (groups.contains("col-scan")) {
            int block = 1 << 16;
            Case b64 = ShapeColumnCases.vaultScan(
                    vaultFile, data, ShapeColumnCases.Scan.BLOCKS, block, "KohakuVault getLongs 65,536");
            Case b1m = ShapeColumnCases.vaultScan(
                    vaultFile, data, ShapeColumnCases.Scan.BLOCKS, 1 << 20, "KohakuVault getLongs 1,048,576");
            Case again = ShapeColumnCases.vaultScan(
                    vaultFile,
                    data,
                    ShapeColumnCases.Scan.BLOCKS,
                    block,
                    true,
                    "KohakuVault getLongs 65,536, one open Vault");
            Case stream = ShapeColumnCases.vaultScan(
                    vaultFile, data, ShapeColumnCases.Scan.STREAM, 0, "KohakuVault longStream().sum()");
            Case boxed = ShapeColumnCases.vaultScan(
                    vaultFile, data, ShapeColumnCases.Scan.BOXED, 0, "KohakuVault for (Long v : column)");
            Case r = ShapeColumnCases.scan(raw, fr, data, block);
            List<Case> p = new ArrayList<>();
            for (int i = 0; i < peers.size(); i++) {
                p.add(ShapeColumnCases.scan(peers.get(i), fp.get(i), data, block));
            }
            String what = "the whole column of " + stored + " in order, summed, a fresh instance of every store per"
                    + " sample; raw: SELECT seq, data, checksum ... ORDER BY seq, each chunk's CRC-32C checked, decoded"
                    + " into fresh long[65,536] blocks; the peers: a cursor / iterator over the chunks, decoded the same";
            run(
                    harness,
                    cfg.warmup(),
                    cfg.rounds(),
                    log,
                    table,
                    "col-scan",
                    all(List.of(b64, b1m, again, stream, boxed, r), p),
                    new ShapeTable.Row(
                            "sequential getLongs, blocks of 65,536",
                            "getLongs(from, from + 65,536) over " + what,
                            "longs",
                            b64,
                            r,
                            p),
                    new ShapeTable.Row(
                            "sequential getLongs, blocks of 1,048,576",
                            "the same in blocks of 1,048,576 (the"
                                    + " column benchmark's block); the other sides as above",
                            "longs",
                            b1m,
                            r,
                            p),
                    new ShapeTable.Row(
                            "sequential getLongs 65,536, scanned again",
                            "the same blocks of 65,536 on one Vault kept open for every sample, the column scanned"
                                    + " once before the first (a long-running program scanning again); the other sides"
                                    + " as above",
                            "longs",
                            again,
                            r,
                            p),
                    new ShapeTable.Row(
                            "sequential longStream().sum()",
                            "longStream().sum(); the other sides as above",
                            "longs",
                            stream,
                            r,
                            p),
                    new ShapeTable.Row(
                            "sequential boxed iteration",
                            "for (Long v : column) sum += v; the other sides" + " as above",
                            "longs",
                            boxed,
                            r,
                            p));
        }
        if (groups.contains("col-random")) {
            int gets = cfg.gets();
            int slow = Math.min(gets, cfg.slowGets());
            int peerGets = Math.min(gets, cfg.peerGets());
            Case v = ShapeColumnCases.vaultGets(
                    vaultFile, data, gets, gets, true, 0, 0, "KohakuVault getLong, defaults");
            Case r = ShapeColumnCases.gets(raw, fr, data, gets, slow, true);
            List<Case> p = new ArrayList<>();
            for (int i = 0; i < peers.size(); i++) {
                p.add(ShapeColumnCases.gets(peers.get(i), fp.get(i), data, gets, peerGets, true));
            }
            // No warm-up round: a sample of the vault takes tens of seconds, and the rows before it ran the same code.
            run(
                    harness,
                    0,
                    cfg.randomRounds(),
                    log,
                    table,
                    "col-random",
                    all(List.of(v, r), p),
                    new ShapeTable.Row(
                            "random getLong, defaults, column > read cache",
                            fmt(
                                            "%,d uniform random"
                                                    + " getLong(i) over %s on a vault opened fresh per sample with every option at its default"
                                                    + " (readCacheBytes %d MiB, smaller than the %d MB column), all %,d timed; raw: SELECT"
                                                    + " substr(data, off, 8) of the chunk row per get, one reused statement, a fresh connection"
                                                    + " per sample (the first %,d positions: it has no state that more gets would change);"
                                                    + " LMDB: the long read in place from the map; RocksDB: its 64 KiB chunk read into a direct"
                                                    + " buffer; MVStore: get of the chunk's array (the first %,d positions, fresh instances)",
                                            gets,
                                            stored,
                                            VaultBuilder.DEFAULT_READ_CACHE_BYTES >> 20,
                                            cfg.longs() * 8L / 1_000_000,
                                            gets,
                                            slow,
                                            peerGets)
                                    + fmt("; %d timed round(s), no warm-up round", cfg.randomRounds()),
                            "gets",
                            v,
                            r,
                            p));
        }
        if (groups.contains("col-warm")) {
            int gets = cfg.gets();
            int slow = Math.min(gets, cfg.slowGets());
            int peerGets = Math.min(gets, cfg.peerGets());
            long cache = (long) cfg.warmCacheMiB() << 20;
            Case v = ShapeColumnCases.vaultGets(
                    vaultFile, data, gets, gets, false, cache, 1 << 20, "KohakuVault getLong, warm");
            Case r = ShapeColumnCases.gets(raw, fr, data, gets, slow, false);
            List<Case> p = new ArrayList<>();
            for (int i = 0; i < peers.size(); i++) {
                p.add(ShapeColumnCases.gets(peers.get(i), fp.get(i), data, gets, peerGets, false));
            }
            run(
                    harness,
                    cfg.warmup(),
                    rounds,
                    log,
                    table,
                    "col-warm",
                    all(List.of(v, r), p),
                    new ShapeTable.Row(
                            "random getLong, warm",
                            fmt(
                                    "%,d uniform random getLong(i) over the same"
                                            + " column on one vault with readCacheBytes(%d MiB) (it holds the column), read through once"
                                            + " first; raw and the peers as above on one instance each, read through once first (raw:"
                                            + " the first %,d positions; peers: the first %,d)",
                                    gets, cfg.warmCacheMiB(), slow, peerGets),
                            "gets",
                            v,
                            r,
                            p));
        }
        TempFiles.delete(fixtures);
    }

    private static List<Case> all(List<Case> own, List<Case> peers) {
        List<Case> out = new ArrayList<>(own);
        out.addAll(peers);
        return out;
    }

    private static void run(
            Harness harness,
            int warmup,
            int rounds,
            PrintStream log,
            ShapeTable table,
            String title,
            List<Case> cases,
            ShapeTable.Row... rows)
            throws Exception {
        log.printf("shapes %s (%d cases, %d warm-up + %d timed rounds)%n", title, cases.size(), warmup, rounds);
        var samples = harness.run(new Workload(title, cases, rows[0].raw(), null, List.of()), warmup, rounds);
        for (ShapeTable.Row row : rows) {
            table.add(row, samples);
        }
    }

    private static String fmt(String format, Object... args) {
        return ShapeTable.fmt(format, args);
    }

    private static String header(Config cfg, Harness harness, Set<String> groups, List<String> peers, double seconds)
            throws Exception {
        Runtime rt = Runtime.getRuntime();
        List<String> gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName)
                .toList();
        return String.join(
                "\n",
                "KohakuVault shapes benchmark (DESIGN.md's harness), "
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
                "peers: " + (peers.isEmpty() ? "none" : String.join(", ", peers)) + "; groups: "
                        + String.join(", ", groups) + "; " + cfg + "; run took " + Math.round(seconds) + " s",
                "rates: median of the timed rounds (heap peak: max over rounds of the peak heap used above the live set"
                        + " at the sample's start, " + harness.heapMeter().poolNames() + ").",
                "vault / raw and vault / best peer: median over rounds of (vault's rate / that side's rate in the same"
                        + " round); best peer: the peer with the highest median rate in the row.");
    }
}
