package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A full database (forced with {@code PRAGMA max_page_count} on the writer) during every kind of
 * write: a small put, a chunked put, a streamed {@code putFile}, a column {@code extend}, a
 * write-back cache flush, and a {@code vault.transaction} mixing key-value and column writes,
 * including one that catches the failure and carries on. Each write throws a
 * {@link VaultIoException} naming what was being written; nothing committed before is lost; no
 * part of the failed write is visible (no half chunked value, no column longer than its data),
 * before and after reopening; and the vault keeps working once there is room again.
 */
class DiskFullTest extends VaultTestBase {
    private static final int CHUNK = 64 * 1024;
    /** SQLite's largest max_page_count: what "no limit" is. */
    private static final long NO_LIMIT = 4294967294L;

    private Path file() {
        return dir.resolve("full.db");
    }

    private Vault open() {
        return Vault.builder(file()).chunkSize(CHUNK).open();
    }

    /** Lets the file grow by at most {@code pages} pages from now on (its free pages are used first). */
    private void limitGrowth(int pages) {
        vault.database().withWriter(c -> {
            long count = Long.parseLong(c.pragma("PRAGMA page_count"));
            return c.pragma("PRAGMA max_page_count = " + (count + pages));
        });
    }

    private void raiseLimit() {
        vault.database().withWriter(c -> c.pragma("PRAGMA max_page_count = " + NO_LIMIT));
    }

    private static void assertFull(Throwable thrown, String... named) {
        assertThat(thrown).isInstanceOf(VaultIoException.class).hasMessageContaining("full");
        for (String part : named) {
            assertThat(thrown).hasMessageContaining(part);
        }
    }

    /** Reopens the file and runs {@code check} on the fresh vault, then keeps it as {@link #vault}. */
    private void reopenAndCheck(java.util.function.Consumer<Vault> check) {
        vault.close();
        vault = open();
        check.accept(vault);
    }

    private void assertStillWritable() {
        raiseLimit();
        vault.kv().put("after", bytes(3 * CHUNK, 99));
        vault.column("after", ColumnType.I64).extend(1, 2, 3);
        assertThat(vault.kv().get("after")).isEqualTo(bytes(3 * CHUNK, 99));
        assertThat(vault.column("after", ColumnType.I64).getLongs(0, 3)).containsExactly(1, 2, 3);
    }

    @Test
    void smallPut_diskFull_throwsNamingTheKey_keepsOldValue() {
        vault = open();
        KVault kv = vault.kv();
        kv.put("k", utf8("old"));
        kv.put("other", bytes(1000, 1));
        limitGrowth(2);
        assertFull(catchThrowable(() -> kv.put("k", bytes(CHUNK, 2))), "'k'", "put");
        assertFull(catchThrowable(() -> kv.put("new", bytes(CHUNK, 3))), "'new'");
        assertThat(kv.get("k")).isEqualTo(utf8("old"));
        assertThat(kv.exists("new")).isFalse();
        assertThat(kv.size()).isEqualTo(2);
        assertStillWritable();
        reopenAndCheck(v -> {
            assertThat(v.kv().get("k")).isEqualTo(utf8("old"));
            assertThat(v.kv().get("other")).isEqualTo(bytes(1000, 1));
            assertThat(v.kv().exists("new")).isFalse();
        });
    }

    @Test
    void chunkedPut_diskFullHalfWay_leavesNoChunks_keepsOldValue() {
        vault = open();
        KVault kv = vault.kv();
        byte[] old = bytes(3 * CHUNK, 1);
        kv.put("big", old);
        limitGrowth(8 * CHUNK / 4096);
        assertFull(catchThrowable(() -> kv.put("big", bytes(20 * CHUNK, 2))), "'big'");
        assertFull(catchThrowable(() -> kv.put("fresh", bytes(20 * CHUNK, 3))), "'fresh'");
        assertThat(kv.get("big")).isEqualTo(old);
        assertThat(kv.exists("fresh")).isFalse();
        assertThat(Inspect.chunkRows(vault)).isEqualTo(3);
        assertThat(Inspect.blobRows(vault)).isEqualTo(1);
        assertStillWritable();
        reopenAndCheck(v -> {
            assertThat(v.kv().get("big")).isEqualTo(old);
            assertThat(v.kv().exists("fresh")).isFalse();
            assertThat(Inspect.chunkRows(v)).isEqualTo(3 + 3);
        });
    }

