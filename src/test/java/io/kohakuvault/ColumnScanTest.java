package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scans of columns larger than the read cache: read-ahead chunks wait beside the cache, never in
 * it, and are never served once the column has changed.
 */
class ColumnScanTest extends VaultTestBase {
    private static final int LONGS = 200_000;

    private LongColumn open(long readCacheBytes) {
        vault = Vault.builder(dir.resolve("v.db"))
                .readCacheBytes(readCacheBytes)
                .columnChunkSizes(ChunkSizes.of(1 << 10, 4 << 10))
                .open();
        LongColumn column = vault.column("c", ColumnType.I64);
        column.extend(LongStream.range(0, LONGS).map(i -> i * 7).toArray());
        return column;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 777, 4096, 65_536})
    void getLongs_inBlocks_ofAColumnLargerThanTheCache_readsEveryElement(int block) {
        LongColumn column = open(64 << 10);
        for (int round = 0; round < 2; round++) {
            for (long from = 0; from < LONGS; from += block) {
                long to = Math.min(LONGS, from + block);
                long[] got = column.getLongs(from, to);
                for (int i = 0; i < got.length; i++) {
                    assertThat(got[i]).isEqualTo((from + i) * 7);
                }
            }
        }
        assertThat(vault.database().readCache().weightedBytes()).isLessThanOrEqualTo(64 << 10);
        assertThat(column.longStream().sum()).isEqualTo(7L * LONGS * (LONGS - 1) / 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64 << 10})
    void iteration_andGetInALoop_ofAColumnLargerThanTheCache_seeEveryElement(int readCacheBytes) {
        LongColumn column = open(readCacheBytes);
        long sum = 0;
        for (Long value : column) {
            sum += value;
        }
        assertThat(sum).isEqualTo(7L * LONGS * (LONGS - 1) / 2);
        for (long i = LONGS - 1; i >= LONGS - 5000; i--) { // backwards, through the chunk last read
            assertThat(column.getLong(i)).isEqualTo(i * 7);
        }
        column.setLong(LONGS - 2, -3); // the chunk last read whole is of an older revision now
        assertThat(column.get(LONGS - 2)).isEqualTo(-3L);
        assertThat(column.get(LONGS - 1)).isEqualTo((LONGS - 1) * 7L);
    }

    @Test
    void stringColumn_iteratedWithASmallCache_seesEveryElement() {
        vault = Vault.builder(dir.resolve("v.db"))
                .readCacheBytes(0)
                .columnChunkSizes(ChunkSizes.of(1 << 10, 4 << 10))
                .open();
        StringColumn log = vault.column("log", ColumnType.STRING);
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            lines.add("line " + i + " " + "x".repeat(i % 50));
        }
        log.extend(lines);
        assertThat(log).containsExactlyElementsOf(lines);
    }

    @Test
    void getLongs_afterTheColumnChangedMidScan_neverServesReadAheadChunksOfBefore() {
        LongColumn column = open(0);
        try (Vault other = Vault.open(dir.resolve("v.db"))) {
            LongColumn theirs = other.column("c", ColumnType.I64);
            long[] first = column.getLongs(0, 1000);
            assertThat(first[999]).isEqualTo(999 * 7);
            column.getLongs(1000, 2000); // read ahead past 2000
            column.setLong(2500, -1); // our own write
            assertThat(column.getLongs(2000, 3000)[500]).isEqualTo(-1);
            column.getLongs(3000, 4000);
            theirs.setLong(4500, -2); // another vault's write
            assertThat(column.getLongs(4000, 5000)[500]).isEqualTo(-2);
            column.getLongs(5000, 6000);
            column.remove(6000); // elements move
            assertThat(column.getLongs(6000, 7000)[0]).isEqualTo(6001 * 7);
        }
    }
}
