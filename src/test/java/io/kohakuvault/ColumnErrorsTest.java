package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.SMALL;
import static io.kohakuvault.ColumnFixtures.all;
import static io.kohakuvault.ColumnFixtures.column;
import static io.kohakuvault.ColumnFixtures.norm;
import static io.kohakuvault.ColumnFixtures.samples;
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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input to columns: each is refused with the right exception, a message naming what was
 * wrong, and nothing changed (length, elements, the list of columns).
 */
class ColumnErrorsTest extends VaultTestBase {

    /** What a vault's columns hold, to compare before and after a failed call. */
    private static List<Object> snapshot(Vault vault) {
        List<Object> all = new ArrayList<>();
        for (ColumnInfo info : vault.columns().listColumns()) {
            all.add(info);
            all.add(norm(ColumnFixtures.all(vault.columns().column(info.name()))));
        }
        return all;
    }

    private void assertRefusedAndNothingChanged(
            ThrowingCallable call, Class<? extends Throwable> type, String... messageParts) {
        List<Object> before = snapshot(vault);
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(type);
        for (String part : messageParts) {
            assertThat(thrown).hasMessageContaining(part);
        }
        vault.flushCache();
        assertThat(snapshot(vault)).isEqualTo(before);
    }

    // ---- fixed-size bytes -----------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Setup.class,
            names = {"FILE", "FILE_CACHED", "POSTGRES"})
    void fixedBytes_longerValue_isRefusedNamingTheColumn_shorterIsZeroPadded(Setup setup) {
        vault = setup.open(dir);
        BytesColumn hashes = vault.columns().column("hashes", ColumnType.bytes(4), SMALL);
        hashes.append(new byte[] {1, 2, 3, 4});
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> hashes.append(new byte[5]),
                () -> hashes.add(new byte[5]),
                () -> hashes.add(0, new byte[5]),
                () -> hashes.set(0, new byte[5]),
                () -> hashes.setBytes(0, new byte[100]),
                () -> hashes.extend(List.of(new byte[4], new byte[4], new byte[5])),
                () -> hashes.addAll(List.of(new byte[2], new byte[6])))) {
            assertRefusedAndNothingChanged(call, InvalidArgumentException.class, "hashes");
        }
        assertThat(hashes.length()).isEqualTo(1);

        hashes.append(new byte[] {7});
        hashes.append(new byte[0]);
        hashes.add(0, new byte[] {5, 6});
        hashes.extend(List.of(new byte[] {8, 8, 8}));
        hashes.setBytes(1, new byte[] {9, 9});
        assertThat(hashes.getRange(0, hashes.length()))
                .containsExactly(
                        new byte[] {5, 6, 0, 0},
                        new byte[] {9, 9, 0, 0},
                        new byte[] {7, 0, 0, 0},
                        new byte[] {0, 0, 0, 0},
                        new byte[] {8, 8, 8, 0});
        vault.flushCache();
        assertThat(ColumnFixtures.chunkSizes(vault, "hashes").stream()
                        .mapToInt(Integer::intValue)
                        .sum())
                .isEqualTo(5 * 4);
    }

    // ---- null elements ------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void nullElements_areRefused_andNothingChanges(Kind kind) {
        vault = Setup.FILE_CACHED.open(dir);
        Column<Object> column = column(vault, "c", kind);
        column.extend(samples(kind, new Random(1), 10));
        List<Object> withNull = new ArrayList<>(samples(kind, new Random(2), 3));
        withNull.add(null);
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> column.append(null),
                () -> column.add(null),
                () -> column.add(3, null),
                () -> column.set(3, null),
                () -> column.extend(withNull),
                () -> column.addAll(withNull),
                () -> column.extend((Iterable<Object>) null))) {
            assertRefusedAndNothingChanged(call, InvalidArgumentException.class, "'c'");
        }
    }

    @Test
    void primitiveNulls_areRefused_andNothingChanges() {
        vault = Setup.FILE.open(dir);
        LongColumn longs = vault.column("longs", ColumnType.I64);
        IntColumn ints = vault.column("ints", ColumnType.I32);
        DoubleColumn doubles = vault.column("doubles", ColumnType.F64);
        FloatColumn floats = vault.column("floats", ColumnType.F32);
        BytesColumn bytes = vault.column("bytes", ColumnType.BYTES);
        StringColumn strings = vault.column("strings", ColumnType.STRING);
        longs.append(1);
        bytes.append(new byte[] {1});
        strings.append("one");
        assertRefusedAndNothingChanged(() -> longs.extend((long[]) null), InvalidArgumentException.class, "longs");
        assertRefusedAndNothingChanged(() -> ints.extend((int[]) null), InvalidArgumentException.class, "ints");
        assertRefusedAndNothingChanged(
                () -> doubles.extend((double[]) null), InvalidArgumentException.class, "doubles");
        assertRefusedAndNothingChanged(() -> floats.extend((float[]) null), InvalidArgumentException.class, "floats");
        assertRefusedAndNothingChanged(() -> bytes.setBytes(0, null), InvalidArgumentException.class, "bytes");
        assertRefusedAndNothingChanged(() -> bytes.append((byte[]) null), InvalidArgumentException.class, "bytes");
        assertRefusedAndNothingChanged(() -> strings.setString(0, null), InvalidArgumentException.class, "strings");
        assertRefusedAndNothingChanged(() -> strings.append((String) null), InvalidArgumentException.class);
    }

    @Test
    void unpairedSurrogate_isRefused_notReplaced() {
        vault = Setup.FILE.open(dir);
        StringColumn strings = vault.column("s", ColumnType.STRING);
        strings.append("ok");
        assertRefusedAndNothingChanged(() -> strings.append("bad \uD83D here"), InvalidArgumentException.class, "'s'");
        assertRefusedAndNothingChanged(() -> strings.setString(0, "\uDE00"), InvalidArgumentException.class);
        assertRefusedAndNothingChanged(() -> strings.extend(List.of("fine", "\uD800")), InvalidArgumentException.class);
        assertThat(strings).containsExactly("ok");
    }

    // ---- names --------------------------------------------------------------------------------------

    static Stream<String> badNames() {
        return Stream.of("", "x".repeat(256), "é".repeat(300));
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void badColumnNames_areRefusedEverywhere(String name) {
        vault = Setup.FILE.open(dir);
        vault.column("existing", ColumnType.I64).append(1);
        ColumnVault cv = vault.columns();
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> cv.createColumn(name, ColumnType.I64),
                () -> cv.column(name, ColumnType.I64),
                () -> cv.column(name, ColumnType.I64, SMALL),
                () -> vault.column(name, ColumnType.STRING),
                () -> cv.column(name),
                () -> cv.hasColumn(name),
                () -> cv.deleteColumn(name))) {
            assertRefusedAndNothingChanged(call, InvalidArgumentException.class, "name");
        }
        assertThat(ColumnFixtures.columnRows(vault)).isEqualTo(1);
    }

    @Test
    void nullArguments_areRefused() {
        vault = Setup.FILE.open(dir);
        ColumnVault cv = vault.columns();
        assertRefusedAndNothingChanged(() -> cv.createColumn(null, ColumnType.I64), InvalidArgumentException.class);
        assertRefusedAndNothingChanged(() -> cv.column(null, ColumnType.I64), InvalidArgumentException.class);
        assertRefusedAndNothingChanged(() -> cv.column(null), InvalidArgumentException.class);
        assertRefusedAndNothingChanged(() -> cv.hasColumn(null), InvalidArgumentException.class);
        assertRefusedAndNothingChanged(() -> cv.deleteColumn(null), InvalidArgumentException.class);
        assertRefusedAndNothingChanged(() -> cv.createColumn("t", null), InvalidArgumentException.class, "t");
        assertRefusedAndNothingChanged(() -> cv.column("t", null), InvalidArgumentException.class, "t");
        assertRefusedAndNothingChanged(
                () -> cv.createColumn("t", ColumnType.I64, null), InvalidArgumentException.class);
        assertThat(cv.listColumns()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, -64})
    void chunkSizes_outOfRange_areRefused(int min) {
        assertThatThrownBy(() -> ChunkSizes.of(min, 256))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining(Integer.toString(min));
    }

    @Test
    void chunkSizes_maxBelowMinOrAboveLimit_areRefused() {
        assertThatThrownBy(() -> ChunkSizes.of(128, 64)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ChunkSizes.of(64, ChunkSizes.MAX_BYTES + 1))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(ChunkSizes.of(64, 64)).isEqualTo(new ChunkSizes(64, 64));
        assertThat(ChunkSizes.of(ChunkSizes.MAX_BYTES, ChunkSizes.MAX_BYTES).maxBytes())
                .isEqualTo(16 << 20);
    }

    static Stream<String> strangeNames() {
        return Stream.of(
                "\"; DROP TABLE vault_column; --",
                "'); DELETE FROM vault_column_chunk; --",
                "a'b\"c`d",
                "semi;colon",
                "with space",
                "  ",
                "%",
                "_",
                "*",
                "名前😀",
                "x".repeat(255),
                "vault_column",
                "kvault",
                "\u0000nul",
                "line\nbreak");
    }

    @ParameterizedTest
    @MethodSource("strangeNames")
    void sqlSignificantAndUnicodeNames_areOrdinaryNames(String name) {
        vault = Setup.FILE.open(dir);
        LongColumn other = vault.column("other", ColumnType.I64);
        other.extend(1, 2, 3);
        vault.kv().put("k", VaultFixtures.utf8("v"));
        StringColumn column = vault.columns().createColumn(name, ColumnType.STRING);
        column.append("hello");
        column.extend(List.of("a", "b"));
        assertThat(vault.columns().hasColumn(name)).isTrue();
        assertThat(vault.columns().column(name)).isSameAs(column);
        assertThat(vault.columns().listColumns()).extracting(ColumnInfo::name).containsExactlyInAnyOrder("other", name);
        assertThat(vault.columns().listColumns()).contains(new ColumnInfo(name, ColumnType.STRING, 3));
        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(vault.column(name, ColumnType.STRING)).containsExactly("hello", "a", "b");
        assertThat(vault.column("other", ColumnType.I64)).containsExactly(1L, 2L, 3L);
        assertThat(vault.kv().get("k")).isEqualTo(VaultFixtures.utf8("v"));
        assertThat(vault.columns().deleteColumn(name)).isTrue();
        assertThat(vault.columns().hasColumn(name)).isFalse();
        assertThat(vault.column("other", ColumnType.I64)).containsExactly(1L, 2L, 3L);
        assertThat(ColumnFixtures.chunkRows(vault)).isEqualTo(1);
    }

    @Test
    void namesDifferingOnlyInCase_areDifferentColumns() {
        vault = Setup.FILE.open(dir);
        vault.column("Temp", ColumnType.I64).append(1);
        vault.column("temp", ColumnType.I64).append(2);
        vault.column("TEMP", ColumnType.STRING).append("3");
        assertThat(vault.column("Temp", ColumnType.I64)).containsExactly(1L);
        assertThat(vault.column("temp", ColumnType.I64)).containsExactly(2L);
        assertThat(vault.columns().listColumns()).hasSize(3);
    }

    // ---- types and existence --------------------------------------------------------------------------

    static Stream<Arguments> otherTypes() {
        return Stream.of(
                Arguments.of(ColumnType.I64, ColumnType.F64),
                Arguments.of(ColumnType.I64, ColumnType.I32),
                Arguments.of(ColumnType.F32, ColumnType.I32),
                Arguments.of(ColumnType.BYTES, ColumnType.STRING),
                Arguments.of(ColumnType.STRING, ColumnType.BYTES),
                Arguments.of(ColumnType.bytes(8), ColumnType.I64),
                Arguments.of(ColumnType.bytes(8), ColumnType.bytes(16)),
                Arguments.of(ColumnType.bytes(8), ColumnType.BYTES));
    }

    @ParameterizedTest
    @MethodSource("otherTypes")
    void columnOfAnotherType_isRefusedNamingBothTypes(ColumnType<?> stored, ColumnType<?> asked) {
        vault = Setup.FILE.open(dir);
        vault.columns().column("c", stored);
        Column<?> existing = vault.columns().column("c");
        assertRefusedAndNothingChanged(
                () -> vault.columns().column("c", asked),
                InvalidArgumentException.class,
                "'c'",
                stored.dtype(),
                asked.dtype());
        assertRefusedAndNothingChanged(() -> vault.column("c", asked), InvalidArgumentException.class, "'c'");
        assertRefusedAndNothingChanged(
                () -> vault.columns().createColumn("c", asked), InvalidArgumentException.class, "'c'");
        assertThat(vault.columns().column("c", stored)).isSameAs(existing);
        vault.close();
        vault = Setup.FILE.open(dir); // also when the column was not opened in this vault yet
        assertRefusedAndNothingChanged(() -> vault.columns().column("c", asked), InvalidArgumentException.class, "'c'");
        assertThat(vault.columns().column("c").type()).isEqualTo(stored);
    }

    @Test
    void missingColumn_untypedOpen_throwsNotFound_andCreatesNothing() {
        vault = Setup.FILE.open(dir);
        assertRefusedAndNothingChanged(() -> vault.columns().column("nope"), NotFoundException.class, "nope");
        assertThat(vault.columns().hasColumn("nope")).isFalse();
        assertThat(vault.columns().deleteColumn("nope")).isFalse();
        assertThat(ColumnFixtures.columnRows(vault)).isZero();
    }

    @Test
    void createColumn_onExistingName_throwsInvalidArgument_andKeepsTheColumn() {
        vault = Setup.FILE.open(dir);
        LongColumn first = vault.columns().createColumn("c", ColumnType.I64);
        first.extend(1, 2, 3);
        assertRefusedAndNothingChanged(
                () -> vault.columns().createColumn("c", ColumnType.I64), InvalidArgumentException.class, "'c'");
        assertRefusedAndNothingChanged(
                () -> vault.columns().createColumn("c", ColumnType.I64, ChunkSizes.of(128, 128)),
                InvalidArgumentException.class,
                "'c'");
        assertThat(vault.column("c", ColumnType.I64)).isSameAs(first).containsExactly(1L, 2L, 3L);
    }

    @Test
    void columnObjects_areTheSameOnEveryOpen() {
        vault = Setup.FILE.open(dir);
        LongColumn a = vault.column("a", ColumnType.I64);
        assertThat(vault.column("a", ColumnType.I64)).isSameAs(a);
        assertThat(vault.columns().column("a", ColumnType.I64, ChunkSizes.of(1024, 1024)))
                .isSameAs(a);
        assertThat(vault.columns().column("a")).isSameAs(a);
        assertThat(a.name()).isEqualTo("a");
        assertThat(a.type()).isEqualTo(ColumnType.I64);
    }

    // ---- deleted columns --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Setup.class,
            names = {"FILE", "FILE_CACHED", "MEMORY", "POSTGRES_CACHED"})
    void deletedColumn_objectThrowsNotFound_forEveryCall(Setup setup) {
        vault = setup.open(dir);
        LongColumn gone = vault.columns().column("gone", ColumnType.I64, SMALL);
        gone.extend(1, 2, 3);
        LongColumn kept = vault.columns().column("kept", ColumnType.I64, SMALL);
        kept.extend(4, 5);
        assertThat(vault.columns().deleteColumn("gone")).isTrue();
        assertThat(vault.columns().deleteColumn("gone")).isFalse();
        List<ThrowingCallable> calls = List.of(
                gone::length,
                gone::size,
                gone::isEmpty,
                () -> gone.get(0),
                () -> gone.getLong(0),
                () -> gone.getLongs(0, 1),
                () -> gone.append(1),
                () -> gone.append(1L),
                () -> gone.extend(1, 2),
                () -> gone.extend(List.of(1L)),
                () -> gone.set(0, 1L),
                () -> gone.setLong(0, 1),
                () -> gone.add(0, 1L),
                () -> gone.remove(0),
                gone::clear,
                () -> gone.iterator().next(),
                () -> gone.longStream().sum());
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(NotFoundException.class).hasMessageContaining("gone");
        }
        assertThat(kept).containsExactly(4L, 5L);
        assertThat(vault.columns().listColumns()).containsExactly(new ColumnInfo("kept", ColumnType.I64, 2));
        // a new column of that name is a new, empty object; the old one stays dead
        LongColumn again = vault.columns().column("gone", ColumnType.I64, SMALL);
        assertThat(again).isNotSameAs(gone).isEmpty();
        again.append(9);
        assertThatThrownBy(gone::length).isInstanceOf(NotFoundException.class);
        assertThat(again).containsExactly(9L);
    }

    @Test
    void deletedColumn_withAppendsInTheWriteBackCache_losesThem_andFlushIgnoresIt() {
        vault = Setup.FILE.open(dir);
        vault.withCache(1 << 20, 1 << 20);
        LongColumn gone = vault.column("gone", ColumnType.I64);
        LongColumn kept = vault.column("kept", ColumnType.I64);
        gone.extend(1, 2, 3);
        kept.extend(4, 5);
        vault.columns().deleteColumn("gone");
        assertThat(vault.flushCache()).isEqualTo(2);
        assertThat(ColumnFixtures.chunkRows(vault)).isEqualTo(1);
        vault.close();
        vault = Setup.FILE.open(dir);
        assertThat(vault.columns().listColumns()).containsExactly(new ColumnInfo("kept", ColumnType.I64, 2));
    }

    // ---- closed and read-only vaults --------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void useAfterClose_throwsVaultIoSayingClosed(Kind kind) {
        vault = Setup.FILE_CACHED.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> values = samples(kind, new Random(3), 5);
        column.extend(values);
        ColumnVault cv = vault.columns();
        vault.close();
        Object value = values.get(0);
        List<ThrowingCallable> calls = List.of(
                column::length,
                column::size,
                () -> column.get(0),
                () -> ColumnFixtures.getPrimitive(column, 0),
                () -> all(column),
                () -> column.append(value),
                () -> ColumnFixtures.appendPrimitive(column, value),
                () -> column.extend(List.of(value)),
                () -> column.extend(List.of()),
                () -> column.set(0, value),
                () -> column.add(0, value),
                () -> column.remove(0),
                column::clear,
                () -> column.iterator().next(),
                () -> cv.column("c", kind.type),
                () -> cv.column("c"),
                () -> cv.createColumn("d", kind.type),
                cv::listColumns,
                () -> cv.hasColumn("c"),
                () -> cv.deleteColumn("c"),
                cv::flushCache,
                () -> cv.enableCache(100, 10),
                cv::disableCache,
                vault::columns,
                () -> vault.column("c", kind.type),
                vault::flushCache);
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(VaultIoException.class).hasMessageContaining("closed");
        }
        vault.close(); // idempotent
        vault = Setup.FILE.open(dir);
        assertThat(norm(all(column(vault, "c", kind)))).isEqualTo(norm(values));
    }

    @Test
    void readOnlyVault_readsWork_writesThrow_andTheFileIsUnchanged() {
        Path file = dir.resolve("v.db");
        try (Vault writer = Vault.open(file)) {
            writer.column("longs", ColumnType.I64).extend(1, 2, 3);
            writer.column("strings", ColumnType.STRING).extend(List.of("a", "b"));
        }
        vault = Vault.builder(file).readOnly(true).open();
        LongColumn longs = vault.column("longs", ColumnType.I64);
        StringColumn strings = vault.column("strings", ColumnType.STRING);
        assertThat(longs).containsExactly(1L, 2L, 3L);
        assertThat(longs.getLongs(0, 3)).containsExactly(1, 2, 3);
        assertThat(longs.longStream().sum()).isEqualTo(6);
        assertThat(strings.getString(1)).isEqualTo("b");
        assertThat(vault.columns().listColumns()).hasSize(2);
        assertThat(vault.columns().hasColumn("longs")).isTrue();
        assertThat(vault.columns().column("strings")).isSameAs(strings);
        List<ThrowingCallable> writes = List.of(
                () -> longs.append(4),
                () -> longs.extend(4, 5),
                () -> longs.extend(List.of(4L)),
                () -> longs.setLong(0, 9),
                () -> longs.set(0, 9L),
                () -> longs.add(0, 9L),
                () -> longs.remove(0),
                longs::clear,
                () -> strings.append("c"),
                () -> strings.setString(0, "z"),
                () -> vault.columns().createColumn("new", ColumnType.I64),
                () -> vault.columns().column("new", ColumnType.I64),
                () -> vault.columns().deleteColumn("longs"));
        for (ThrowingCallable write : writes) {
            assertThatThrownBy(write).isInstanceOf(KohakuVaultException.class);
        }
        assertThat(longs).containsExactly(1L, 2L, 3L);
        assertThat(strings).containsExactly("a", "b");
        vault.close();
        try (Vault again = Vault.open(file)) {
            assertThat(again.columns().listColumns())
                    .containsExactlyInAnyOrder(
                            new ColumnInfo("longs", ColumnType.I64, 3),
                            new ColumnInfo("strings", ColumnType.STRING, 2));
            assertThat(again.column("longs", ColumnType.I64)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void readOnlyVault_withWriteBackCache_stillRefusesAppends() {
        Path file = dir.resolve("v.db");
        try (Vault writer = Vault.open(file)) {
            writer.column("longs", ColumnType.I64).extend(1, 2, 3);
        }
        vault = Vault.builder(file).readOnly(true).open();
        LongColumn longs = vault.column("longs", ColumnType.I64);
        Consumer<Runnable> refused = write -> assertThatThrownBy(write::run).isInstanceOf(KohakuVaultException.class);
        try {
            vault.columns().enableCache(1 << 20, 1 << 20);
        } catch (KohakuVaultException refusedToo) {
            // refusing to cache on a read-only vault is fine as well
        }
        refused.accept(() -> longs.append(4));
        refused.accept(() -> longs.extend(4, 5));
        assertThat(longs.length()).isEqualTo(3);
        assertThat(vault.flushCache()).isZero();
    }

    @Test
    void kvAndColumnErrors_doNotLeakIntoEachOther() {
        vault = Setup.FILE.open(dir);
        LongColumn c = vault.column("c", ColumnType.I64);
        c.extend(1, 2);
        vault.kv().put("k", VaultFixtures.utf8("v"));
        assertThatThrownBy(() -> c.getLong(5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> vault.kv().require("missing")).isInstanceOf(NotFoundException.class);
        c.append(3);
        assertThat(c).containsExactly(1L, 2L, 3L);
        assertThat(vault.kv().get("k")).isEqualTo(VaultFixtures.utf8("v"));
        assertThat(Arrays.asList(vault.kv().keys().iterator().next())).containsExactly("k");
    }
}