    @Test
    void putFile_diskFullHalfWay_leavesNoChunks_keepsOldValue() throws Exception {
        vault = open();
        KVault kv = vault.kv();
        kv.put("video", utf8("old"));
        Path source = dir.resolve("clip.bin");
        Files.write(source, bytes(30 * CHUNK, 4));
        limitGrowth(10 * CHUNK / 4096);
        assertFull(catchThrowable(() -> kv.putFile("video", source)), "'video'");
        assertFull(
                catchThrowable(() -> kv.putFile("video", new ByteArrayInputStream(bytes(30 * CHUNK, 5)))), "'video'");
        assertFull(
                catchThrowable(() -> kv.putFile("video", new ByteArrayInputStream(bytes(30 * CHUNK, 5)), 30 * CHUNK)),
                "'video'");
        assertThat(kv.get("video")).isEqualTo(utf8("old"));
        assertThat(Inspect.chunkRows(vault)).isZero();
        assertThat(Inspect.blobRows(vault)).isZero();
        assertStillWritable();
        kv.putFile("video", source);
        assertThat(kv.get("video")).isEqualTo(bytes(30 * CHUNK, 4));
        reopenAndCheck(v -> assertThat(v.kv().get("video")).isEqualTo(bytes(30 * CHUNK, 4)));
    }

