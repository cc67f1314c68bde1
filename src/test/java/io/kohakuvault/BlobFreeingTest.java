package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.internal.tools.VaultVerifier;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine frees what a write orphans, in the same transaction as the write (schema version 4 has
 * no triggers): after every kind of write, with the write-back cache on and off, in transactions that
 * commit and that roll back, no blob is left that no entry points at, no chunk of a blob or column
 * that is gone, and every value stored reads back. All on real files, checked with SQL on the tables
 * themselves.
 */
class BlobFreeingTest {
    /** Values above this many bytes are chunked: small, so that chunked values are cheap to make. */
    private static final int CHUNK = 1024;

    private static final ChunkSizes COLUMN_CHUNKS = ChunkSizes.of(64, 256);

    @TempDir
    Path dir;

    /** Whether the vault's write-back cache is on. */
    enum Cache {
        OFF,
        ON
    }

    private Vault open(Cache cache) {
        return open(cache, "v.db");
    }

    private Vault open(Cache cache, String file) {
        Vault vault = Vault.builder(dir.resolve(file))
                .chunkSize(CHUNK)
                .columnChunkSizes(COLUMN_CHUNKS)
                .open();
        return cache == Cache.ON ? vault.withCache(1 << 20, 256 << 10) : vault;
    }

    private static byte[] chunked(long seed) {
        return bytes(CHUNK * 3 + 17, seed);
    }

