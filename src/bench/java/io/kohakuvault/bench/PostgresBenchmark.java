package io.kohakuvault.bench;

import io.kohakuvault.ColumnType;
import io.kohakuvault.KVault;
import io.kohakuvault.LongColumn;
import io.kohakuvault.Vault;
import io.kohakuvault.testing.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The key-value and column shapes on PostgreSQL: a server vault ({@code Vault.builder(dataSource)
 * .schema(...)}) against raw JDBC on the same local server, on tables of the vault's own layout in
 * another schema, with the same statements' shapes, reused prepared statements and the batching
 * a user would write by hand (see each row's shape). Interleaved rounds ({@link Harness}); every
 * ratio is the median of the per-round ratios of one run.
 *
 * <p>Beside the rates, what each call costs in round trips and statements, counted in a separate,
 * untimed pass through {@link PgRelay} (which reads the wire protocol); and what one round trip
 * costs here ({@code SELECT 1} on a prepared statement, p50).
 *
 * <p>The server is the tests' ({@link PostgresServer}): a throwaway local cluster of the installed
 * PostgreSQL, or {@code KOHAKUVAULT_TEST_PG_URL}. Run it with {@code ./mvnw -q -Pbench verify
 * -Dbench.only=postgres}; sizes are {@code -Dbench.pg.NAME=} properties ({@link Config}).
 */
public final class PostgresBenchmark {
    /** Keeps the JUL logger configured (a logger only weakly referenced may be collected). */
    private static final Logger ROOT_LOGGER = Logger.getLogger("");

    private PostgresBenchmark() {}

    /** The sizes; each a system property {@code bench.pg.NAME}. */
    record Config(
            int keys,
            int puts,
            int txPuts,
            int txSize,
            int gets,
            int getAllKeys,
            int batch,
            int large,
            int huge,
            int hugeMiB,
            int longs,
            int block,
            int randomGets,
            int smallCacheMiB,
            int pings,
            int warmup,
            int rounds) {
        static Config fromSystemProperties() {
            return new Config(
                    intProperty("bench.pg.keys", 100_000),
                    intProperty("bench.pg.puts", 10_000),
                    intProperty("bench.pg.txPuts", 20_000),
                    intProperty("bench.pg.txSize", 1_000),
                    intProperty("bench.pg.gets", 20_000),
                    intProperty("bench.pg.getAllKeys", 20_000),
                    intProperty("bench.pg.batch", 100),
                    intProperty("bench.pg.large", 32),
                    intProperty("bench.pg.huge", 8),
                    intProperty("bench.pg.hugeMiB", 4),
                    intProperty("bench.pg.longs", 4_000_000),
                    intProperty("bench.pg.block", 65_536),
                    intProperty("bench.pg.randomGets", 5_000),
                    intProperty("bench.pg.smallCacheMiB", 8),
                    intProperty("bench.pg.pings", 10_000),
                    intProperty("bench.pg.warmup", 1),
                    intProperty("bench.pg.rounds", 5));
        }

        /**
         * @return the sizes of the counting pass: fewer calls where every call costs the same, the
         *     same where the count per call depends on how many calls came before (the column's
         *     random gets load a chunk whole the second time they see it; the append flushes every 16 MiB)
         */
        Config forCounting() {
            return new Config(
                    keys,
                    Math.min(puts, 500),
                    Math.min(txPuts, 2 * txSize),
                    txSize,
                    Math.min(gets, 500),
                    Math.min(getAllKeys, 10 * batch),
                    batch,
                    Math.min(large, 4),
                    Math.min(huge, 2),
                    hugeMiB,
                    longs,
                    block,
                    randomGets,
                    smallCacheMiB,
                    pings,
                    0,
                    1);
        }

        @Override
        public String toString() {
            return "keys=" + keys + " puts=" + puts + " txPuts=" + txPuts + " txSize=" + txSize + " gets=" + gets
                    + " getAllKeys=" + getAllKeys + " batch=" + batch + " large=" + large + "x1MiB huge=" + huge + "x"
                    + hugeMiB + "MiB longs=" + longs + " block=" + block + " randomGets=" + randomGets
                    + " smallCache=" + smallCacheMiB + "MiB pings=" + pings + " warmup=" + warmup + " rounds="
                    + rounds;
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

    /** VACUUM of the tables a write sample left dead rows in, on a connection of its own. */
    static final class Maintenance implements AutoCloseable {
        private final Connection admin;

        Maintenance(PostgresServer.Database db) throws SQLException {
            this.admin = db.connect();
        }

        void vacuum(String schema, String... tables) throws SQLException {
            for (String t : tables) {
                PgCases.execute(admin, "VACUUM " + schema + "." + t);
            }
        }

        void analyze(String schema, String... tables) throws SQLException {
            for (String t : tables) {
                PgCases.execute(admin, "VACUUM ANALYZE " + schema + "." + t);
            }
        }

        @Override
        public void close() throws SQLException {
            admin.close();
        }
    }

    /**
     * One group of rows: its distinct cases, and the rows that compare them.
     *
     * @param id what {@code -Dbench.pg.groups=} names it by (a comma-separated list; all when empty)
     */
    record Group(String id, String title, List<PgCases.Maker> makers, List<RowSpec> rows) {}

    /**
     * One row: the vault's case, raw's, and optionally another case the note compares the vault with.
     *
     * @param sqlite the same shape's vault / raw sqlite-jdbc on SQLite, from the shapes benchmark's
     *     latest recorded run (docs/BENCHMARKS.md), or "-" when it has no such row
     */
    record RowSpec(
            String label, String shape, String unit, int vault, int raw, int other, String otherLabel, String sqlite) {}

    /** What the counting pass found for one case. */
    record Count(long ops, PgRelay.Mark mark) {
        double roundTrips() {
            return (double) mark.roundTrips() / ops;
        }

        double statements() {
            return (double) mark.executes() / ops;
        }
    }

    /** A row's numbers. */
    record Result(RowSpec row, Stats vault, Stats raw, double ratio, Count vaultCount, Count rawCount, String note) {}

    public static void main(String[] args) throws Exception {
        ROOT_LOGGER.setLevel(Level.WARNING); // Flyway logs every migration at INFO
        Config cfg = Config.fromSystemProperties();
        Config counting = cfg.forCounting();
        PrintStream out = System.out;
        PrintStream log = System.err;
        long started = System.nanoTime();

        log.println("postgres: starting the server");
        PostgresServer server = PostgresServer.get();
        PostgresServer.Database db = server.newDatabase("kvbench");
        URI address = URI.create(db.url().substring("jdbc:".length()));
        try (Maintenance maintenance = new Maintenance(db);
                PgRelay relay = new PgRelay(address.getHost(), address.getPort())) {
            PgCases.Env direct = new PgCases.Env(db.dataSource(), maintenance);
            PGSimpleDataSource relayed = new PGSimpleDataSource();
            relayed.setURL("jdbc:postgresql://" + address.getHost() + ":" + relay.port() + address.getPath()
                    + "?sslmode=disable&gssEncMode=disable");
            relayed.setUser(db.user());
            relayed.setPassword(db.password());
            PgCases.Env counted = new PgCases.Env(relayed, maintenance);

            log.println("postgres: generating the data");
            PgData data = new PgData(cfg);
            log.println("postgres: filling the fixtures");
            long fillStart = System.nanoTime();
            fill(direct, data, cfg, maintenance);
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;

            Ping ping = ping(direct, cfg.pings());
            Count open = countOpen(counted, relay);

            Harness harness = new Harness(log);
            List<Result> results = new ArrayList<>();
            String only = System.getProperty("bench.pg.groups", "").trim();
            List<String> chosen = only.isEmpty() ? List.of() : Arrays.asList(only.split("\\s*,\\s*"));
            for (Group g : groups(cfg, data)) {
                if (chosen.isEmpty() || chosen.contains(g.id())) {
                    run(g, direct, counted, relay, cfg, counting, harness, results, log);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            log.println("(checksum " + Case.sink + ")");
            out.println();
            out.println(header(cfg, server, ping, seconds, fillSeconds));
            out.println();
            out.print(render(results, ping));
            out.println();
            out.print(statements(results, open));
            out.flush();
        }
    }

    private static void run(
            Group g,
            PgCases.Env direct,
            PgCases.Env counted,
            PgRelay relay,
            Config cfg,
            Config counting,
            Harness harness,
            List<Result> results,
            PrintStream log)
            throws Exception {
        // The counting pass first: it also proves every case right through the relay.
        log.printf("postgres %s: counting round trips%n", g.title());
        List<Count> counts = new ArrayList<>();
        for (PgCases.Maker m : g.makers()) {
            counts.add(countOnce(m.make(counted, counting), relay));
        }
        List<Case> cases = new ArrayList<>();
        for (PgCases.Maker m : g.makers()) {
            cases.add(m.make(direct, cfg));
        }
        log.printf(
                "postgres %s (%d cases, %d warm-up + %d timed rounds)%n",
                g.title(), cases.size(), cfg.warmup(), cfg.rounds());
        Case baseline = cases.get(g.rows().get(0).raw());
        Map<Case, List<Sample>> samples =
                harness.run(new Workload(g.title(), cases, baseline, null, List.of()), cfg.warmup(), cfg.rounds());
        for (Case c : cases) {
            StringBuilder rates = new StringBuilder();
            for (Sample smp : samples.get(c)) {
                rates.append(fmt(" %,.0f", smp.opsPerSecond()));
            }
            log.printf("  %s, %s: per round%s /s%n", g.title(), c.side(), rates);
        }
        for (RowSpec r : g.rows()) {
            List<Sample> v = samples.get(cases.get(r.vault()));
            List<Sample> raw = samples.get(cases.get(r.raw()));
            String note = "";
            if (r.other() >= 0) {
                List<Sample> o = samples.get(cases.get(r.other()));
                note = fmt(
                        "%s: %s; vault %.2fx it", r.otherLabel(), rate(Stats.of(o), r.unit()), Stats.pairedRatio(v, o));
            }
            results.add(new Result(
                    r,
                    Stats.of(v),
                    Stats.of(raw),
                    Stats.pairedRatio(v, raw),
                    counts.get(r.vault()),
                    counts.get(r.raw()),
                    note));
        }
    }

    /** Runs a case once through the relay, counting only its timed part. */
    private static Count countOnce(Case c, PgRelay relay) throws Exception {
        c.prepare();
        try {
            c.setUp(0);
            long ops;
            PgRelay.Mark counted;
            try {
                PgRelay.Mark start = relay.mark();
                ops = c.run();
                counted = relay.since(start);
            } finally {
                c.tearDown();
            }
            return new Count(ops, counted);
        } finally {
            c.dispose();
        }
    }

    /** Round trips of opening the vault on its existing schema, opening a store and closing it. */
    private static Count countOpen(PgCases.Env counted, PgRelay relay) {
        PgRelay.Mark start = relay.mark();
        try (Vault v = counted.vault()) {
            consume(v.kv(PgCases.STORES[PgCases.FIXTURE - 1]));
        }
        return new Count(1, relay.since(start));
    }

    private static void consume(KVault kv) {
        Case.sink += kv.name().length();
    }

    // ---- the rows -------------------------------------------------------------------------------

    private static List<Group> groups(Config cfg, PgData data) {
        List<Group> groups = new ArrayList<>();
        String keys = fmt("random 12-byte byte[] keys, 100-byte values");
        groups.add(new Group(
                "put",
                "put",
                List.of(
                        (e, c) -> PgCases.vaultPuts(e, data, c.puts(), false),
                        (e, c) -> PgCases.rawPuts(e, data, c.puts(), false)),
                List.of(new RowSpec(
                        "put, autocommit",
                        fmt(
                                "%,d puts of fresh %s, one kv.put(byte[], byte[]) per call, each its own"
                                        + " commit (cache off); raw: one autocommit INSERT ... ON CONFLICT (store_id, key) DO"
                                        + " UPDATE per put, the vault's statement, with its CRC-32C. Each sample into an empty"
                                        + " store, cleared and VACUUMed after (untimed)",
                                cfg.puts(), keys),
                        "puts",
                        0,
                        1,
                        -1,
                        null,
                        "-"))));
        groups.add(new Group(
                "tx",
                "put, transactions",
                List.of(
                        (e, c) -> PgCases.vaultTransactionPuts(e, data, c.txPuts(), c.txSize()),
                        (e, c) -> PgCases.rawTransactionPuts(e, data, c.txPuts(), c.txSize(), true),
                        (e, c) -> PgCases.rawTransactionPuts(e, data, c.txPuts(), c.txSize(), false)),
                List.of(new RowSpec(
                        fmt("put, transactions of %,d", cfg.txSize()),
                        fmt(
                                "%,d puts of fresh %s, %,d kv.put per vault.transaction(...); raw:"
                                        + " setAutoCommit(false), the same upsert added to one JDBC batch per transaction"
                                        + " (executeBatch, then COMMIT); the note: raw with one executeUpdate per put instead",
                                cfg.txPuts(), keys, cfg.txSize()),
                        "puts",
                        0,
                        1,
                        2,
                        "raw, a statement per put",
                        "1.00-1.13 (commit every 10,000, cache on)"))));
        groups.add(new Group(
                "get",
                "get",
                List.of((e, c) -> PgCases.vaultGets(e, data, c.gets()), (e, c) -> PgCases.rawGets(e, data, c.gets())),
                List.of(new RowSpec(
                        "random get, cold",
                        fmt(
                                "%,d get(byte[]) of the %,d 12-byte keys of a filled store in another"
                                        + " random order each round, on a vault opened fresh per sample (a server vault"
                                        + " caches no key-value values); raw: SELECT value, checksum ... WHERE store_id = ?"
                                        + " AND key = ?, the CRC checked, a fresh connection per sample",
                                cfg.gets(), cfg.keys()),
                        "gets",
                        0,
                        1,
                        -1,
                        null,
                        "0.97-0.98"))));
        groups.add(new Group(
                "getall",
                "getAll",
                List.of(
                        (e, c) -> PgCases.vaultGetAll(e, data, c.getAllKeys(), c.batch()),
                        (e, c) -> PgCases.rawGetAll(e, data, c.getAllKeys(), c.batch()),
                        (e, c) -> PgCases.vaultGets(e, data, c.getAllKeys())),
                List.of(new RowSpec(
                        fmt("getAll of %d keys", cfg.batch()),
                        fmt(
                                "%,d of the same store's keys (as 12-character Strings), %d per"
                                        + " getAll(List<String>), a fresh vault per sample; raw: one SELECT key, value,"
                                        + " checksum ... WHERE store_id = ? AND key IN (%d ?s) per batch, into a map;"
                                        + " counted in keys; the note: the vault's single gets of the same keys",
                                cfg.getAllKeys(), cfg.batch(), cfg.batch()),
                        "keys",
                        0,
                        1,
                        2,
                        "the vault's single gets",
                        "0.86-0.87 (cold)"))));
        groups.add(new Group(
                "large",
                "large",
                List.of(
                        (e, c) -> PgCases.vaultPuts(e, data, c.large(), true),
                        (e, c) -> PgCases.rawPuts(e, data, c.large(), true),
                        (e, c) -> PgCases.vaultLargeGets(e, data, c.large(), false),
                        (e, c) -> PgCases.rawLargeGets(e, data, c.large(), false)),
                List.of(
                        new RowSpec(
                                "put 1 MiB values",
                                fmt(
                                        "%d values of 1 MiB (random bytes), each its own autocommit put; at the"
                                                + " default chunk size (1 MiB) the vault stores one inline row, raw the same"
                                                + " upsert of the 1 MiB row",
                                        cfg.large()),
                                "values",
                                0,
                                1,
                                -1,
                                null,
                                "0.90-0.92"),
                        new RowSpec(
                                "get 1 MiB values",
                                fmt(
                                        "the %d values of 1 MiB of a filled store, each got once per sample in"
                                                + " random order, a fresh vault (connection) per sample; raw: SELECT value,"
                                                + " checksum by key",
                                        cfg.large()),
                                "values",
                                2,
                                3,
                                -1,
                                null,
                                "0.95"))));
        String huge = fmt("%d values of %d MiB", cfg.huge(), cfg.hugeMiB());
        groups.add(new Group(
                "chunked",
                "chunked",
                List.of(
                        (e, c) -> PgCases.vaultHugePuts(e, data, c.huge()),
                        (e, c) -> PgCases.rawHugePuts(e, data, c.huge()),
                        (e, c) -> PgCases.vaultLargeGets(e, data, c.huge(), true),
                        (e, c) -> PgCases.rawLargeGets(e, data, c.huge(), true)),
                List.of(
                        new RowSpec(
                                fmt("put %d MiB values (chunked)", cfg.hugeMiB()),
                                fmt(
                                        "%s, each its own put: the vault writes a blob row, %d chunk rows of"
                                                + " 1 MiB and the entry in one transaction; raw the same rows by hand in one"
                                                + " transaction: INSERT blob ... RETURNING id, the chunks in one JDBC batch, the"
                                                + " entry, COMMIT",
                                        huge, cfg.hugeMiB()),
                                "values",
                                0,
                                1,
                                -1,
                                null,
                                "-"),
                        new RowSpec(
                                fmt("get %d MiB values (chunked)", cfg.hugeMiB()),
                                "those values, each got once per sample in random order, a fresh vault per sample;"
                                        + " raw: one SELECT of the chunks joined to the entry by key, ORDER BY seq, each"
                                        + " chunk's CRC checked, copied into one array",
                                "values",
                                2,
                                3,
                                -1,
                                null,
                                "-"))));
        String longs = fmt("%,d random longs", cfg.longs());
        groups.add(new Group(
                "append",
                "append",
                List.of(
                        (e, c) -> PgCases.vaultAppend(e, data),
                        (e, c) -> PgCases.rawAppend(e, data, true),
                        (e, c) -> PgCases.rawAppend(e, data, false)),
                List.of(new RowSpec(
                        "append(long) one at a time, cache on",
                        longs + ", one LongColumn.append(long) each, columns().enableCache(64 MiB,"
                                + " 16 MiB), flushCache() at the end (timed), into a new column per sample (deleted and"
                                + " VACUUMed after); raw: packed one at a time into 64 KiB chunks, each full chunk added"
                                + " to a JDBC batch of the vault's chunk upsert, every 16 MiB executeBatch + the column's"
                                + " length row + COMMIT; the note: raw with one executeUpdate per chunk instead (a round"
                                + " trip each, as the vault's flush)",
                        "longs",
                        0,
                        1,
                        2,
                        "raw, a statement per chunk",
                        "0.77-0.80"))));
        groups.add(new Group(
                "scan",
                "scan",
                List.of(
                        (e, c) -> PgCases.vaultScan(
                                e, data, PgCases.Scan.BLOCKS, c.block(), "KohakuVault getLongs " + c.block()),
                        (e, c) -> PgCases.vaultScan(e, data, PgCases.Scan.STREAM, 0, "KohakuVault longStream().sum()"),
                        (e, c) -> PgCases.rawScan(e, data, c.block())),
                List.of(
                        new RowSpec(
                                fmt("sequential getLongs, blocks of %,d", cfg.block()),
                                fmt(
                                        "getLongs(from, from + %,d) over the whole column of %s (written by"
                                                + " extend in batches of 1M, every option at its default: chunks of 16 to 64"
                                                + " KiB), summed, a fresh vault per sample; raw: the column's 64 KiB chunk rows"
                                                + " through one cursor (SELECT seq, data, checksum ... ORDER BY seq, fetch size"
                                                + " 32 rows = 2 MiB, in a transaction), each CRC checked, decoded into fresh"
                                                + " long[%,d] blocks",
                                        cfg.block(), longs, cfg.block()),
                                "longs",
                                0,
                                2,
                                -1,
                                null,
                                "0.81-0.83"),
                        new RowSpec(
                                "sequential longStream().sum()",
                                "longStream().sum(); raw as above",
                                "longs",
                                1,
                                2,
                                -1,
                                null,
                                "0.83"))));
        groups.add(new Group(
                "random",
                "random getLong",
                List.of(
                        (e, c) -> PgCases.vaultRandomGets(e, data, c.randomGets(), -1, "KohakuVault getLong, defaults"),
                        (e, c) -> PgCases.vaultRandomGets(
                                e,
                                data,
                                c.randomGets(),
                                (long) c.smallCacheMiB() << 20,
                                "KohakuVault getLong, small cache"),
                        (e, c) -> PgCases.rawRandomGets(e, data, c.randomGets())),
                List.of(
                        new RowSpec(
                                "random getLong, defaults",
                                fmt(
                                        "%,d uniform random getLong(i) over the same column (%d MB) on a vault"
                                                + " opened fresh per sample, every option at its default (readCacheBytes 64"
                                                + " MiB: the column fits); raw: SELECT substr(data, offset, 8) of the chunk row"
                                                + " per get, a fresh connection per sample",
                                        cfg.randomGets(), cfg.longs() * 8L / 1_000_000),
                                "gets",
                                0,
                                2,
                                -1,
                                null,
                                "1.05-1.10 (column > read cache)"),
                        new RowSpec(
                                "random getLong, column > read cache",
                                fmt(
                                        "the same on a vault with readCacheBytes(%d MiB), smaller than the"
                                                + " column; raw as above",
                                        cfg.smallCacheMiB()),
                                "gets",
                                1,
                                2,
                                -1,
                                null,
                                "1.05-1.10"))));
        return groups;
    }

    // ---- fixtures -------------------------------------------------------------------------------

    /** Fills both schemas with the same rows: the key-value fixture, the large values, the scan column. */
    private static void fill(PgCases.Env env, PgData data, Config cfg, Maintenance maintenance) throws Exception {
        ShapeData s = data.shapes;
        try (Vault v = env.vault()) {
            for (String store : PgCases.STORES) {
                v.kv(store);
            }
            KVault fixture = v.kv(PgCases.STORES[PgCases.FIXTURE - 1]);
            for (int from = 0; from < cfg.keys(); from += 10_000) {
                int start = from;
                v.transaction(() -> {
                    for (int i = start; i < Math.min(cfg.keys(), start + 10_000); i++) {
                        fixture.put(s.stringKeyBytes[i], s.value(i));
                    }
                });
            }
            PgCases.expect("vault fixture", fixture.size(), cfg.keys());
            KVault large = v.kv(PgCases.STORES[PgCases.LARGE - 1]);
            for (int i = 0; i < cfg.large(); i++) {
                large.put(s.largeKeys[i], s.largeValues[i]);
            }
            KVault huge = v.kv(PgCases.STORES[PgCases.HUGE - 1]);
            for (int i = 0; i < cfg.huge(); i++) {
                huge.put(data.hugeKeys[i], data.hugeValues[i]);
            }
            LongColumn column = v.column(PgCases.COLUMNS[PgCases.SCAN_COLUMN - 1], ColumnType.I64);
            ColumnCases.extendAll(column, data.longs);
            ColumnCases.checkLongs("vault", column, data.longs);
        }
        try (Connection c = env.source().getConnection()) {
            PgCases.execute(c, "CREATE SCHEMA " + PgCases.RAW_SCHEMA);
            c.setSchema(PgCases.RAW_SCHEMA);
            PgCases.execute(c, migrationScript());
            try (PreparedStatement st = c.prepareStatement("INSERT INTO vault_kv_store (id, name) VALUES (?, ?)")) {
                for (int i = 0; i < PgCases.STORES.length; i++) {
                    st.setInt(1, i + 1);
                    st.setString(2, PgCases.STORES[i]);
                    st.executeUpdate();
                }
            }
            try (PreparedStatement st = c.prepareStatement("INSERT INTO vault_column (id, name, dtype, element_size,"
                    + " min_chunk_bytes, max_chunk_bytes) VALUES (?, ?, 'i64', 8, ?, ?)")) {
                for (int i = 0; i < PgCases.COLUMNS.length; i++) {
                    st.setInt(1, i + 1);
                    st.setString(2, PgCases.COLUMNS[i]);
                    st.setInt(3, PgCases.CHUNK_BYTES);
                    st.setInt(4, PgCases.CHUNK_BYTES);
                    st.executeUpdate();
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement up = c.prepareStatement(PgCases.UPSERT)) {
                for (int i = 0; i < cfg.keys(); i++) {
                    up.setInt(1, PgCases.FIXTURE);
                    up.setBytes(2, s.stringKeyBytes[i]);
                    up.setBytes(3, s.value(i));
                    up.setLong(4, PgCases.crc(s.stringKeyBytes[i], s.value(i)));
                    up.addBatch();
                    if ((i + 1) % 1_000 == 0) {
                        up.executeBatch();
                    }
                    if ((i + 1) % 10_000 == 0) {
                        c.commit();
                    }
                }
                up.executeBatch();
                c.commit();
                for (int i = 0; i < cfg.large(); i++) {
                    up.setInt(1, PgCases.LARGE);
                    up.setBytes(2, s.largeKeys[i]);
                    up.setBytes(3, s.largeValues[i]);
                    up.setLong(4, PgCases.crc(s.largeKeys[i], s.largeValues[i]));
                    up.executeUpdate();
                    c.commit();
                }
            }
            c.setAutoCommit(true);
            try (PreparedStatement blob = c.prepareStatement(PgCases.CREATE_BLOB);
                    PreparedStatement chunk = c.prepareStatement(PgCases.PUT_CHUNK);
                    PreparedStatement entry = c.prepareStatement(PgCases.PUT_BLOB_ENTRY)) {
                for (int i = 0; i < cfg.huge(); i++) {
                    PgCases.putChunked(
                            c, blob, chunk, entry, PgCases.HUGE, data.hugeKeys[i], data.hugeValues[i], data.chunkSize);
                }
            }
            fillRawColumn(c, data);
        }
        for (String schema : List.of(PgCases.VAULT_SCHEMA, PgCases.RAW_SCHEMA)) {
            maintenance.analyze(
                    schema,
                    "vault_kv_entry",
                    "vault_kv_blob",
                    "vault_kv_chunk",
                    "vault_column",
                    "vault_column_chunk",
                    "vault_kv_store");
        }
    }

    private static void fillRawColumn(Connection c, PgData data) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement put = c.prepareStatement(PgCases.PUT_COLUMN_CHUNK);
                PreparedStatement state = c.prepareStatement(PgCases.SET_COLUMN_STATE)) {
            long count = data.longs.count;
            int seq = 0;
            for (long from = 0; from < count; from += PgCases.LONGS_PER_CHUNK) {
                byte[] chunk = data.longs.encode(from, Math.min(count, from + PgCases.LONGS_PER_CHUNK));
                put.setInt(1, PgCases.SCAN_COLUMN);
                put.setInt(2, seq);
                put.setBytes(3, chunk);
                put.setLong(4, PgCases.crc(seq, chunk));
                put.addBatch();
                if (++seq % PgCases.CHUNKS_PER_COMMIT == 0) {
                    put.executeBatch();
                    c.commit();
                }
            }
            put.executeBatch();
            state.setLong(1, count);
            state.setLong(2, 1);
            state.setInt(3, PgCases.SCAN_COLUMN);
            state.executeUpdate();
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** @return the vault's own PostgreSQL migration: raw's tables are the vault's, made by the same script */
    private static String migrationScript() throws IOException {
        String path = "/io/kohakuvault/migration/postgresql/V4__vault_schema.sql";
        try (InputStream in = PostgresBenchmark.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("not on the classpath: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- one round trip -------------------------------------------------------------------------

    /** Percentiles of one round trip. */
    record Ping(int n, double p50, double p90, double p99) {}

    /** {@code SELECT 1} on a prepared statement (server-prepared after the warm-up), each call timed. */
    private static Ping ping(PgCases.Env env, int n) throws SQLException {
        try (Connection c = env.raw();
                PreparedStatement s = c.prepareStatement("SELECT 1")) {
            long[] nanos = new long[n];
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    long t = System.nanoTime();
                    try (ResultSet rows = s.executeQuery()) {
                        rows.next();
                        Case.sink += rows.getInt(1);
                    }
                    nanos[i] = System.nanoTime() - t;
                }
            }
            Arrays.sort(nanos);
            return new Ping(n, nanos[n / 2] / 1e3, nanos[n * 9 / 10] / 1e3, nanos[n * 99 / 100] / 1e3);
        }
    }

    // ---- the report -----------------------------------------------------------------------------

    private static String render(List<Result> results, Ping ping) {
        String[] header = {
            "#",
            "row",
            "KohakuVault",
            "raw JDBC",
            "vault / raw",
            "round trips per call, vault / raw",
            "statements per call, vault / raw",
            "SQLite vault / raw",
            "note"
        };
        boolean[] right = {true, false, true, true, true, true, true, false, false};
        List<String[]> rows = new ArrayList<>();
        int i = 0;
        for (Result r : results) {
            rows.add(new String[] {
                String.valueOf(++i),
                r.row().label(),
                rate(r.vault(), r.row().unit()),
                rate(r.raw(), r.row().unit()),
                fmt("%.2f", r.ratio()),
                perCall(r.vaultCount().roundTrips()) + " / "
                        + perCall(r.rawCount().roundTrips()),
                perCall(r.vaultCount().statements()) + " / "
                        + perCall(r.rawCount().statements()),
                r.row().sqlite(),
                r.note()
            });
        }
        StringBuilder out = new StringBuilder();
        TableText.append(out, header, rows, right);
        out.append('\n')
                .append(fmt(
                        "One round trip (SELECT 1 on a prepared statement, %,d calls): p50 %.1f us, p90 %.1f us,"
                                + " p99 %.1f us.%n",
                        ping.n(), ping.p50(), ping.p90(), ping.p99()));
        out.append("\nShapes:\n");
        i = 0;
        for (Result r : results) {
            out.append(++i)
                    .append(". ")
                    .append(r.row().label())
                    .append(": ")
                    .append(r.row().shape())
                    .append('\n');
        }
        return out.toString();
    }

    /** The vault's statements per call, by text, from the counting pass. */
    private static String statements(List<Result> results, Count open) {
        StringBuilder out = new StringBuilder();
        out.append("What the vault sends per call (counting pass through the relay; statements by text, per call):\n");
        appendStatements(out, "Vault.open on the existing schema + kv(store) + close", open);
        int i = 0;
        for (Result r : results) {
            appendStatements(out, ++i + ". " + r.row().label(), r.vaultCount());
        }
        return out.toString();
    }

    private static void appendStatements(StringBuilder out, String title, Count c) {
        out.append(fmt(
                "%n%s: %s round trips, %s statements per call (%,d calls counted)%n",
                title, perCall(c.roundTrips()), perCall(c.statements()), c.ops()));
        Map<String, Long> sorted = new LinkedHashMap<>();
        c.mark().statements().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            out.append(fmt("  %10s x %s%n", perCall((double) e.getValue() / c.ops()), e.getKey()));
        }
    }

    /** @return e.g. {@code "1.00"}, {@code "0.058"}, or {@code "1/8,192"} for one in that many calls */
    static String perCall(double x) {
        if (x == 0) {
            return "0";
        }
        if (x >= 0.1) {
            return fmt("%.2f", x);
        }
        if (x >= 0.01) {
            return fmt("%.3f", x);
        }
        return fmt("1/%,.0f", 1 / x);
    }

    /** @return e.g. {@code "12,345 puts/s (81.0 us)"}: the median rate and the time per operation */
    private static String rate(Stats s, String unit) {
        double r = s.medianOpsPerSecond();
        String n = r >= 1e7 ? fmt("%.1fM", r / 1e6) : fmt("%,.0f", r);
        double us = s.microsPerOp();
        String t = us >= 1000 ? fmt("%.2f ms", us / 1000) : us >= 1 ? fmt("%.1f us", us) : fmt("%.0f ns", us * 1000);
        return fmt("%s %s/s (%s)", n, unit, t);
    }

    private static String header(Config cfg, PostgresServer server, Ping ping, double seconds, double fillSeconds) {
        Runtime rt = Runtime.getRuntime();
        return String.join(
                "\n",
                "KohakuVault PostgreSQL benchmark, "
                        + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
                        + rt.availableProcessors() + " CPUs, heap " + (rt.maxMemory() >> 20) + " MiB, JVM args "
                        + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                                .filter(a -> a.startsWith("-X"))
                                .toList(),
                "PostgreSQL " + server.version() + " (" + server.mode() + ", the tests' server: fsync off), on"
                        + " 127.0.0.1 over TCP; pgjdbc " + org.postgresql.util.DriverInfo.DRIVER_VERSION
                        + "; one round trip (SELECT 1, p50): " + fmt("%.1f us", ping.p50()),
                cfg + "; fixtures filled in " + Math.round(fillSeconds) + " s; run took " + Math.round(seconds) + " s",
                "rates: median of the timed rounds (time per operation at that rate); vault / raw: median over rounds"
                        + " of (vault's rate / raw's rate in the same round).",
                "round trips and statements per call: counted in a separate untimed pass through a relay that reads"
                        + " the wire protocol (ReadyForQuery messages; Execute and simple Query messages), on fewer"
                        + " calls where each call costs the same.",
                "SQLite vault / raw: the same shape's ratio on SQLite in docs/BENCHMARKS.md's latest shapes runs"
                        + " (vault vs raw sqlite-jdbc), for reading beside; not measured here.");
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** Renders a Markdown table with aligned columns. */
    static final class TableText {
        private TableText() {}

        static void append(StringBuilder out, String[] header, List<String[]> rows, boolean[] right) {
            int[] width = new int[header.length];
            for (int c = 0; c < header.length; c++) {
                width[c] = header[c].length();
                for (String[] row : rows) {
                    width[c] = Math.max(width[c], row[c].length());
                }
            }
            line(out, header, width, right);
            out.append('|');
            for (int c = 0; c < header.length; c++) {
                out.append(' ')
                        .append(right[c] ? "-".repeat(width[c] - 1) + ":" : "-".repeat(width[c]))
                        .append(" |");
            }
            out.append('\n');
            for (String[] row : rows) {
                line(out, row, width, right);
            }
        }

        private static void line(StringBuilder out, String[] cells, int[] width, boolean[] right) {
            out.append('|');
            for (int c = 0; c < cells.length; c++) {
                String pad = " ".repeat(width[c] - cells[c].length());
                out.append(' ')
                        .append(right[c] ? pad + cells[c] : cells[c] + pad)
                        .append(" |");
            }
            out.append('\n');
        }
    }
}