    @Test
    void columnExtend_diskFull_throwsNamingTheColumn_lengthAndElementsUnchanged() {
        vault = open();
        LongColumn c = vault.column("ids", ColumnType.I64);
        long[] first = LongStream.range(0, 10_000).toArray();
        c.extend(first);
        StringColumn s = vault.column("log", ColumnType.STRING);
        s.extend(java.util.List.of("a", "b"));
        limitGrowth(4);
        long[] more = LongStream.range(0, 200_000).map(i -> -i).toArray();
        assertFull(catchThrowable(() -> c.extend(more)), "'ids'");
        assertFull(catchThrowable(() -> s.extend(java.util.Collections.nCopies(5000, "x".repeat(100)))), "'log'");
        assertThat(c.length()).isEqualTo(first.length);
        assertThat(c.getLongs(0, first.length)).isEqualTo(first);
        assertThatThrownBy(() -> c.getLong(first.length)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(s).containsExactly("a", "b");
        assertStillWritable();
        c.append(7);
        assertThat(c.length()).isEqualTo(first.length + 1);
        reopenAndCheck(v -> {
            LongColumn again = v.column("ids", ColumnType.I64);
            assertThat(again.length()).isEqualTo(first.length + 1);
            assertThat(again.getLongs(0, first.length)).isEqualTo(first);
            assertThat(again.getLong(first.length)).isEqualTo(7);
            assertThat(v.column("log", ColumnType.STRING)).containsExactly("a", "b");
        });
    }

    @Test
    void cacheFlush_diskFull_throws_keepsCachedWritesForTheNextFlush() {
        vault = open();
        vault.kv().put("committed", utf8("yes"));
        vault.column("temps", ColumnType.F64).extend(1.0, 2.0);
        vault.withCache(64L << 20, 32L << 20);
        KVault kv = vault.kv();
        DoubleColumn temps = vault.column("temps", ColumnType.F64);
        for (int i = 0; i < 300; i++) {
            kv.put("k" + i, bytes(2000, i));
        }
        kv.delete("committed");
        for (int i = 0; i < 50_000; i++) {
            temps.append(i);
        }
        limitGrowth(3);
        assertFull(catchThrowable(vault::flushCache), "flush");
        // the failed flush changed nothing in the file, and the cache still holds every write
        assertThat(kv.get("k7")).isEqualTo(bytes(2000, 7));
        assertThat(kv.exists("committed")).isFalse();
        assertThat(temps.length()).isEqualTo(50_002);
        assertThat(Inspect.blobRows(vault)).isZero();
        try (Vault other = Vault.open(file())) {
            assertThat(other.kv().get("committed")).isEqualTo(utf8("yes"));
            assertThat(other.kv().exists("k0")).isFalse();
            assertThat(other.column("temps", ColumnType.F64).length()).isEqualTo(2);
        }
        raiseLimit();
        assertThat(vault.flushCache()).isEqualTo(301 + 50_000);
        reopenAndCheck(v -> {
            assertThat(v.kv().size()).isEqualTo(300);
            assertThat(v.kv().get("k299")).isEqualTo(bytes(2000, 299));
            assertThat(v.kv().exists("committed")).isFalse();
            DoubleColumn again = v.column("temps", ColumnType.F64);
            assertThat(again.length()).isEqualTo(50_002);
            assertThat(again.getDouble(50_001)).isEqualTo(49_999.0);
        });
    }

    @Test
    void transaction_diskFull_rollsBackKvAndColumnWritesTogether() {
        vault = open();
        KVault kv = vault.kv();
        LongColumn c = vault.column("ids", ColumnType.I64);
        kv.put("a", utf8("old"));
        c.extend(1, 2, 3);
        limitGrowth(4);
        Throwable thrown = catchThrowable(() -> vault.transaction(() -> {
            kv.put("a", utf8("new"));
            c.extend(LongStream.range(0, 100).toArray());
            kv.put("big", bytes(20 * CHUNK, 1));
        }));
        assertFull(thrown, "'big'");
        assertThat(kv.get("a")).isEqualTo(utf8("old"));
        assertThat(kv.exists("big")).isFalse();
        assertThat(c.getLongs(0, c.length())).containsExactly(1, 2, 3);
        assertThat(Inspect.chunkRows(vault)).isZero();
        assertStillWritable();
        reopenAndCheck(v -> {
            assertThat(v.kv().get("a")).isEqualTo(utf8("old"));
            assertThat(v.column("ids", ColumnType.I64).length()).isEqualTo(3);
        });
    }

    @Test
    void transaction_diskFullCaughtByTheBlock_isAllOrNothing() {
        vault = open();
        KVault kv = vault.kv();
        LongColumn c = vault.column("ids", ColumnType.I64);
        kv.put("a", utf8("old"));
        c.extend(1, 2, 3);
        limitGrowth(4);
        Throwable[] caught = new Throwable[1];
        Throwable thrown = catchThrowable(() -> vault.transaction(() -> {
            kv.put("a", utf8("new"));
            c.extend(4, 5);
            caught[0] = catchThrowable(() -> kv.put("big", bytes(20 * CHUNK, 1)));
            kv.put("b", utf8("after the failure"));
            c.append(6);
        }));
        assertFull(caught[0], "'big'");
        long length = c.length();
        // Either outcome is all-or-nothing; with sqlite-jdbc 3.53 it is the second one.
        if (thrown == null) {
            // SQLite undid only the failed statement: everything else in the block committed
            assertThat(kv.get("a")).isEqualTo(utf8("new"));
            assertThat(kv.get("b")).isEqualTo(utf8("after the failure"));
            assertThat(c.getLongs(0, length)).containsExactly(1, 2, 3, 4, 5, 6);
        } else {
            // SQLite rolled the whole transaction back: none of it may commit
            assertFull(thrown, "rolled the transaction back", "'big'");
            assertThat(kv.get("a")).isEqualTo(utf8("old"));
            assertThat(kv.exists("b")).isFalse();
            assertThat(c.getLongs(0, length)).containsExactly(1, 2, 3);
        }
        assertThat(kv.exists("big")).isFalse();
        assertThat(Inspect.chunkRows(vault)).isZero();
        byte[] a = kv.get("a");
        assertStillWritable();
        reopenAndCheck(v -> {
            assertThat(v.kv().get("a")).isEqualTo(a);
            assertThat(v.column("ids", ColumnType.I64).length()).isEqualTo(length);
        });
    }
}
