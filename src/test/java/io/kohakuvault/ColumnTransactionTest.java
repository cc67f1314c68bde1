package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.SMALL;
import static io.kohakuvault.ColumnFixtures.all;
import static io.kohakuvault.ColumnFixtures.await;
import static io.kohakuvault.ColumnFixtures.column;
import static io.kohakuvault.ColumnFixtures.norm;
import static io.kohakuvault.ColumnFixtures.samples;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kohakuvault.ColumnFixtures.Kind;
import io.kohakuvault.ColumnFixtures.Setup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * vault.transaction over columns and key-value stores: all commit together or none do, nested
 * calls are savepoints, the block reads its own writes, other threads read the committed state
 * without waiting.
 */
class ColumnTransactionTest extends VaultTestBase {
    static Stream<Arguments> kindsOnEverySetup() {
        return Arrays.stream(Kind.values())
                .flatMap(kind -> Stream.of(Setup.FILE, Setup.FILE_CACHED, Setup.MEMORY, Setup.POSTGRES_CACHED)
                        .map(setup -> Arguments.of(kind, setup)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnEverySetup")
    void transaction_commitsColumnAndKvWritesTogether(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(1);
        List<Object> model = samples(kind, random, 20);
        column.extend(model);
        Object value = kind.sample(random);
        List<Object> more = samples(kind, random, 15);
        vault.kv("other"); // opened before: a store first opened inside a transaction has its own test
        vault.transaction(() -> {
            column.append(value);
            column.extend(more);
            column.set(3, value);
            column.add(0, value);
            column.remove(10);
            vault.kv().put("k", utf8("v"));
            vault.kv("other").put("o", utf8("w"));
            column(vault, "created", kind).append(value);
        });
        model.add(value);
        model.addAll(more);
        model.set(3, value);
        model.add(0, value);
        model.remove(10);
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(vault.kv().get("k")).isEqualTo(utf8("v"));
        assertThat(vault.kv("other").get("o")).isEqualTo(utf8("w"));
        assertThat(norm(all(column(vault, "created", kind)))).isEqualTo(norm(List.of(value)));
        if (setup.storage == VaultFixtures.Storage.FILE) {
            try (Vault other = Vault.open(dir.resolve("v.db"))) { // durable when it returns, whatever the cache
                assertThat(norm(all(other.columns().column("c")))).isEqualTo(norm(model));
                assertThat(other.kv().get("k")).isEqualTo(utf8("v"));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnEverySetup")
    void transaction_blockThrows_rollsBackColumnsAndKv_andRethrowsTheSameException(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(2);
        List<Object> model = samples(kind, random, 20);
        column.extend(model);
        vault.kv().put("k", utf8("before"));
        vault.flushCache();
        assertThat(norm(all(column))).isEqualTo(norm(model)); // warm the chunk cache with the committed state
        RuntimeException failure = new IllegalStateException("user failure");
        Object value = kind.sample(random);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    column.append(value);
                    column.extend(samples(kind, random, 40));
                    column.set(0, value);
                    column.add(5, value);
                    column.remove(1);
                    assertThat(column.length()).isEqualTo(model.size() + 41);
                    vault.kv().put("k", utf8("during"));
                    vault.kv().put("new", utf8("n"));
                    column(vault, "created", kind).append(value);
                    column.append(value); // held back, never written
                    throw failure;
                }))
                .isSameAs(failure);
        assertThat(column.length()).isEqualTo(model.size());
        assertThat(norm(all(column))).isEqualTo(norm(model));
        for (int i = 0; i < model.size(); i++) {
            assertThat(norm(column.get(i))).as("get(%d)", i).isEqualTo(norm(model.get(i)));
            assertThat(norm(ColumnFixtures.getPrimitive(column, i))).isEqualTo(norm(model.get(i)));
        }
        assertThat(vault.kv().get("k")).isEqualTo(utf8("before"));
        assertThat(vault.kv().exists("new")).isFalse();
        assertThat(vault.columns().hasColumn("created")).isFalse();
        assertThat(vault.columns().listColumns()).containsExactly(new ColumnInfo("c", kind.type, model.size()));
        // the column still works normally after the rollback
        column.append(value);
        model.add(value);
        vault.flushCache();
        assertThat(norm(all(column))).isEqualTo(norm(model));
        if (setup.storage == VaultFixtures.Storage.FILE) {
            vault.close();
            vault = setup.open(dir);
            assertThat(norm(all(column(vault, "c", kind)))).isEqualTo(norm(model));
        }
    }

    @Test
    void columnsAndStoresFirstOpenedInsideATransaction_onAVaultWithCache_work() {
        vault = Setup.FILE.open(dir);
        vault.withCache(1 << 20, 1 << 20); // before columns() or kv("fresh") were ever called
        vault.transaction(() -> {
            vault.column("fresh", ColumnType.I64).extend(1, 2);
            vault.columns().column("other", ColumnType.STRING).append("o");
            vault.kv("fresh").put("k", utf8("v"));
        });
        assertThat(vault.column("fresh", ColumnType.I64)).containsExactly(1L, 2L);
        assertThat(vault.column("other", ColumnType.STRING)).containsExactly("o");
        assertThat(vault.kv("fresh").get("k")).isEqualTo(utf8("v"));
        vault.column("fresh", ColumnType.I64).append(3); // cached: the cache covers what was opened in the transaction
        try (Vault observer = Vault.open(dir.resolve("v.db"))) {
            assertThat(observer.column("fresh", ColumnType.I64)).containsExactly(1L, 2L);
            vault.flushCache();
            assertThat(observer.column("fresh", ColumnType.I64)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void transaction_readsInsideSeeItsOwnUncommittedColumnWrites() {
        vault = Setup.FILE.open(dir);
        LongColumn longs = vault.columns().column("longs", ColumnType.I64, SMALL);
        StringColumn strings = vault.columns().column("strings", ColumnType.STRING, SMALL);
        longs.extend(LongStream.range(0, 10).toArray());
        assertThat(longs.getLongs(0, 10)).hasSize(10); // chunks now cached outside the transaction
        String seen = vault.transactionResult(() -> {
            longs.append(10);
            longs.extend(11, 12);
            StringBuilder s = new StringBuilder();
            s.append(longs.length()).append(':').append(longs.getLong(12)).append(':');
            longs.setLong(0, -1);
            s.append(longs.get(0)).append(':').append(longs.getLongs(0, 3)[0]).append(':');
            longs.add(1, 100L);
            s.append(longs.getLong(1)).append(':').append(longs.getLong(2)).append(':');
            longs.remove(0);
            s.append(longs.longStream().sum()).append(':');
            strings.append("a");
            strings.extend(List.of("b", "c"));
            s.append(strings.size()).append(':').append(strings.getRange(0, 3)).append(':');
            strings.setString(1, "longer than before");
            s.append(String.join(",", strings)).append(':');
            s.append(vault.columns().listColumns().stream()
                    .mapToLong(ColumnInfo::length)
                    .sum());
            return s.toString();
        });
        long sum = LongStream.range(1, 13).sum() + 100;
        assertThat(seen).isEqualTo("13:12:-1:-1:100:1:" + sum + ":3:[a, b, c]:a,longer than before,c:" + (13 + 3));
        assertThat(longs.length()).isEqualTo(13);
        assertThat(longs.getLong(0)).isEqualTo(100);
        assertThat(longs.getLongs(0, 13))
                .containsExactly(LongStream.concat(LongStream.of(100), LongStream.range(1, 13))
                        .toArray());
        assertThat(strings).containsExactly("a", "longer than before", "c");
    }

    @Test
    void nestedTransaction_failureCaughtByOuter_undoesOnlyTheInnerColumnWrites() {
        vault = Setup.FILE.open(dir);
        LongColumn column = vault.columns().column("c", ColumnType.I64, SMALL);
        column.extend(1, 2, 3);
        vault.transaction(() -> {
            column.append(4);
            try {
                vault.transaction(() -> {
                    column.append(5);
                    column.extend(6, 7);
                    column.setLong(0, -1);
                    column.remove(1);
                    vault.kv().put("inner", utf8("i"));
                    throw new IllegalStateException("inner fails");
                });
            } catch (IllegalStateException expected) {
                // the outer block goes on
            }
            assertThat(column).containsExactly(1L, 2L, 3L, 4L);
            column.append(8);
            vault.transaction(() -> column.add(0, 0L)); // an inner block that succeeds
        });
        assertThat(column).containsExactly(0L, 1L, 2L, 3L, 4L, 8L);
        assertThat(vault.kv().exists("inner")).isFalse();
        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(vault.column("c", ColumnType.I64)).containsExactly(0L, 1L, 2L, 3L, 4L, 8L);
    }

    @Test
    void outerFailure_undoesInnerCommittedSavepointsToo() {
        vault = Setup.FILE.open(dir);
        LongColumn column = vault.columns().column("c", ColumnType.I64, SMALL);
        column.extend(1, 2, 3);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    vault.transaction(() -> column.extend(4, 5));
                    vault.transaction(() -> column.remove(0));
                    throw new IllegalArgumentException("outer fails");
                }))
                .hasMessage("outer fails");
        assertThat(column).containsExactly(1L, 2L, 3L);
    }

    @Test
    void transaction_flushesCachedAppendsFirst_andAFailureKeepsThem() {
        vault = Setup.FILE.open(dir);
        vault.withCache(1 << 20, 1 << 20);
        LongColumn column = vault.columns().column("c", ColumnType.I64, SMALL);
        column.extend(1, 2, 3);
        try (Vault observer = Vault.open(dir.resolve("v.db"))) {
            assertThat(observer.column("c", ColumnType.I64)).isEmpty();
            assertThatThrownBy(() -> vault.transaction(() -> {
                        // the cached appends were committed before the block began
                        assertThat(observer.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L);
                        column.append(4);
                        assertThat(vault.flushCache()).isZero();
                        assertThat(vault.columns().flushCache()).isZero();
                        throw new IllegalStateException("roll back");
                    }))
                    .hasMessage("roll back");
            assertThat(observer.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L);
            assertThat(column).containsExactly(1L, 2L, 3L);
            vault.transaction(() -> column.append(5));
            assertThat(observer.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L, 5L);
            assertThat(vault.columns().flushCache()).isZero();
            column.append(6); // cached again after the transaction
            assertThat(observer.column("c", ColumnType.I64)).hasSize(4);
            assertThat(vault.flushCache()).isEqualTo(1);
            assertThat(observer.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L, 5L, 6L);
        }
        assertThatThrownBy(() -> vault.transaction(() -> vault.columns().enableCache(100, 10)))
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining("transaction");
        assertThatThrownBy(() -> vault.transaction(() -> vault.columns().disableCache()))
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining("transaction");
    }

    @Test
    void deleteColumn_inARolledBackTransaction_leavesTheColumnAndItsObjectWorking() {
        vault = Setup.FILE.open(dir);
        LongColumn column = vault.columns().column("c", ColumnType.I64, SMALL);
        column.extend(1, 2, 3);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    assertThat(vault.columns().deleteColumn("c")).isTrue();
                    assertThat(vault.columns().hasColumn("c")).isFalse();
                    throw new IllegalStateException("changed my mind");
                }))
                .hasMessage("changed my mind");
        assertThat(vault.columns().hasColumn("c")).isTrue();
        assertThat(vault.columns().listColumns()).containsExactly(new ColumnInfo("c", ColumnType.I64, 3));
        assertThat(vault.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L);
        // the object the user held before the transaction is still the column
        assertThat(column).containsExactly(1L, 2L, 3L);
        column.append(4);
        assertThat(vault.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void columnCreatedInARolledBackTransaction_isGone_andNeverAliasesALaterColumn() {
        vault = Setup.FILE.open(dir);
        LongColumn[] created = new LongColumn[1];
        assertThatThrownBy(() -> vault.transaction(() -> {
                    created[0] = vault.columns().createColumn("ghost", ColumnType.I64, SMALL);
                    created[0].extend(1, 2, 3);
                    throw new IllegalStateException("no");
                }))
                .hasMessage("no");
        assertThat(vault.columns().hasColumn("ghost")).isFalse();
        LongColumn later = vault.columns().createColumn("later", ColumnType.I64, SMALL);
        later.extend(7, 8);
        LongColumn ghostAgain = vault.columns().createColumn("ghost", ColumnType.I64, SMALL);
        assertThat(ghostAgain).isEmpty();
        ghostAgain.append(42);
        assertThat(later).containsExactly(7L, 8L);
        assertThat(vault.columns().listColumns())
                .containsExactlyInAnyOrder(
                        new ColumnInfo("later", ColumnType.I64, 2), new ColumnInfo("ghost", ColumnType.I64, 1));
        // the object made inside the rolled-back transaction must never show another column's elements
        LongColumn stale = created[0];
        Throwable thrown = catchThrowable(stale::length);
        if (thrown != null) {
            assertThat(thrown).isInstanceOf(NotFoundException.class);
        } else {
            assertThat(new ArrayList<>(stale))
                    .as("the rolled-back column's object")
                    .isIn(List.of(), List.of(42L));
        }
        assertThat(later).containsExactly(7L, 8L);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void otherThreads_readTheCommittedColumn_withoutWaiting_untilTheTransactionCommits() throws Exception {
        vault = Setup.FILE.open(dir);
        LongColumn longs = vault.columns().column("longs", ColumnType.I64, SMALL);
        StringColumn strings = vault.columns().column("strings", ColumnType.STRING, SMALL);
        longs.extend(LongStream.range(0, 20).toArray());
        strings.extend(List.of("a", "b", "c"));
        assertThat(longs.getLongs(0, 20)).hasSize(20); // warm the chunk cache
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> vault.transaction(() -> {
            longs.extend(LongStream.range(20, 60).toArray());
            longs.setLong(0, -100);
            longs.add(5, -5L);
            strings.setString(0, "changed");
            strings.append("d");
            vault.kv().put("k", utf8("uncommitted"));
            longs.length(); // the held-back appends are written now
            written.countDown();
            await(read);
        }));
        await(written);
        // the writer holds its transaction open: these reads must neither wait nor see its writes
        List<Object> seen = CompletableFuture.supplyAsync(() -> List.<Object>of(
                        longs.length(),
                        longs.getLong(0),
                        longs.get(5),
                        Arrays.stream(longs.getLongs(0, 20)).sum(),
                        longs.size(),
                        new ArrayList<>(strings),
                        vault.columns().listColumns(),
                        vault.kv().exists("k")))
                .get(10, TimeUnit.SECONDS);
        assertThat(seen)
                .containsExactly(
                        20L,
                        0L,
                        5L,
                        LongStream.range(0, 20).sum(),
                        20,
                        List.of("a", "b", "c"),
                        List.of(
                                new ColumnInfo("longs", ColumnType.I64, 20),
                                new ColumnInfo("strings", ColumnType.STRING, 3)),
                        false);
        assertThatThrownBy(() ->
                        CompletableFuture.supplyAsync(() -> longs.getLong(20)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IndexOutOfBoundsException.class);
        read.countDown();
        writer.get(20, TimeUnit.SECONDS);
        // after the commit, every thread sees the new state
        long[] expected = LongStream.concat(
                        LongStream.range(0, 5), LongStream.concat(LongStream.of(-5), LongStream.range(5, 60)))
                .toArray();
        expected[0] = -100;
        assertThat(longs.getLongs(0, 61)).containsExactly(expected);
        assertThat(CompletableFuture.supplyAsync(() -> longs.getLongs(0, longs.length()))
                        .get(10, TimeUnit.SECONDS))
                .containsExactly(expected);
        assertThat(strings).containsExactly("changed", "b", "c", "d");
        try (Vault other = Vault.open(dir.resolve("v.db"))) {
            assertThat(other.column("longs", ColumnType.I64).getLongs(0, 61)).containsExactly(expected);
        }
    }

    @Test
    void transactionResult_returnsTheBlockValue_computedFromColumns() {
        vault = Setup.MEMORY.open(dir);
        DoubleColumn temps = vault.column("temps", ColumnType.F64);
        double mean = vault.transactionResult(() -> {
            temps.extend(1.0, 2.0, 6.0);
            return temps.doubleStream().average().orElseThrow();
        });
        assertThat(mean).isEqualTo(3.0);
        assertThat(temps).containsExactly(1.0, 2.0, 6.0);
    }

    @Test
    void manyAppendsInOneTransaction_rollBackWhole() {
        vault = Setup.MEMORY.open(dir); // the file adds only time: the point is the rollback
        BytesColumn column = vault.columns().column("c", ColumnType.BYTES, ChunkSizes.DEFAULT);
        column.append(utf8("kept"));
        byte[] value = VaultFixtures.bytes(100_000, 1);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    for (int i = 0; i < 86; i++) {
                        column.append(value); // 8.6 MB: more than the 8 MiB held back at once
                    }
                    throw new IllegalStateException("changed my mind");
                }))
                .hasMessage("changed my mind");
        assertThat(column).hasSize(1);
        assertThat(column.getBytes(0)).isEqualTo(utf8("kept"));
        assertThat(ColumnFixtures.heapSizes(vault, "c")).containsExactly(4);
    }

    @Test
    void transactionOnAReadOnlyVault_readsColumns_andRefusesWrites() {
        Path file = dir.resolve("v.db");
        try (Vault writer = Vault.open(file)) {
            writer.column("c", ColumnType.I64).extend(1, 2, 3);
        }
        vault = Vault.builder(file).readOnly(true).open();
        LongColumn column = vault.column("c", ColumnType.I64);
        assertThat(vault.transactionResult(() -> column.longStream().sum())).isEqualTo(6);
        assertThatThrownBy(() -> vault.transaction(() -> column.append(4))).isInstanceOf(KohakuVaultException.class);
        assertThat(column).containsExactly(1L, 2L, 3L);
        assertThat(new ArrayList<>(column)).hasSize(3);
    }
}
