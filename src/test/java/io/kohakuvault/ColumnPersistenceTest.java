package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.SMALL;
import static io.kohakuvault.ColumnFixtures.all;
import static io.kohakuvault.ColumnFixtures.chunkRows;
import static io.kohakuvault.ColumnFixtures.chunkSizes;
import static io.kohakuvault.ColumnFixtures.column;
import static io.kohakuvault.ColumnFixtures.heapRows;
import static io.kohakuvault.ColumnFixtures.heapSizes;
import static io.kohakuvault.ColumnFixtures.norm;
import static io.kohakuvault.ColumnFixtures.samples;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.ColumnFixtures.Kind;
import io.kohakuvault.ColumnFixtures.Setup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What reaches the file: every dtype survives close and reopen exactly, columns and key-value
 * stores share one file without interfering, deleting and clearing free their rows, and chunk
 * rows grow as ChunkSizes says.
 */
class ColumnPersistenceTest extends VaultTestBase {

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void everyDtype_survivesCloseAndReopen_exactly_afterInsertRemoveSet(Kind kind) {
        vault = Setup.FILE.open(dir);
        Random random = new Random(kind.ordinal());
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = new ArrayList<>(kind.specials());
        model.addAll(samples(kind, random, 50));
        column.extend(model);
        vault.close();

        vault = Setup.FILE.open(dir);
        column = column(vault, "c", kind);
        assertThat(norm(all(column))).isEqualTo(norm(model));
        column.add(0, model.get(3));
        model.add(0, model.get(3));
        column.add(20, model.get(4));
        model.add(20, model.get(4));
        column.remove(10);
        model.remove(10);
        column.remove(model.size() - 1);
        model.remove(model.size() - 1);
        Object value = kind.sample(random);
        column.set(7, value);
        model.set(7, value);
        column.append(value);
        model.add(value);
        vault.close();

        vault = Setup.FILE.open(dir);
        assertThat(vault.columns().listColumns()).containsExactly(new ColumnInfo("c", kind.type, model.size()));
        column = column(vault, "c", kind);
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(norm(new ArrayList<>(column))).isEqualTo(norm(model));
        assertThat(column.type()).isEqualTo(kind.type);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void writeBackCachedAppends_surviveClose(Kind kind) {
        vault = Setup.FILE_CACHED.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = samples(kind, new Random(9), 120);
        for (Object value : model) {
            column.append(value);
        }
        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(norm(all(column(vault, "c", kind)))).isEqualTo(norm(model));
    }

    @Test
    void columns_surviveOptimizeAndCheckpoint_andStayUsable() {
        vault = Setup.FILE.open(dir);
        LongColumn longs = vault.columns().column("longs", ColumnType.I64, SMALL);
        StringColumn strings = vault.columns().column("strings", ColumnType.STRING, SMALL);
        longs.extend(java.util.stream.LongStream.range(0, 500).toArray());
        for (int i = 0; i < 100; i++) {
            strings.append("s" + i);
        }
        vault.columns().deleteColumn("strings");
        StringColumn kept = vault.columns().column("kept", ColumnType.STRING, SMALL);
        kept.extend(List.of("a", "b"));
        assertThat(longs.getLongs(0, 500)).hasSize(500); // chunks cached before the file is rewritten
        vault.withCache(1 << 20, 1 << 20);
        longs.append(500); // cached: optimize flushes it first
        vault.checkpoint();
        vault.optimize();
        assertThat(longs.getLongs(0, 501))
                .containsExactly(java.util.stream.LongStream.range(0, 501).toArray());
        assertThat(kept).containsExactly("a", "b");
        longs.setLong(0, -1);
        kept.add(0, "z");
        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(vault.column("longs", ColumnType.I64).getLong(0)).isEqualTo(-1);
        assertThat(vault.column("longs", ColumnType.I64).length()).isEqualTo(501);
        assertThat(vault.column("kept", ColumnType.STRING)).containsExactly("z", "a", "b");
        assertThat(heapRows(vault)).isEqualTo(heapSizes(vault, "kept").size());
    }

    @Test
    void reopenedVault_listsColumnsWithTypeAndLength_beforeOpeningThem() {
        Path file = dir.resolve("v.db");
        try (Vault writer = Vault.open(file)) {
            writer.column("longs", ColumnType.I64).extend(1, 2, 3);
            writer.column("hashes", ColumnType.bytes(32)).append(new byte[32]);
            writer.column("names", ColumnType.STRING);
            writer.column("doubles", ColumnType.F64).extend(1.0, 2.0);
        }
        vault = Vault.open(file);
        assertThat(vault.columns().listColumns())
                .containsExactlyInAnyOrder(
                        new ColumnInfo("longs", ColumnType.I64, 3),
                        new ColumnInfo("hashes", ColumnType.bytes(32), 1),
                        new ColumnInfo("names", ColumnType.STRING, 0),
                        new ColumnInfo("doubles", ColumnType.F64, 2));
        assertThat(vault.columns().hasColumn("names")).isTrue();
        assertThat(vault.columns().hasColumn("Names")).isFalse();
        assertThat(vault.columns().column("hashes")).isInstanceOf(BytesColumn.class);
        assertThat(((BytesColumn) vault.columns().column("hashes")).fixedSize()).isEqualTo(32);
        assertThat(vault.columns().column("doubles"))
                .isInstanceOf(DoubleColumn.class)
                .isEqualTo(List.of(1.0, 2.0));
    }

    @Test
    void columnsAndKvStores_withTheSameNames_interleaved_neverInterfere() {
        vault = Setup.FILE.open(dir);
        StringColumn kvault = vault.column("kvault", ColumnType.STRING);
        BytesColumn media = vault.column("media", ColumnType.BYTES);
        LongColumn counts = vault.column("counts", ColumnType.I64);
        Map<String, byte[]> kvModel = new HashMap<>();
        Map<String, byte[]> mediaModel = new HashMap<>();
        List<String> strings = new ArrayList<>();
        List<byte[]> blobs = new ArrayList<>();
        List<Long> longs = new ArrayList<>();
        Random random = new Random(21);
        for (int i = 0; i < 150; i++) {
            String key = "k" + random.nextInt(40);
            byte[] value = VaultFixtures.bytes(random.nextInt(3000), i);
            vault.kv().put(key, value);
            kvModel.put(key, value);
            strings.add("s" + i);
            kvault.append("s" + i);
            vault.kv("media").put("media", value);
            mediaModel.put("media", value);
            blobs.add(value);
            media.append(value);
            counts.append(i);
            longs.add((long) i);
            if (i % 10 == 0) {
                String gone = "k" + random.nextInt(40);
                vault.kv().delete(gone);
                kvModel.remove(gone);
                counts.remove(0);
                longs.remove(0);
            }
            if (i % 25 == 0) {
                vault.transaction(() -> {
                    vault.kv().put("tx", utf8("t"));
                    counts.append(-1);
                });
                kvModel.put("tx", utf8("t"));
                longs.add(-1L);
            }
        }
        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(vault.kv().size()).isEqualTo(kvModel.size());
        for (Map.Entry<String, byte[]> e : kvModel.entrySet()) {
            assertThat(vault.kv().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(vault.kv("media").keys()).containsExactly("media");
        assertThat(vault.kv("media").get("media")).isEqualTo(mediaModel.get("media"));
        assertThat(vault.column("kvault", ColumnType.STRING)).isEqualTo(strings);
        assertThat(vault.column("media", ColumnType.BYTES)).isEqualTo(blobs);
        assertThat(vault.column("counts", ColumnType.I64)).isEqualTo(longs);
        // clearing or deleting one side leaves the other alone
        vault.kv().clear();
        vault.kv("media").clear();
        assertThat(vault.column("kvault", ColumnType.STRING)).isEqualTo(strings);
        assertThat(vault.column("media", ColumnType.BYTES)).isEqualTo(blobs);
        vault.kv().put("back", utf8("b"));
        vault.columns().deleteColumn("kvault");
        vault.column("media", ColumnType.BYTES).clear();
        assertThat(vault.kv().get("back")).isEqualTo(utf8("b"));
        assertThat(vault.kv().size()).isEqualTo(1);
        assertThat(vault.column("counts", ColumnType.I64)).isEqualTo(longs);
    }

    @Test
    void kvChunkedValues_andColumnChunks_useSeparateRows() {
        vault = Vault.builder(dir.resolve("v.db"))
                .chunkSize(4096)
                .columnChunkSizes(SMALL)
                .open();
        vault.kv().put("big", VaultFixtures.bytes(20_000, 1)); // chunked KV value
        int kvChunks = Inspect.chunkRows(vault);
        assertThat(kvChunks).isPositive();
        vault.column("c", ColumnType.I64).extend(new long[100]);
        assertThat(Inspect.chunkRows(vault)).isEqualTo(kvChunks);
        vault.columns().deleteColumn("c");
        assertThat(Inspect.chunkRows(vault)).isEqualTo(kvChunks);
        assertThat(vault.kv().get("big")).isEqualTo(VaultFixtures.bytes(20_000, 1));
        vault.kv().delete("big");
        vault.column("d", ColumnType.I64).extend(new long[100]);
        assertThat(chunkRows(vault)).isPositive();
    }

    // ---- deleting and clearing free rows --------------------------------------------------------------

    @Test
    void deleteColumn_freesItsChunkAndHeapRows_andLeavesOthersIntact() {
        vault = Setup.FILE.open(dir);
        Random random = new Random(33);
        LongColumn longs = vault.columns().column("longs", ColumnType.I64, SMALL);
        StringColumn strings = vault.columns().column("strings", ColumnType.STRING, SMALL);
        BytesColumn blobs = vault.columns().column("blobs", ColumnType.BYTES, SMALL);
        long[] longValues = random.longs(100).toArray();
        longs.extend(longValues);
        List<String> stringValues = new ArrayList<>();
        List<byte[]> blobValues = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            stringValues.add("string number " + i);
            blobValues.add(VaultFixtures.bytes(1 + i % 50, i));
        }
        strings.extend(stringValues);
        blobs.extend(blobValues);
        int longChunks = chunkSizes(vault, "longs").size();
        int stringChunks = chunkSizes(vault, "strings").size();
        int stringHeap = heapSizes(vault, "strings").size();
        int blobChunks = chunkSizes(vault, "blobs").size();
        int blobHeap = heapSizes(vault, "blobs").size();
        assertThat(List.of(longChunks, stringChunks, stringHeap, blobChunks, blobHeap))
                .allMatch(n -> n > 1);
        assertThat(chunkRows(vault)).isEqualTo(longChunks + stringChunks + blobChunks);
        assertThat(heapRows(vault)).isEqualTo(stringHeap + blobHeap);

        assertThat(vault.columns().deleteColumn("strings")).isTrue();
        assertThat(chunkRows(vault)).isEqualTo(longChunks + blobChunks);
        assertThat(heapRows(vault)).isEqualTo(blobHeap);
        assertThat(ColumnFixtures.columnRows(vault)).isEqualTo(2);
        assertThat(vault.columns().hasColumn("strings")).isFalse();
        assertThat(longs.getLongs(0, 100)).containsExactly(longValues);
        assertThat(blobs).isEqualTo(blobValues);

        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(vault.columns().listColumns())
                .containsExactlyInAnyOrder(
                        new ColumnInfo("longs", ColumnType.I64, 100), new ColumnInfo("blobs", ColumnType.BYTES, 100));
        assertThat(vault.column("longs", ColumnType.I64).getLongs(0, 100)).containsExactly(longValues);
        assertThat(vault.column("blobs", ColumnType.BYTES)).isEqualTo(blobValues);
        // a new column of the deleted name starts empty, with none of the old rows
        StringColumn again = vault.columns().column("strings", ColumnType.STRING, SMALL);
        assertThat(again).isEmpty();
        again.append("new");
        assertThat(again).containsExactly("new");
        assertThat(chunkSizes(vault, "strings")).hasSize(1);
        assertThat(heapSizes(vault, "strings")).hasSize(1);
    }

    @Test
    void clear_freesTheColumnsRows_only() {
        vault = Setup.FILE.open(dir);
        StringColumn cleared = vault.columns().column("cleared", ColumnType.STRING, SMALL);
        StringColumn kept = vault.columns().column("kept", ColumnType.STRING, SMALL);
        for (int i = 0; i < 60; i++) {
            cleared.append("cleared " + i);
            kept.append("kept " + i);
        }
        int keptChunks = chunkSizes(vault, "kept").size();
        int keptHeap = heapSizes(vault, "kept").size();
        cleared.clear();
        assertThat(cleared).isEmpty();
        assertThat(chunkSizes(vault, "cleared")).isEmpty();
        assertThat(heapSizes(vault, "cleared")).isEmpty();
        assertThat(chunkRows(vault)).isEqualTo(keptChunks);
        assertThat(heapRows(vault)).isEqualTo(keptHeap);
        assertThat(vault.columns().hasColumn("cleared")).isTrue();
        assertThat(kept).hasSize(60).startsWith("kept 0").endsWith("kept 59");
        cleared.append("again");
        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(vault.column("cleared", ColumnType.STRING)).containsExactly("again");
    }

    // ---- chunk growth -----------------------------------------------------------------------------------

    /** @return the chunk row sizes a column of {@code n} elements of {@code unit} bytes should have */
    private static List<Integer> expectedChunks(long n, int unit, int minBytes, int maxBytes) {
        int min = Math.max(1, minBytes / unit);
        int max = Math.max(min, maxBytes / unit);
        List<Integer> sizes = new ArrayList<>();
        long left = n;
        long capacity = min;
        while (left > 0) {
            long take = Math.min(left, capacity);
            sizes.add((int) take * unit);
            left -= take;
            capacity = Math.min(max, capacity * 2);
        }
        return sizes;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 8, 9, 24, 25, 56, 57, 200})
    void i64ChunkRows_growFrom64To256Bytes_appendedOneByOne(int n) {
        vault = Setup.FILE.open(dir);
        LongColumn column = vault.columns().column("c", ColumnType.I64, SMALL);
        for (int i = 0; i < n; i++) {
            column.append(i);
        }
        assertThat(chunkSizes(vault, "c")).isEqualTo(expectedChunks(n, 8, 64, 256));
        if (n == 200) {
            assertThat(chunkSizes(vault, "c")).startsWith(64, 128, 256, 256);
        }
        assertThat(ColumnFixtures.chunkSeqs(vault, "c"))
                .isEqualTo(java.util.stream.IntStream.range(
                                0, chunkSizes(vault, "c").size())
                        .boxed()
                        .toList());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Setup.class,
            names = {"FILE", "FILE_CACHED", "POSTGRES_CACHED"})
    void chunkRows_areTheSame_whetherAppendedOneByOneOrExtendedOrCached(Setup setup) {
        vault = setup.open(dir);
        LongColumn one = vault.columns().column("one", ColumnType.I64, SMALL);
        LongColumn bulk = vault.columns().column("bulk", ColumnType.I64, SMALL);
        for (int i = 0; i < 300; i++) {
            one.append(i);
        }
        bulk.extend(java.util.stream.LongStream.range(0, 150).toArray());
        bulk.extend(java.util.stream.LongStream.range(150, 300).toArray());
        vault.flushCache();
        assertThat(chunkSizes(vault, "one")).isEqualTo(expectedChunks(300, 8, 64, 256));
        assertThat(chunkSizes(vault, "bulk")).isEqualTo(expectedChunks(300, 8, 64, 256));
        assertThat(one).isEqualTo(bulk);
    }

    @Test
    void insertAndRemove_keepChunksFullExceptTheLast() {
        vault = Setup.FILE.open(dir);
        LongColumn column = vault.columns().column("c", ColumnType.I64, SMALL);
        column.extend(java.util.stream.LongStream.range(0, 100).toArray());
        column.add(0, -1L);
        column.add(50, -2L);
        assertThat(chunkSizes(vault, "c")).isEqualTo(expectedChunks(102, 8, 64, 256));
        column.remove(0);
        column.remove(0);
        column.remove(0);
        assertThat(chunkSizes(vault, "c")).isEqualTo(expectedChunks(99, 8, 64, 256));
    }

    @Test
    void variableSizeColumns_indexEntriesAndHeapChunks_followTheSizes() {
        vault = Setup.FILE.open(dir);
        BytesColumn column = vault.columns().column("c", ColumnType.BYTES, SMALL);
        for (int i = 0; i < 100; i++) {
            column.append(VaultFixtures.bytes(10, i));
        }
        // 12-byte index entries: 5, 10, 20, then 21 per chunk
        assertThat(chunkSizes(vault, "c")).isEqualTo(expectedChunks(100, 12, 64, 256));
        assertThat(chunkSizes(vault, "c")).startsWith(60, 120, 240, 252);
        // 10-byte elements never split: 6 in the 64-byte chunk, 12 in 128, then 25 in 256
        List<Integer> heap = heapSizes(vault, "c");
        assertThat(heap).startsWith(60, 120, 250, 250);
        assertThat(heap.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
        // an element larger than a chunk gets a chunk of its own
        column.append(VaultFixtures.bytes(1000, 1000));
        column.append(VaultFixtures.bytes(10, 1001));
        List<Integer> after = heapSizes(vault, "c");
        assertThat(after.subList(heap.size(), after.size())).containsExactly(1000, 10);
        assertThat(column.getBytes(100)).isEqualTo(VaultFixtures.bytes(1000, 1000));
        assertThat(column.getBytes(101)).isEqualTo(VaultFixtures.bytes(10, 1001));
    }

    @Test
    void builderColumnChunkSizes_applyToNewColumns_andAColumnKeepsItsSizesWhenReopened() {
        Path file = dir.resolve("v.db");
        vault = Vault.builder(file).columnChunkSizes(ChunkSizes.of(128, 512)).open();
        LongColumn byBuilder = vault.column("byBuilder", ColumnType.I64);
        LongColumn explicit = vault.columns().createColumn("explicit", ColumnType.I64, ChunkSizes.of(64, 64));
        LongColumn byDefault;
        byBuilder.extend(new long[200]);
        explicit.extend(new long[20]);
        assertThat(chunkSizes(vault, "byBuilder")).isEqualTo(expectedChunks(200, 8, 128, 512));
        assertThat(chunkSizes(vault, "explicit")).isEqualTo(List.of(64, 64, 32));
        vault.close();

        vault = Vault.builder(file).columnChunkSizes(ChunkSizes.of(4096, 4096)).open();
        vault.columns()
                .column("explicit", ColumnType.I64, ChunkSizes.of(1024, 1024))
                .extend(new long[20]);
        vault.column("byBuilder", ColumnType.I64).extend(new long[100]);
        byDefault = vault.column("new", ColumnType.I64);
        byDefault.extend(new long[1000]);
        assertThat(chunkSizes(vault, "explicit")).isEqualTo(List.of(64, 64, 64, 64, 64));
        assertThat(chunkSizes(vault, "byBuilder")).isEqualTo(expectedChunks(300, 8, 128, 512));
        assertThat(chunkSizes(vault, "new")).isEqualTo(expectedChunks(1000, 8, 4096, 4096));
        vault.close();

        vault = Vault.open(file); // the default sizes, ChunkSizes.DEFAULT
        vault.column("default", ColumnType.I64).extend(new long[5000]);
        assertThat(chunkSizes(vault, "default"))
                .isEqualTo(expectedChunks(5000, 8, ChunkSizes.DEFAULT.minBytes(), ChunkSizes.DEFAULT.maxBytes()));
    }
}