    private static byte[] inline(long seed) {
        return bytes(100, seed);
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void put_overChunked_withChunkedOrInline_freesTheOldBlob(Cache cache) {
        try (Vault vault = open(cache)) {
            KVault kv = vault.kv();
            Map<String, byte[]> expected = new TreeMap<>();
            for (int i = 0; i < 4; i++) {
                put(kv, expected, "k" + i, chunked(i));
            }
            vault.flushCache();
            assertClean(vault, expected, "four chunked values");

            put(kv, expected, "k0", chunked(10)); // chunked over chunked
            put(kv, expected, "k1", inline(11)); // inline over chunked
            put(kv, expected, "k2", new byte[0]); // empty over chunked
            put(kv, expected, "k3", bytes(CHUNK, 13)); // exactly one chunk (inline) over chunked
            vault.flushCache();
            assertClean(vault, expected, "chunked values replaced");
            assertThat(Inspect.blobRows(vault)).isEqualTo(1);

            put(kv, expected, "k1", chunked(21)); // chunked over inline
            put(kv, expected, "k4", inline(22)); // inline over nothing
            put(kv, expected, "k4", inline(23)); // inline over inline
            vault.flushCache();
            assertClean(vault, expected, "chunked over inline, inline over inline");
            assertThat(Inspect.blobRows(vault)).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void putAll_overChunkedValues_inBatchesOfManyRows_freesTheirBlobs(Cache cache) {
        try (Vault vault = open(cache)) {
            KVault kv = vault.kv();
            Map<String, byte[]> expected = new TreeMap<>();
            // Every 10th of 200 keys chunked, so that each batch of 64 inline rows meets a few of them.
            for (int i = 0; i < 200; i++) {
                put(kv, expected, key(i), i % 10 == 0 ? chunked(i) : inline(i));
            }
            vault.flushCache();
            assertClean(vault, expected, "200 keys, 20 chunked");

            // Inline over all of them: three full statements of 64 rows, each over a few chunked keys.
            Map<String, byte[]> all = new LinkedHashMap<>();
            for (int i = 0; i < 200; i++) {
                all.put(key(i), inline(1000 + i));
            }
            kv.putAll(all);
            expected.putAll(all);
            assertClean(vault, expected, "putAll of inline values over them");
            assertThat(Inspect.blobRows(vault)).isZero();

            // Chunked and inline mixed, over chunked and inline.
            all.clear();
            for (int i = 0; i < 200; i++) {
                all.put(key(i), i % 20 == 5 ? chunked(2000 + i) : inline(2000 + i));
            }
            kv.putAll(all);
            expected.putAll(all);
            all.clear();
            for (int i = 0; i < 200; i++) {
                all.put(key(i), i % 20 == 5 || i % 20 == 6 ? chunked(3000 + i) : inline(3000 + i));
            }
            kv.putAll(all);
            expected.putAll(all);
            assertClean(vault, expected, "putAll of mixed values over them");
            assertThat(Inspect.blobRows(vault)).isEqualTo(20);
        }
    }

    @Test
    void writeBackCacheFlush_ofInlineRowsOverChunkedKeys_freesTheirBlobs() {
        try (Vault vault = open(Cache.OFF)) {
            KVault kv = vault.kv();
            Map<String, byte[]> expected = new TreeMap<>();
            for (int i = 0; i < 150; i++) {
                put(kv, expected, key(i), i % 7 == 0 ? chunked(i) : inline(i));
            }
            kv.enableCache(1 << 20, 1 << 20);
            for (int i = 0; i < 150; i++) {
                put(kv, expected, key(i), inline(500 + i)); // every chunked key among full batches
            }
            for (int i = 0; i < 150; i += 3) {
                kv.delete(key(i)); // cached deletes, chunked ones among them
                expected.remove(key(i));
            }
            assertThat(Inspect.blobRows(vault)).as("nothing flushed yet").isEqualTo(22);
            assertThat(kv.flushCache()).isEqualTo(150);
            assertClean(vault, expected, "flushed");
            assertThat(Inspect.blobRows(vault)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void streams_overChunked_freeTheOldBlob(Cache cache) throws Exception {
        try (Vault vault = open(cache)) {
            KVault kv = vault.kv();
            Map<String, byte[]> expected = new TreeMap<>();
            for (String k : List.of("file", "sized", "unsized", "small")) {
                put(kv, expected, k, chunked(k.hashCode()));
            }
            vault.flushCache();

            byte[] fromFile = chunked(1);
            Path in = dir.resolve("in.bin");
            Files.write(in, fromFile);
            kv.putFile("file", in);
            expected.put("file", fromFile);
            byte[] sized = chunked(2);
            kv.putFile("sized", new ByteArrayInputStream(sized), sized.length);
            expected.put("sized", sized);
            byte[] unsized = bytes(CHUNK * 2, 3); // exactly two chunks, size unknown
            kv.putFile("unsized", new ByteArrayInputStream(unsized));
            expected.put("unsized", unsized);
            byte[] small = inline(4); // a stream that turns out to fit inline
            kv.putFile("small", new ByteArrayInputStream(small));
            expected.put("small", small);
            assertClean(vault, expected, "streamed over chunked values");

            // A stream that fails half way leaves the old value, and no new blob or chunk behind.
            assertThatThrownBy(() -> kv.putFile("file", new ByteArrayInputStream(chunked(5)), CHUNK * 10L))
                    .isInstanceOf(InvalidArgumentException.class);
            assertClean(vault, expected, "after a failed stream");
        }
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void delete_ofChunkedInlineAndAbsentKeys_freesBlobs_andSaysWhetherTheyExisted(Cache cache) {
        try (Vault vault = open(cache)) {
            KVault kv = vault.kv();
            Map<String, byte[]> expected = new TreeMap<>();
            put(kv, expected, "chunked", chunked(1));
            put(kv, expected, "inline", inline(2));
            put(kv, expected, "kept", chunked(3));
            vault.flushCache();

            assertThat(kv.delete("chunked")).isTrue();
            assertThat(kv.delete("inline")).isTrue();
            assertThat(kv.delete("absent")).isFalse();
            assertThat(kv.delete("chunked")).isFalse();
            expected.remove("chunked");
            expected.remove("inline");
            vault.flushCache();
            assertClean(vault, expected, "deleted");
            assertThat(Inspect.blobRows(vault)).isEqualTo(1);
            assertThat(kv.asMap().remove("kept")).isNotNull();
            expected.remove("kept");
            vault.flushCache();
            assertClean(vault, expected, "removed through the map view");
            assertThat(Inspect.blobRows(vault)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void clear_freesEveryBlobOfTheStore_andNoneOfAnother(Cache cache) {
        try (Vault vault = open(cache)) {
            KVault a = vault.kv();
            KVault b = vault.kv("other");
            Map<String, byte[]> inA = new TreeMap<>();
            Map<String, byte[]> inB = new TreeMap<>();
            for (int i = 0; i < 10; i++) {
                put(a, inA, key(i), i % 2 == 0 ? chunked(i) : inline(i));
                put(b, inB, key(i), i % 3 == 0 ? chunked(100 + i) : inline(100 + i));
            }
            vault.flushCache();
            a.clear();
            inA.clear();
            assertClean(vault, Map.of(), "cleared");
            assertThat(b.size()).isEqualTo(10);
            for (Map.Entry<String, byte[]> e : inB.entrySet()) {
                assertThat(b.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
            assertThat(Inspect.blobRows(vault)).isEqualTo(4);
            a.put("again", chunked(7));
            assertThat(a.get("again")).isEqualTo(chunked(7));
            vault.flushCache();
            assertNoOrphans(vault, "a store cleared and written again");
        }
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void deleteColumn_freesItsChunksAndHeap_andNoneOfAnother(Cache cache) {
        try (Vault vault = open(cache)) {
            StringColumn strings = vault.column("strings", ColumnType.STRING);
            LongColumn longs = vault.column("longs", ColumnType.I64);
            StringColumn kept = vault.column("kept", ColumnType.STRING);
            for (int i = 0; i < 300; i++) {
                strings.append("string number " + i);
                longs.append(i);
                kept.append("kept " + i);
            }
            vault.flushCache();
            assertThat(vault.columns().deleteColumn("strings")).isTrue();
            assertThat(vault.columns().deleteColumn("longs")).isTrue();
            assertThat(vault.columns().deleteColumn("longs")).isFalse();
            assertNoOrphans(vault, "two columns deleted");
            assertThat(ColumnFixtures.chunkRows(vault)).isPositive();
            StringColumn reread = vault.column("kept", ColumnType.STRING);
            assertThat(reread.size()).isEqualTo(300);
            assertThat(reread.get(299)).isEqualTo("kept 299");
            // A column made again under a deleted one's name starts empty.
            assertThat(vault.column("strings", ColumnType.STRING).size()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void aTransactionThatRollsBack_keepsEveryOldBlob_andOneThatCommits_freesThem(Cache cache) {
        try (Vault vault = open(cache)) {
            KVault kv = vault.kv();
            KVault other = vault.kv("other");
            Map<String, byte[]> expected = new TreeMap<>();
            for (int i = 0; i < 6; i++) {
                put(kv, expected, key(i), chunked(i));
            }
            other.put("x", chunked(99));
            LongColumn longs = vault.column("longs", ColumnType.I64);
            for (int i = 0; i < 100; i++) {
                longs.append(i);
            }
            vault.flushCache();
            int chunkRows = ColumnFixtures.chunkRows(vault);

            IllegalStateException undo = new IllegalStateException("undo");
            assertThatThrownBy(() -> vault.transaction(() -> {
                        writeOverEverything(vault);
                        throw undo;
                    }))
                    .isSameAs(undo);
            assertClean(vault, expected, "rolled back");
            assertThat(other.get("x")).isEqualTo(chunked(99));
            assertThat(Inspect.blobRows(vault)).isEqualTo(7);
            assertThat(ColumnFixtures.chunkRows(vault)).isEqualTo(chunkRows);
            assertThat(vault.column("longs", ColumnType.I64).getLong(99)).isEqualTo(99L);

            vault.transaction(() -> writeOverEverything(vault));
            expected.clear();
            expected.put(key(0), chunked(50));
            expected.put(key(1), inline(51));
            expected.put(key(3), chunked(53));
            expected.put(key(4), inline(54));
            assertClean(vault, expected, "committed");
            assertThat(other.size()).isZero();
            assertThat(vault.columns().listColumns()).isEmpty();
            assertThat(ColumnFixtures.chunkRows(vault)).isZero();
        }
    }

    /** Every kind of write that orphans a blob or chunks, inside a transaction (nested ones too). */
    private static void writeOverEverything(Vault vault) {
        KVault kv = vault.kv();
        kv.put(key(0), chunked(50)); // chunked over chunked
        kv.put(key(1), inline(51)); // inline over chunked (held back, written at the next statement)
        kv.delete(key(2)); // a chunked value deleted
        kv.putFile(key(3), new ByteArrayInputStream(chunked(53))); // streamed over chunked
        vault.transaction(() -> kv.putAll(Map.of(key(4), inline(54), key(5), inline(55)))); // nested
        kv.delete(key(5));
        vault.kv("other").clear();
        vault.columns().deleteColumn("longs");
    }

    @Test
    void aRolledBackTransaction_ofInlineOverChunkedDeleteAndClear_keepsBothBlobs() {
        try (Vault vault = open(Cache.OFF)) {
            KVault kv = vault.kv();
            kv.put("a", chunked(1));
            kv.put("b", chunked(2));
            assertThatThrownBy(() -> vault.transaction(() -> {
                        kv.put("a", inline(3));
                        kv.delete("b");
                        kv.clear();
                        throw new IllegalStateException("no");
                    }))
                    .isInstanceOf(IllegalStateException.class);
            assertClean(vault, Map.of("a", chunked(1), "b", chunked(2)), "rolled back");
        }
    }

    /**
     * A seeded random sequence of a few hundred writes of every kind (chunked and inline puts,
     * streams, putAll, deletes, clears, column deletes, transactions that commit or roll back, cache
     * flushes), against a plain map: after each step the vault holds exactly the map, and after
     * each write that reached the file, nothing orphaned.
     */
    @ParameterizedTest
    @EnumSource(Cache.class)
    void randomWrites_matchAMap_andLeaveNothingOrphaned(Cache cache) {
        for (long seed : new long[] {1, 2, 3}) {
            String file = "random-" + seed + ".db";
            try (Vault vault = open(cache, file)) {
                new RandomRun(vault, seed).run(300);
            }
            try (Vault vault = open(cache, file)) {
                assertNoOrphans(vault, "seed " + seed + ", reopened");
            }
        }
    }

    private static final class RandomRun {
        private final Vault vault;
        private final Random random;
        private final long seed;
        private final Map<String, Map<String, byte[]>> stores = new TreeMap<>();
        private final Map<String, Integer> columns = new TreeMap<>();

        RandomRun(Vault vault, long seed) {
            this.vault = vault;
            this.random = new Random(seed);
            this.seed = seed;
            stores.put("kvault", new TreeMap<>());
            stores.put("b", new TreeMap<>());
        }

        void run(int ops) {
            for (int op = 0; op < ops; op++) {
                String step = "seed " + seed + " op " + op;
                int kind = random.nextInt(20);
                if (kind == 19) {
                    transaction(step);
                } else {
                    write(kind, step);
                }
                check(step);
            }
        }

        private void transaction(String step) {
            Map<String, Map<String, byte[]>> before = copy(stores);
            Map<String, Integer> columnsBefore = new TreeMap<>(columns);
            boolean rollBack = random.nextBoolean();
            int writes = 1 + random.nextInt(6);
            try {
                vault.transaction(() -> {
                    for (int i = 0; i < writes; i++) {
                        write(random.nextInt(19), step + " in a transaction");
                    }
                    if (rollBack) {
                        throw new IllegalStateException("roll back");
                    }
                });
            } catch (IllegalStateException e) {
                stores.clear();
                stores.putAll(before);
                columns.clear();
                columns.putAll(columnsBefore);
            }
        }

        private void write(int kind, String step) {
            String storeName = random.nextBoolean() ? "kvault" : "b";
            KVault kv = vault.kv(storeName);
            Map<String, byte[]> model = stores.get(storeName);
            String key = "k" + random.nextInt(12);
            byte[] value = random.nextBoolean()
                    ? bytes(random.nextInt(CHUNK * 4), random.nextLong())
                    : bytes(random.nextInt(200), random.nextLong());
            switch (kind) {
                case 0, 1, 2, 3, 4, 5 -> {
                    kv.put(key, value);
                    model.put(key, value);
                }
                case 6, 7 -> {
                    if (random.nextBoolean()) {
                        kv.putFile(key, new ByteArrayInputStream(value), value.length);
                    } else {
                        kv.putFile(key, new ByteArrayInputStream(value));
                    }
                    model.put(key, value);
                }
                case 8, 9, 10 -> assertThat(kv.delete(key)).as(step).isEqualTo(model.remove(key) != null);
                case 11, 12 -> {
                    Map<String, byte[]> batch = new TreeMap<>();
                    for (int i = random.nextInt(80); i >= 0; i--) {
                        batch.put(
                                "k" + random.nextInt(70),
                                random.nextInt(8) == 0 ? value : bytes(30, random.nextLong()));
                    }
                    kv.putAll(batch);
                    model.putAll(batch);
                }
                case 13 -> {
                    if (random.nextInt(4) == 0) {
                        kv.clear();
                        model.clear();
                    }
                }
                case 14, 15 -> {
                    String name = "c" + random.nextInt(3);
                    StringColumn column = vault.column(name, ColumnType.STRING);
                    int n = 1 + random.nextInt(40);
                    for (int i = 0; i < n; i++) {
                        column.append("element " + i + " of " + step);
                    }
                    columns.merge(name, n, Integer::sum);
                }
                case 16 -> {
                    String name = "c" + random.nextInt(3);
                    assertThat(vault.columns().deleteColumn(name)).as(step).isEqualTo(columns.remove(name) != null);
                }
                case 17 -> vault.flushCache();
                default -> {
                    if (!vault.isClosed() && model.containsKey(key)) {
                        assertThat(kv.get(key)).as(step).isEqualTo(model.get(key));
                    }
                }
            }
        }

        private void check(String step) {
            vault.flushCache();
            for (Map.Entry<String, Map<String, byte[]>> store : stores.entrySet()) {
                KVault kv = vault.kv(store.getKey());
                assertThat(kv.size())
                        .as(step + " size of " + store.getKey())
                        .isEqualTo(store.getValue().size());
                for (Map.Entry<String, byte[]> e : store.getValue().entrySet()) {
                    assertThat(kv.get(e.getKey())).as(step + " " + e.getKey()).isEqualTo(e.getValue());
                }
            }
            for (Map.Entry<String, Integer> c : columns.entrySet()) {
                assertThat(vault.column(c.getKey(), ColumnType.STRING).size())
                        .as(step + " column " + c.getKey())
                        .isEqualTo((long) c.getValue());
            }
            assertNoOrphans(vault, step);
        }

        private static Map<String, Map<String, byte[]>> copy(Map<String, Map<String, byte[]>> stores) {
            Map<String, Map<String, byte[]>> copy = new TreeMap<>();
            stores.forEach((name, entries) -> copy.put(name, new TreeMap<>(entries)));
            return copy;
        }
    }

    @Test
    void verifier_findsNoDamageOnAHealthyFile_andReportsRowsLeftBehind() throws Exception {
        try (Vault vault = open(Cache.OFF)) {
            vault.kv().put("big", chunked(1));
            vault.kv().put("big", chunked(2));
            vault.kv().put("small", inline(3));
            vault.column("s", ColumnType.STRING).append("x");
            vault.columns().deleteColumn("s");
            List<String> damage = new ArrayList<>();
            VaultVerifier.verify(vault.database(), (where, what) -> damage.add(where + ": " + what));
            assertThat(damage).isEmpty();
            // Rows written around the engine: what a bug would leave behind.
            vault.database().withWriter(c -> {
                try (Statement s = c.jdbc().createStatement()) {
                    s.execute("INSERT INTO vault_kv_blob (store_id, size, chunk_count) VALUES (1, 5, 1)");
                    s.execute("INSERT INTO vault_kv_chunk (store_id, blob_id, seq, data) VALUES (1, 99999, 0, x'00')");
                    s.execute("INSERT INTO vault_column_heap (column_id, seq, data) VALUES (99999, 0, x'00')");
                }
                return null;
            });
            VaultVerifier.verify(vault.database(), (where, what) -> damage.add(where + ": " + what));
            assertThat(damage)
                    .containsExactly(
                            "the file: 1 chunked values (5 bytes) that no key points at, left behind",
                            "the file: 1 chunks of chunked values that are gone, left behind",
                            "the file: 1 heap chunks of columns that are gone, left behind");
        }
    }

    private static String key(int i) {
        return String.format("key%04d", i);
    }

    private static void put(KVault kv, Map<String, byte[]> expected, String key, byte[] value) {
        kv.put(key, value);
        expected.put(key, value);
    }

    /** Every value of the default store reads back as {@code expected}, and nothing is orphaned. */
    private static void assertClean(Vault vault, Map<String, byte[]> expected, String context) {
        KVault kv = vault.kv();
        assertThat(kv.size()).as(context + ": size").isEqualTo(expected.size());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertThat(kv.get(e.getKey())).as(context + ": " + e.getKey()).isEqualTo(e.getValue());
        }
        assertNoOrphans(vault, context);
    }

    /**
     * No blob that no entry of its store points at, no entry pointing at a missing blob, no blob
     * whose chunks do not add up, no chunk of a missing blob or column: asked of the tables with SQL.
     */
    static void assertNoOrphans(Vault vault, String context) {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put(
                "blobs no entry points at",
                "SELECT b.store_id, b.id FROM vault_kv_blob b WHERE NOT EXISTS (SELECT 1 FROM vault_kv_entry e"
                        + " WHERE e.store_id = b.store_id AND e.blob_id = b.id)");
        checks.put(
                "entries whose blob is missing",
                "SELECT e.store_id, e.blob_id FROM vault_kv_entry e WHERE e.blob_id IS NOT NULL AND NOT EXISTS"
                        + " (SELECT 1 FROM vault_kv_blob b WHERE b.store_id = e.store_id AND b.id = e.blob_id)");
        checks.put(
                "chunks of no blob",
                "SELECT c.store_id, c.blob_id, c.seq FROM vault_kv_chunk c WHERE NOT EXISTS"
                        + " (SELECT 1 FROM vault_kv_blob b WHERE b.store_id = c.store_id AND b.id = c.blob_id)");
        checks.put(
                "blobs whose chunks do not add up",
                "SELECT b.id FROM vault_kv_blob b LEFT JOIN (SELECT store_id, blob_id, count(*) AS n,"
                        + " sum(length(data)) AS bytes FROM vault_kv_chunk GROUP BY store_id, blob_id) c"
                        + " ON c.store_id = b.store_id AND c.blob_id = b.id"
                        + " WHERE c.n IS NOT b.chunk_count OR c.bytes IS NOT b.size");
        checks.put(
                "element chunks of no column",
                "SELECT column_id, seq FROM vault_column_chunk WHERE column_id NOT IN (SELECT id FROM vault_column)");
        checks.put(
                "heap chunks of no column",
                "SELECT column_id, seq FROM vault_column_heap WHERE column_id NOT IN (SELECT id FROM vault_column)");
        vault.database().withWriter(c -> {
            try (Statement s = c.jdbc().createStatement()) {
                for (Map.Entry<String, String> check : checks.entrySet()) {
                    List<String> found = new ArrayList<>();
                    try (ResultSet rows = s.executeQuery(check.getValue())) {
                        while (rows.next()) {
                            found.add(rows.getString(1) + "/" + rows.getString(2));
                        }
                    }
                    assertThat(found).as(context + ": " + check.getKey()).isEmpty();
                }
            }
            return null;
        });
    }
}
