package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.SMALL;
import static io.kohakuvault.ColumnFixtures.all;
import static io.kohakuvault.ColumnFixtures.column;
import static io.kohakuvault.ColumnFixtures.getPrimitive;
import static io.kohakuvault.ColumnFixtures.norm;
import static io.kohakuvault.ColumnFixtures.range;
import static io.kohakuvault.ColumnFixtures.samples;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.ColumnFixtures.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The write-back cache of columns: appends wait in memory, reads see them at once, and nothing
 * reaches the file before a flush. A second Vault on the same file plays "what a crash would
 * leave": it must not see unflushed appends, and must see all of them after the flush.
 */
class ColumnCacheTest {
    @TempDir
    Path dir;

    private Path file;
    private Vault vault;
    private Vault observer;

    @BeforeEach
    void open() {
        file = dir.resolve("cache.db");
        vault = Vault.builder(file).columnChunkSizes(SMALL).open();
        observer = Vault.open(file);
    }

    @AfterEach
    void close() {
        observer.close();
        vault.close();
    }

    /** @return what the observer vault sees in column {@code name}: its elements, read afresh */
    private List<Object> observed(String name) {
        if (!observer.columns().hasColumn(name)) {
            return null;
        }
        return norm(all(observer.columns().column(name)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void cachedAppends_areVisibleToEveryRead_butNotInTheFileUntilFlushed(Kind kind) {
        Column<Object> column = column(vault, "c", kind);
        List<Object> committed = samples(kind, new Random(1), 12);
        column.extend(committed);
        vault.columns().enableCache(1 << 20, 1 << 20);
        List<Object> cached = samples(kind, new Random(2), 30);
        List<Object> model = new ArrayList<>(committed);
        for (int i = 0; i < cached.size(); i++) {
            if (i % 3 == 0) {
                column.extend(cached.subList(i, Math.min(i + 3, cached.size())));
                model.addAll(cached.subList(i, Math.min(i + 3, cached.size())));
                i += 2;
            } else {
                ColumnFixtures.appendPrimitive(column, cached.get(i));
                model.add(cached.get(i));
            }
        }
        // every read of the caching vault sees the appends
        assertThat(column.length()).isEqualTo(model.size());
        assertThat(column.size()).isEqualTo(model.size());
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(norm(range(column, 5, 20))).isEqualTo(norm(model.subList(5, 20)));
        assertThat(norm(range(column, 12, 12))).isEmpty();
        assertThat(norm(new ArrayList<>(column))).isEqualTo(norm(model));
        for (int i = 0; i < model.size(); i++) {
            assertThat(norm(column.get(i))).as("get(%d)", i).isEqualTo(norm(model.get(i)));
            assertThat(norm(getPrimitive(column, i))).as("primitive get(%d)", i).isEqualTo(norm(model.get(i)));
        }
        List<Object> streamed = ColumnFixtures.stream(column);
        if (streamed != null) {
            assertThat(norm(streamed)).isEqualTo(norm(model));
        }
        assertThat(vault.columns().listColumns()).containsExactly(new ColumnInfo("c", kind.type, model.size()));
        // the file does not have them yet
        assertThat(observed("c")).isEqualTo(norm(committed));
        assertThat(observer.columns().listColumns()).containsExactly(new ColumnInfo("c", kind.type, committed.size()));

        assertThat(vault.columns().flushCache()).isEqualTo(cached.size());
        assertThat(observed("c")).isEqualTo(norm(model));
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(vault.columns().flushCache()).isZero();
    }

    @Test
    void vaultFlushCache_sumsKvKeysAndColumnElements() {
        vault.withCache(1 << 20, 1 << 20);
        vault.kv().put("a", VaultFixtures.utf8("1"));
        vault.kv().put("b", VaultFixtures.utf8("2"));
        vault.kv().delete("c");
        LongColumn longs = vault.column("longs", ColumnType.I64);
        StringColumn strings = vault.column("strings", ColumnType.STRING);
        longs.extend(1, 2, 3, 4, 5);
        strings.extend(List.of("x", "y"));
        strings.append("z");
        assertThat(observer.column("longs", ColumnType.I64)).isEmpty();
        assertThat(observer.kv().size()).isZero();
        assertThat(vault.flushCache()).isEqualTo(3 + 5 + 3);
        assertThat(observer.column("longs", ColumnType.I64)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(observer.column("strings", ColumnType.STRING)).containsExactly("x", "y", "z");
        assertThat(observer.kv().size()).isEqualTo(2);
        assertThat(vault.flushCache()).isZero();
        longs.append(6);
        assertThat(vault.flushCache()).isEqualTo(1);
    }

    @Test
    void disableCache_flushes_thenAppendsGoStraightThrough() {
        vault.columns().enableCache(1 << 20, 1 << 20);
        LongColumn column = vault.column("c", ColumnType.I64);
        column.extend(1, 2, 3);
        assertThat(observer.column("c", ColumnType.I64)).isEmpty();
        vault.columns().disableCache();
        assertThat(observer.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L);
        column.append(4);
        assertThat(observer.column("c", ColumnType.I64)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(vault.columns().flushCache()).isZero();
    }

    @Test
    void close_flushesEveryColumn() {
        vault.withCache(1 << 20, 1 << 20);
        vault.column("a", ColumnType.I64).extend(1, 2);
        vault.column("b", ColumnType.STRING).append("b");
        vault.column("c", ColumnType.bytes(2)).append(new byte[] {1});
        assertThat(observer.column("a", ColumnType.I64)).isEmpty();
        vault.close();
        assertThat(observer.column("a", ColumnType.I64)).containsExactly(1L, 2L);
        assertThat(observer.column("b", ColumnType.STRING)).containsExactly("b");
        assertThat(observer.column("c", ColumnType.bytes(2)).getBytes(0)).containsExactly(1, 0);
    }

    @Test
    void threshold_flushesAColumnByItself() {
        vault.columns().enableCache(1 << 20, 64); // eight longs
        LongColumn column = vault.column("c", ColumnType.I64);
        for (int i = 0; i < 7; i++) {
            column.append(i);
        }
        assertThat(observer.column("c", ColumnType.I64)).isEmpty();
        column.append(7); // 64 bytes cached: the threshold
        assertThat(observer.column("c", ColumnType.I64).getLongs(0, 8)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        column.extend(8, 9, 10);
        assertThat(observer.column("c", ColumnType.I64).length()).isEqualTo(8);
        column.extend(LongStream.range(11, 40).toArray()); // past the threshold at once
        assertThat(observer.column("c", ColumnType.I64).getLongs(0, 40))
                .containsExactly(LongStream.range(0, 40).toArray());
        assertThat(vault.columns().flushCache()).isZero();
    }

    @Test
    void appendLargerThanCapacity_bypassesTheCache_afterTheCachedOnes() {
        vault.columns().enableCache(64, 64);
        LongColumn column = vault.column("c", ColumnType.I64);
        column.extend(1, 2);
        column.extend(LongStream.range(3, 30).toArray()); // 216 bytes: more than the capacity
        assertThat(observer.column("c", ColumnType.I64).getLongs(0, 29))
                .containsExactly(LongStream.range(1, 30).toArray());
        StringColumn strings = vault.column("s", ColumnType.STRING);
        strings.append("small");
        strings.append("x".repeat(100));
        assertThat(observer.column("s", ColumnType.STRING)).containsExactly("small", "x".repeat(100));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"I64", "FIXED_BYTES", "STRING"})
    void setInsertRemoveClear_withPendingAppends_keepTheOrder(Kind kind) {
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(5);
        List<Object> model = samples(kind, random, 10);
        column.extend(model);
        vault.columns().enableCache(1 << 20, 1 << 20);

        List<Object> pending = samples(kind, random, 6);
        column.extend(pending);
        model.addAll(pending);
        Object value = kind.sample(random);
        Object old = column.set(13, value); // an element still in the cache
        assertThat(norm(old)).isEqualTo(norm(model.set(13, value)));
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(observed("c")).isEqualTo(norm(model)); // set committed the pending appends first, in order

        pending = samples(kind, random, 4);
        column.extend(pending);
        model.addAll(pending);
        column.add(2, value);
        model.add(2, value);
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(observed("c")).isEqualTo(norm(model));

        pending = samples(kind, random, 4);
        column.extend(pending);
        model.addAll(pending);
        column.add(model.size(), value); // an insert at the very end, after the cached appends
        model.add(value);
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(observed("c")).isEqualTo(norm(model));

        pending = samples(kind, random, 4);
        column.extend(pending);
        model.addAll(pending);
        Object removed = column.remove(model.size() - 2); // a cached one
        assertThat(norm(removed)).isEqualTo(norm(model.remove(model.size() - 2)));
        assertThat(norm(all(column))).isEqualTo(norm(model));
        assertThat(observed("c")).isEqualTo(norm(model));

        column.extend(samples(kind, random, 4));
        column.clear();
        assertThat(column).isEmpty();
        assertThat(vault.columns().flushCache()).isZero();
        assertThat(observed("c")).isEmpty();
        column.append(value);
        vault.flushCache();
        assertThat(observed("c")).isEqualTo(norm(List.of(value)));
    }

    @Test
    void columnsOpenedAfterEnableCache_areCachedToo() {
        ColumnVault cv = vault.columns();
        LongColumn before = cv.column("before", ColumnType.I64);
        cv.enableCache(1 << 20, 1 << 20);
        LongColumn after = cv.column("after", ColumnType.I64);
        StringColumn created = cv.createColumn("created", ColumnType.STRING);
        before.append(1);
        after.append(2);
        created.append("3");
        assertThat(observer.column("before", ColumnType.I64)).isEmpty();
        assertThat(observer.column("after", ColumnType.I64)).isEmpty();
        assertThat(observer.column("created", ColumnType.STRING)).isEmpty();
        assertThat(cv.flushCache()).isEqualTo(3);
        assertThat(observer.column("after", ColumnType.I64)).containsExactly(2L);
        assertThat(observer.column("created", ColumnType.STRING)).containsExactly("3");
    }

    @Test
    void vaultWithCache_beforeAndAfterColumnsAreOpened_coversThemAll() {
        vault.withCache(1 << 20, 1 << 20); // before columns() was ever called
        LongColumn first = vault.column("first", ColumnType.I64);
        first.append(1);
        assertThat(observer.column("first", ColumnType.I64)).isEmpty();
        vault.flushCache();

        try (Vault other = Vault.open(file)) {
            LongColumn opened = other.column("opened", ColumnType.I64);
            other.withCache(1 << 20, 1 << 20); // after a column was opened
            opened.append(1);
            other.column("later", ColumnType.I64).append(2);
            assertThat(observer.column("opened", ColumnType.I64)).isEmpty();
            assertThat(observer.column("later", ColumnType.I64)).isEmpty();
            assertThat(other.flushCache()).isEqualTo(2);
            assertThat(observer.column("opened", ColumnType.I64)).containsExactly(1L);
        }
    }

    @Test
    void enableCache_thresholdAboveCapacity_flushesAtTheCapacity() {
        vault.columns().enableCache(800, 1L << 30);
        LongColumn column = vault.column("c", ColumnType.I64);
        for (int i = 0; i < 250; i++) {
            column.append(i);
        }
        long seen = observer.column("c", ColumnType.I64).length();
        assertThat(seen).isGreaterThanOrEqualTo(200).isLessThan(250); // flushed each time 100 longs were held
        vault.flushCache();
        assertThat(observer.column("c", ColumnType.I64).length()).isEqualTo(250);
    }

    @Test
    void badCacheSizes_throwInvalidArgument_andChangeNothing() {
        ColumnVault cv = vault.columns();
        assertThatThrownBy(() -> cv.enableCache(0, 0)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> cv.enableCache(-1, 1)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> cv.enableCache(100, 0)).isInstanceOf(InvalidArgumentException.class);
        LongColumn column = vault.column("c", ColumnType.I64);
        column.append(1);
        assertThat(observer.column("c", ColumnType.I64)).containsExactly(1L); // still writing straight through
    }

    @Test
    void cachedAppends_ofManyColumns_flushTogether_andReadsAcrossTheBoundaryWork() {
        vault.withCache(1 << 20, 1 << 20);
        List<LongColumn> columns = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            LongColumn column = vault.column("c" + c, ColumnType.I64);
            column.extend(LongStream.range(0, 20).toArray());
            columns.add(column);
        }
        vault.flushCache();
        for (LongColumn column : columns) {
            column.extend(LongStream.range(20, 50).toArray());
            assertThat(column.getLongs(15, 25))
                    .containsExactly(LongStream.range(15, 25).toArray());
            assertThat(column.getLong(49)).isEqualTo(49);
        }
        assertThat(vault.flushCache()).isEqualTo(5 * 30);
        for (int c = 0; c < 5; c++) {
            assertThat(observer.column("c" + c, ColumnType.I64).getLongs(0, 50))
                    .containsExactly(LongStream.range(0, 50).toArray());
        }
    }
}
