package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.VaultFixtures.Storage;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.jooq.SQLDialect;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is ever lost and nothing is ever half-written when the writing process is
 * killed with SIGKILL at a random moment. A child JVM writes to one file in a loop driven by a
 * seed (small puts, streamed multi-chunk values, deletes, column appends, transactions mixing
 * both, batches through the write-back cache) and prints a line before each write ("intent") and
 * after the call that commits it returns ("ack"). This process kills it at a random moment, then
 * checks the file: it opens, passes {@code PRAGMA integrity_check} and the vault's own structure
 * checks, every acknowledged write is there byte for byte, the one in flight is either whole or
 * absent (all of a transaction or none of it), every column holds exactly its acknowledged
 * elements (plus the in-flight append, whole, or not), and the vault takes new writes. The file
 * accumulates across kills: each child continues from what the previous one left. A process
 * killed while it creates and migrates a new file leaves a file the next open completes.
 *
 * <p>The base seed is random per run and printed; {@code -Dcrash.seed=N} repeats a run.
 */
class CrashSafetyTest {
    /** Streaming chunk size of the vault: a large value of 20-100 KiB is 5-25 chunk rows. */
    static final int CHUNK_SIZE = 4096;

    static final ChunkSizes COLUMN_CHUNKS = ChunkSizes.of(64, 256);
    static final int SMALL_KEYS = 30;
    static final int LARGE_KEYS = 6;
    static final String PARENT_KEY = "p";
    static final String INTS = "ints";
    static final String STRS = "strs";
    /** Versions of writes made by round r are r * VERSIONS_PER_ROUND + op * 100 + write: unique in the file. */
    static final long VERSIONS_PER_ROUND = 1_000_000_000_000L;
    /** A child that was never killed stops by itself after this long. */
    static final long CHILD_LIFETIME_MS = 60_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killedWriter_twentyTimesOnOneFile_losesNoAcknowledgedWriteAndLeavesNothingHalfWritten() throws Exception {
        killRepeatedly(Storage.FILE, 20);
    }

    /** The same on a server vault: the server rolls back what a killed client left in flight. */
    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void killedWriter_sixTimesOnAServerVault_losesNoAcknowledgedWriteAndLeavesNothingHalfWritten() throws Exception {
        killRepeatedly(Storage.POSTGRES, 6);
    }

    @Test
    @Tag("heavy")
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void killedWriter_aHundredTimesOnOneFile_losesNoAcknowledgedWriteAndLeavesNothingHalfWritten() throws Exception {
        killRepeatedly(Storage.FILE, 100);
    }

    @Test
    @Tag("heavy")
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void killedWriter_fiftyTimesOnAServerVault_losesNoAcknowledgedWriteAndLeavesNothingHalfWritten() throws Exception {
        killRepeatedly(Storage.POSTGRES, 50);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void killedDuringFirstOpen_ofANewFile_theNextOpenSucceedsAndMigratesOnce() throws Exception {
        Random timing = new Random();
        Path reference = dir.resolve("reference.db");
        Vault.open(reference).close();
        List<String> migrations = FirstOpenRaceTest.history(reference).versions();
        int beforeTheWrite = 0;
        int beforeTheFile = 0;
        for (int round = 0; round < 8; round++) {
            Path file = dir.resolve("first-" + round + ".db");
            Path go = dir.resolve("go-" + round);
            java.nio.file.Files.createFile(go);
            int delay = 100 + timing.nextInt(800);
            try (ChildJvm.Running child =
                    ChildJvm.start(FirstOpenRaceTest.Opener.class, "128m", file.toString(), go.toString(), "0")) {
                child.awaitLine(ChildJvm.WAITING, Duration.ofSeconds(60));
                Thread.sleep(delay); // the open, its migration included, takes about a second in a fresh JVM
                child.kill();
            }
            beforeTheFile += java.nio.file.Files.exists(file) ? 0 : 1;
            String context = "round " + round + ", killed " + delay + " ms into the first open";
            try (Vault vault = Vault.open(file)) {
                checkStructure(vault, context);
                vault.kv().put("after", new byte[] {1});
                vault.column("opened", ColumnType.I64).append(1);
                assertThat(vault.kv().get("after")).isEqualTo(new byte[] {1});
                byte[] first = vault.kv().get("opener-0");
                assertThat(first == null || Arrays.equals(first, FirstOpenRaceTest.Opener.value(0)))
                        .as(context)
                        .isTrue();
                beforeTheWrite += first == null ? 1 : 0;
            }
            assertThat(FirstOpenRaceTest.history(file).versions())
                    .as(context + ": the migrations, once each")
                    .isEqualTo(migrations);
        }
        System.out.printf(
                "CrashSafetyTest: 8 kills during a first open: %d before the file existed, %d more before"
                        + " the child's write%n",
                beforeTheFile, beforeTheWrite - beforeTheFile);
    }

    private void killRepeatedly(Storage storage, int kills) throws Exception {
        long baseSeed = Long.getLong("crash.seed", new Random().nextLong());
        String file = storage.address(dir);
        Model model = new Model();
        Random timing = new Random(baseSeed);
        int inFlightAtKill = 0;
        int inFlightLanded = 0;
        for (int round = 1; round <= kills; round++) {
            long seed = baseSeed + round;
            String context = "base seed " + baseSeed + " (-Dcrash.seed=" + baseSeed + "), round " + round;
            List<String> lines;
            try (ChildJvm.Running child =
                    ChildJvm.start(Writer.class, "128m", file, Long.toString(seed), Integer.toString(round))) {
                if (round % 5 == 0) {
                    // Now and then the kill lands anywhere, opening included.
                    Thread.sleep(timing.nextInt(1500));
                } else {
                    child.awaitLine("R ", Duration.ofSeconds(60));
                    Thread.sleep(timing.nextInt(700));
                }
                int exit = child.kill();
                assertThat(exit)
                        .as(context + ": the child was killed by SIGKILL (exit 137), output:\n%s", child.output())
                        .isEqualTo(ChildJvm.SIGKILL_EXIT);
                lines = child.stdoutLines();
            }
            context += " (the child's last lines: "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())) + ")";
            Intent inFlight = model.replay(lines, context);
            if (inFlight != null) {
                inFlightAtKill++;
            }
            try (Vault vault = open(file)) {
                checkStructure(vault, context);
                boolean landed = model.check(vault, inFlight, context);
                if (landed) {
                    inFlightLanded++;
                }
                // The vault takes new writes after the kill; the next child sees them.
                long version = round * VERSIONS_PER_ROUND + VERSIONS_PER_ROUND - 1;
                vault.kv().put(PARENT_KEY, value(PARENT_KEY, version));
                vault.column(INTS, ColumnType.I64).append(intAt(model.ints));
                model.keys.put(PARENT_KEY, version);
                model.ints++;
                assertThat(vault.kv().get(PARENT_KEY)).isEqualTo(value(PARENT_KEY, version));
            }
        }
        System.out.printf(
                "CrashSafetyTest: base seed %d, %d kills, %d with a write in flight, %d of those landed; "
                        + "acknowledged writes %d, ints %d, strs %d%n",
                baseSeed, kills, inFlightAtKill, inFlightLanded, model.acknowledged, model.ints, model.strs);
        assertThat(model.acknowledged).as("the children acknowledged writes").isPositive();
    }

    /** @param address a vault file's path, or a server vault's URL ({@link Storage#address}) */
    static Vault open(String address) {
        return Vault.builder(address)
                .chunkSize(CHUNK_SIZE)
                .columnChunkSizes(COLUMN_CHUNKS)
                .open();
    }

    /**
     * SQLite's own check and foreign keys (on a file), and the vault's invariants between entries,
     * blobs, chunks and columns (on both databases: the SQL below is the same for both).
     */
    static void checkStructure(Vault vault, String context) {
        vault.database().withWriter(c -> {
            try (Statement s = c.jdbc().createStatement()) {
                if (c.dialect() == SQLDialect.SQLITE) {
                    assertThat(c.pragma("PRAGMA integrity_check"))
                            .as(context + ": integrity_check")
                            .isEqualTo("ok");
                    assertThat(rows(s, "PRAGMA foreign_key_check"))
                            .as(context + ": foreign_key_check")
                            .isEmpty();
                }
                assertThat(
                                rows(
                                        s,
                                        "SELECT b.id, b.size, b.chunk_count, c.n, c.bytes FROM vault_kv_blob b"
                                                + " LEFT JOIN (SELECT store_id, blob_id, count(*) AS n, sum(length(data)) AS bytes"
                                                + " FROM vault_kv_chunk GROUP BY store_id, blob_id) c"
                                                + " ON c.store_id = b.store_id AND c.blob_id = b.id"
                                                + " WHERE c.n IS DISTINCT FROM b.chunk_count OR c.bytes IS DISTINCT FROM b.size"))
                        .as(context + ": blobs whose chunks do not add up")
                        .isEmpty();
                assertThat(rows(
                                s,
                                "SELECT id FROM vault_kv_blob WHERE (store_id, id) NOT IN"
                                        + " (SELECT store_id, blob_id FROM vault_kv_entry WHERE blob_id IS NOT NULL)"))
                        .as(context + ": blobs no entry points at")
                        .isEmpty();
                assertThat(rows(
                                s,
                                "SELECT blob_id, seq FROM vault_kv_chunk WHERE (store_id, blob_id) NOT IN"
                                        + " (SELECT store_id, id FROM vault_kv_blob)"))
                        .as(context + ": orphan chunks")
                        .isEmpty();
                // The element chunks hold exactly the column's length in slots (12 bytes for str).
                assertThat(
                                rows(
                                        s,
                                        "SELECT c.name, c.length, k.bytes FROM vault_column c LEFT JOIN"
                                                + " (SELECT column_id, sum(length(data)) AS bytes FROM vault_column_chunk GROUP BY column_id) k"
                                                + " ON k.column_id = c.id WHERE coalesce(k.bytes, 0)"
                                                + " <> c.length * (CASE c.element_size WHEN 0 THEN 12 ELSE c.element_size END)"))
                        .as(context + ": columns whose chunks do not hold their length")
                        .isEmpty();
                assertThat(
                                rows(
                                        s,
                                        "SELECT column_id, seq FROM vault_column_chunk WHERE column_id NOT IN"
                                                + " (SELECT id FROM vault_column) UNION ALL SELECT column_id, seq"
                                                + " FROM vault_column_heap WHERE column_id NOT IN (SELECT id FROM vault_column)"))
                        .as(context + ": chunks of columns that are gone")
                        .isEmpty();
            }
            return null;
        });
    }

    private static List<String> rows(Statement s, String sql) throws java.sql.SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "," : "").append(r.getString(i));
                }
                out.add(row.toString());
            }
        }
        return out;
    }

    // ---- the data: every byte follows from (key, version) or from the element's index ----

    static byte[] value(String key, long version) {
        Random r = new Random(key.hashCode() * 0x9E3779B97F4A7C15L ^ version);
        int size;
        if (key.startsWith("L")) {
            size = 20_000 + r.nextInt(80_000);
        } else if (r.nextInt(5) == 0) {
            size = CHUNK_SIZE - 100 + r.nextInt(4000); // around and over one chunk
        } else {
            size = r.nextInt(300);
        }
        byte[] b = new byte[size];
        r.nextBytes(b);
        return b;
    }

    static long intAt(long i) {
        return i * 0x9E3779B97F4A7C15L ^ (i >>> 7);
    }

    static String strAt(long i) {
        return "e" + i + ":" + "ü€\uD834\uDD1E".repeat((int) (i % 7)) + "x".repeat((int) (i * 31 % 200));
    }

    /** One write the child announced: what each key and column holds if it landed. */
    record Intent(long op, boolean atomic, Map<String, Long> puts, List<String> deletes, Map<String, Long> columns) {
        static @Nullable Intent parse(String line) {
            // "I <op> <T|B|S> item... $", item: p:key:version | d:key | c:column:newLength
            String[] parts = line.split(" ");
            if (parts.length < 4 || !parts[parts.length - 1].equals("$")) {
                return null; // cut short by the kill: the write had not started
            }
            Map<String, Long> puts = new LinkedHashMap<>();
            List<String> deletes = new ArrayList<>();
            Map<String, Long> columns = new LinkedHashMap<>();
            for (int i = 3; i < parts.length - 1; i++) {
                if (parts[i].isEmpty()) {
                    continue;
                }
                String[] item = parts[i].split(":");
                switch (item[0]) {
                    case "p" -> puts.put(item[1], Long.parseLong(item[2]));
                    case "d" -> deletes.add(item[1]);
                    case "c" -> columns.put(item[1], Long.parseLong(item[2]));
                    default -> throw new AssertionError("bad intent item " + parts[i] + " in " + line);
                }
            }
            return new Intent(Long.parseLong(parts[1]), parts[2].equals("T"), puts, deletes, columns);
        }
    }

    /** What the file must hold: the acknowledged state, built from the children's lines. */
    static final class Model {
        /** Key to its acknowledged version; absent: deleted or never written. */
        final Map<String, Long> keys = new TreeMap<>();

        long ints;
        long strs;
        long acknowledged;

        /**
         * Applies the acknowledged intents of one child, in order.
         *
         * @return the intent in flight when the child died, or null
         */
        @Nullable
        Intent replay(List<String> lines, String context) {
            Intent open = null;
            for (String line : lines) {
                if (line.startsWith("R ")) {
                    String[] parts = line.split(" ");
                    if (parts.length == 4 && parts[3].equals("$")) {
                        assertThat(Long.parseLong(parts[1]))
                                .as(context + ": ints length the child found")
                                .isEqualTo(ints);
                        assertThat(Long.parseLong(parts[2]))
                                .as(context + ": strs length the child found")
                                .isEqualTo(strs);
                    }
                } else if (line.startsWith("I ")) {
                    assertThat(open)
                            .as(context + ": an intent before the previous one's ack")
                            .isNull();
                    open = Intent.parse(line);
                } else if (line.startsWith("A ")) {
                    String[] parts = line.split(" ");
                    if (parts.length != 3 || !parts[2].equals("$")) {
                        continue; // cut short: the write stays in flight
                    }
                    assertThat(open)
                            .as(context + ": an ack without an intent: " + line)
                            .isNotNull();
                    assertThat(Long.parseLong(parts[1]))
                            .as(context + ": ack of the open intent")
                            .isEqualTo(open.op());
                    apply(open);
                    acknowledged++;
                    open = null;
                } else if (!line.isBlank()) {
                    throw new AssertionError(context + ": unexpected line from the child: " + line);
                }
            }
            return open;
        }

        private void apply(Intent intent) {
            intent.deletes().forEach(keys::remove);
            keys.putAll(intent.puts());
            ints = intent.columns().getOrDefault(INTS, ints);
            strs = intent.columns().getOrDefault(STRS, strs);
        }

        /**
         * Checks the file against the model, then makes the model what the file holds.
         *
         * @return whether the write in flight landed (in part, for a non-atomic batch)
         */
        boolean check(Vault vault, @Nullable Intent inFlight, String context) {
            KVault kv = vault.kv();
            List<Boolean> landed = new ArrayList<>();
            Map<String, Long> after = new TreeMap<>(keys);
            TreeSet<String> universe = new TreeSet<>(keys.keySet());
            for (int i = 0; i < SMALL_KEYS; i++) {
                universe.add(smallKey(i));
            }
            for (int i = 0; i < LARGE_KEYS; i++) {
                universe.add(largeKey(i));
            }
            universe.add(PARENT_KEY);
            for (String key : universe) {
                byte[] actual = kv.get(key);
                Long acked = keys.get(key);
                boolean touched = inFlight != null
                        && (inFlight.puts().containsKey(key)
                                || inFlight.deletes().contains(key));
                Long candidate = touched ? inFlight.puts().get(key) : acked;
                boolean isOld = matches(actual, key, acked);
                boolean isNew = matches(actual, key, candidate);
                if (!isOld && !isNew) {
                    throw new AssertionError(context + ": key " + key + " holds " + describe(actual)
                            + ", neither its acknowledged version " + acked + " (" + describe(key, acked) + ")"
                            + (touched
                                    ? " nor the one in flight " + candidate + " (" + describe(key, candidate) + ")"
                                    : " (no write to it was in flight)"));
                }
                if (touched && isOld != isNew) {
                    landed.add(isNew);
                }
                if (actual == null) {
                    after.remove(key);
                } else {
                    after.put(key, isNew ? candidate : acked);
                }
            }
            assertThat(new TreeSet<>(toList(kv.keys())))
                    .as(context + ": the keys in the store")
                    .isEqualTo(after.keySet());
            assertThat(kv.size()).as(context + ": size()").isEqualTo(after.size());

            LongColumn intColumn = vault.column(INTS, ColumnType.I64);
            StringColumn strColumn = vault.column(STRS, ColumnType.STRING);
            long intLength = checkLength(intColumn.length(), INTS, ints, inFlight, landed, context);
            long strLength = checkLength(strColumn.length(), STRS, strs, inFlight, landed, context);
            long[] longs = intColumn.getLongs(0, intLength);
            for (int i = 0; i < longs.length; i++) {
                if (longs[i] != intAt(i)) {
                    throw new AssertionError(
                            context + ": ints[" + i + "] of " + intLength + " is " + longs[i] + ", not " + intAt(i));
                }
            }
            List<String> strings = strColumn.getRange(0, strLength);
            for (int i = 0; i < strings.size(); i++) {
                if (!strings.get(i).equals(strAt(i))) {
                    throw new AssertionError(context + ": strs[" + i + "] of " + strLength + " is '" + strings.get(i)
                            + "', not '" + strAt(i) + "'");
                }
            }
            if (inFlight != null && inFlight.atomic()) {
                assertThat(new TreeSet<>(landed))
                        .as(context + ": a transaction landed whole or not at all: " + inFlight)
                        .hasSizeLessThanOrEqualTo(1);
            }
            keys.clear();
            keys.putAll(after);
            ints = intLength;
            strs = strLength;
            return landed.contains(true);
        }

        private static long checkLength(
                long actual,
                String column,
                long acked,
                @Nullable Intent inFlight,
                List<Boolean> landed,
                String context) {
            Long candidate = inFlight == null ? null : inFlight.columns().get(column);
            if (actual == acked && (candidate == null || candidate == acked)) {
                return actual;
            }
            if (candidate != null && (actual == acked || actual == candidate)) {
                landed.add(actual == candidate);
                return actual;
            }
            throw new AssertionError(context + ": column " + column + " has " + actual + " elements; acknowledged "
                    + acked
                    + (candidate == null ? ", none in flight" : ", " + candidate + " if the write in flight landed"));
        }

        private static boolean matches(byte @Nullable [] actual, String key, @Nullable Long version) {
            return version == null ? actual == null : actual != null && Arrays.equals(actual, value(key, version));
        }

        private static String describe(byte @Nullable [] b) {
            return b == null ? "nothing" : b.length + " bytes";
        }

        private static String describe(String key, @Nullable Long version) {
            return version == null ? "absent" : value(key, version).length + " bytes";
        }

        private static List<String> toList(Iterable<String> it) {
            List<String> out = new ArrayList<>();
            it.forEach(out::add);
            return out;
        }
    }

    static String smallKey(int i) {
        return "s" + i;
    }

    static String largeKey(int i) {
        return "L" + i;
    }

    /** Hands out a value in pieces of random size, as a socket or a slow file would. */
    static final class PiecewiseStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private int position;

        PiecewiseStream(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(5000)), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }

    /**
     * The child: opens the file, prints {@code R <ints> <strs> $}, then writes until killed. Each
     * write is announced by {@code I <op> <kind> item... $} before it starts and acknowledged by
     * {@code A <op> $} after the call that commits it returned.
     */
    public static final class Writer {
        private final Vault vault;
        private final KVault kv;
        private final LongColumn ints;
        private final StringColumn strs;
        private final Random random;
        private final long round;
        private final PrintStream out = System.out;
        private long op;

        private Writer(Vault vault, long seed, long round) {
            this.vault = vault;
            this.kv = vault.kv();
            this.ints = vault.column(INTS, ColumnType.I64);
            this.strs = vault.column(STRS, ColumnType.STRING);
            this.random = new Random(seed);
            this.round = round;
        }

        /**
         * @param args the vault's address (a file or a URL), the seed, the round (which makes versions unique)
         */
        public static void main(String[] args) throws Exception {
            Vault vault = open(args[0]);
            Writer writer = new Writer(vault, Long.parseLong(args[1]), Long.parseLong(args[2]));
            writer.run();
            System.exit(3); // never killed: the parent will say so
        }

        private void run() {
            boolean cached = random.nextInt(3) == 0;
            if (cached) {
                vault.withCache(64L << 20, 32L << 20);
            }
            out.println("R " + ints.length() + " " + strs.length() + " $");
            out.flush();
            long end = System.currentTimeMillis() + CHILD_LIFETIME_MS;
            while (System.currentTimeMillis() < end) {
                op++;
                if (random.nextInt(6) == 0) {
                    transaction();
                } else if (cached) {
                    cachedBatch();
                } else {
                    single();
                }
            }
        }

        private long version() {
            return version(0);
        }

        /** @return the version of the {@code w}th write of the current op */
        private long version(int w) {
            return round * VERSIONS_PER_ROUND + op * 100 + w;
        }

        private String anyKey() {
            return random.nextInt(4) == 0 ? largeKey(random.nextInt(LARGE_KEYS)) : smallKey(random.nextInt(SMALL_KEYS));
        }

        /** One write, committed by its own call. */
        private void single() {
            int kind = random.nextInt(100);
            if (kind < 35) {
                String key = smallKey(random.nextInt(SMALL_KEYS));
                announce("S", "p:" + key + ":" + version());
                kv.put(key, value(key, version()));
            } else if (kind < 55) {
                String key = largeKey(random.nextInt(LARGE_KEYS));
                announce("S", "p:" + key + ":" + version());
                putStreamed(key, version());
            } else if (kind < 65) {
                String key = anyKey();
                announce("S", "d:" + key);
                kv.delete(key);
            } else if (kind < 85) {
                long[] values = intsFrom(ints.length(), 1 + random.nextInt(300));
                announce("S", "c:" + INTS + ":" + (ints.length() + values.length));
                ints.extend(values);
            } else {
                List<String> values = strsFrom(strs.length(), 1 + random.nextInt(20));
                announce("S", "c:" + STRS + ":" + (strs.length() + values.size()));
                if (values.size() == 1) {
                    strs.append(values.get(0));
                } else {
                    strs.extend(values);
                }
            }
            acknowledge();
        }

        /** Writes to the write-back cache, acknowledged once the flushCache() that commits them returns. */
        private void cachedBatch() {
            int writes = 1 + random.nextInt(12);
            Map<String, Long> puts = new LinkedHashMap<>();
            List<String> deletes = new ArrayList<>();
            long intLength = ints.length();
            long strLength = strs.length();
            List<Runnable> work = new ArrayList<>();
            for (int w = 0; w < writes; w++) {
                int kind = random.nextInt(100);
                if (kind < 60) {
                    String key = anyKey();
                    if (puts.containsKey(key) || deletes.contains(key)) {
                        continue; // one write per key and batch: each lands whole or not
                    }
                    if (kind < 10) {
                        deletes.add(key);
                        work.add(() -> kv.delete(key));
                    } else {
                        long version = version(w); // distinct per write of the batch
                        puts.put(key, version);
                        work.add(() -> kv.put(key, value(key, version)));
                    }
                } else if (kind < 85) {
                    long[] values = intsFrom(intLength, 1 + random.nextInt(100));
                    intLength += values.length;
                    work.add(() -> ints.extend(values));
                } else {
                    List<String> values = strsFrom(strLength, 1 + random.nextInt(10));
                    strLength += values.size();
                    work.add(() -> values.forEach(strs::append));
                }
            }
            List<String> items = new ArrayList<>();
            puts.forEach((k, v) -> items.add("p:" + k + ":" + v));
            deletes.forEach(k -> items.add("d:" + k));
            if (intLength != ints.length()) {
                items.add("c:" + INTS + ":" + intLength);
            }
            if (strLength != strs.length()) {
                items.add("c:" + STRS + ":" + strLength);
            }
            announce("B", items.toArray(String[]::new));
            work.forEach(Runnable::run);
            vault.flushCache();
            acknowledge();
        }

        /** A vault.transaction mixing key-value writes and column appends: all of it or none. */
        private void transaction() {
            Map<String, @Nullable Long> finalState = new LinkedHashMap<>();
            long intLength = ints.length();
            long strLength = strs.length();
            List<Runnable> work = new ArrayList<>();
            int writes = 1 + random.nextInt(6);
            for (int w = 0; w < writes; w++) {
                int kind = random.nextInt(100);
                if (kind < 30) {
                    String key = smallKey(random.nextInt(SMALL_KEYS));
                    long version = version(w);
                    finalState.remove(key);
                    finalState.put(key, version);
                    work.add(() -> kv.put(key, value(key, version)));
                } else if (kind < 45) {
                    String key = largeKey(random.nextInt(LARGE_KEYS));
                    long version = version(w);
                    finalState.remove(key);
                    finalState.put(key, version);
                    work.add(() -> putStreamed(key, version));
                } else if (kind < 55) {
                    String key = anyKey();
                    finalState.remove(key);
                    finalState.put(key, null);
                    work.add(() -> kv.delete(key));
                } else if (kind < 80) {
                    long[] values = intsFrom(intLength, 1 + random.nextInt(200));
                    intLength += values.length;
                    work.add(() -> ints.extend(values));
                } else {
                    List<String> values = strsFrom(strLength, 1 + random.nextInt(10));
                    strLength += values.size();
                    work.add(() -> strs.extend(values));
                }
            }
            List<String> items = new ArrayList<>();
            finalState.forEach((k, v) -> items.add(v == null ? "d:" + k : "p:" + k + ":" + v));
            if (intLength != ints.length()) {
                items.add("c:" + INTS + ":" + intLength);
            }
            if (strLength != strs.length()) {
                items.add("c:" + STRS + ":" + strLength);
            }
            announce("T", items.toArray(String[]::new));
            vault.transaction(() -> work.forEach(Runnable::run));
            acknowledge();
        }

        private void putStreamed(String key, long version) {
            byte[] data = value(key, version);
            kv.putFile(key, new PiecewiseStream(data, version));
        }

        private static long[] intsFrom(long from, int n) {
            long[] values = new long[n];
            for (int i = 0; i < n; i++) {
                values[i] = intAt(from + i);
            }
            return values;
        }

        private static List<String> strsFrom(long from, int n) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                values.add(strAt(from + i));
            }
            return values;
        }

        private void announce(String kind, String... items) {
            out.println("I " + op + " " + kind + " " + String.join(" ", items) + " $");
            out.flush();
        }

        private void acknowledge() {
            out.println("A " + op + " $");
            out.flush();
        }
    }
}
