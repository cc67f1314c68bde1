package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.SMALL;
import static io.kohakuvault.ColumnFixtures.all;
import static io.kohakuvault.ColumnFixtures.appendPrimitive;
import static io.kohakuvault.ColumnFixtures.column;
import static io.kohakuvault.ColumnFixtures.extendPrimitive;
import static io.kohakuvault.ColumnFixtures.getPrimitive;
import static io.kohakuvault.ColumnFixtures.norm;
import static io.kohakuvault.ColumnFixtures.range;
import static io.kohakuvault.ColumnFixtures.samples;
import static io.kohakuvault.ColumnFixtures.setPrimitive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.ColumnFixtures.Kind;
import io.kohakuvault.ColumnFixtures.Setup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The java.util.List contract of every column type, checked against an ArrayList doing the same
 * operations, with chunks small enough that a few elements cross chunk boundaries; and each
 * class's primitive methods, which must agree with the boxed view.
 */
class ColumnListTest extends VaultTestBase {
    static Stream<Arguments> kindsAndSetups() {
        return Arrays.stream(Kind.values())
                .flatMap(kind -> Stream.of(
                                Setup.FILE,
                                Setup.FILE_CACHED,
                                Setup.FILE_NO_READ_CACHE,
                                Setup.MEMORY_CACHED,
                                Setup.POSTGRES,
                                Setup.POSTGRES_CACHED)
                        .map(setup -> Arguments.of(kind, setup)));
    }

    static Stream<Arguments> kindsOnFileAndCached() {
        return Arrays.stream(Kind.values())
                .flatMap(kind -> Stream.of(Setup.FILE, Setup.FILE_CACHED, Setup.POSTGRES)
                        .map(setup -> Arguments.of(kind, setup)));
    }

    /** Asserts the column holds exactly {@code model}, read through the primitive range method and element by element. */
    private static void assertSame(Column<Object> column, List<Object> model, String step) {
        assertThat(column.size()).as("size after %s", step).isEqualTo(model.size());
        assertThat(column.length()).as("length after %s", step).isEqualTo(model.size());
        assertThat(norm(all(column))).as("elements after %s", step).isEqualTo(norm(model));
    }

    // ---- the model test ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndSetups")
    void randomOperations_matchAnArrayListAfterEveryStep(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "model", kind);
        List<Object> model = new ArrayList<>();
        Random random = new Random(kind.ordinal() * 1000L + setup.ordinal());
        for (int step = 0; step < 250; step++) {
            int op = model.isEmpty() ? 0 : random.nextInt(100);
            String what;
            if (op < 30) {
                Object value = kind.sample(random);
                switch (random.nextInt(3)) {
                    case 0 -> assertThat(column.add(value)).isTrue();
                    case 1 -> column.append(value);
                    default -> appendPrimitive(column, value);
                }
                model.add(value);
                what = "append " + norm(value);
            } else if (op < 40) {
                List<Object> values = samples(kind, random, 1 + random.nextInt(random.nextBoolean() ? 5 : 40));
                switch (random.nextInt(3)) {
                    case 0 -> column.extend(values);
                    case 1 -> assertThat(column.addAll(values)).isTrue();
                    default -> extendPrimitive(column, values);
                }
                model.addAll(values);
                what = "extend by " + values.size();
            } else if (op < 55) {
                int i = random.nextInt(model.size());
                Object value = kind.sample(random);
                if (random.nextBoolean()) {
                    Object old = column.set(i, value);
                    assertThat(norm(old))
                            .as("set(%d) returns the old element", i)
                            .isEqualTo(norm(model.get(i)));
                } else {
                    setPrimitive(column, i, value);
                }
                model.set(i, value);
                what = "set(" + i + ")";
            } else if (op < 70) {
                int i = random.nextInt(model.size() + 1);
                Object value = kind.sample(random);
                column.add(i, value);
                model.add(i, value);
                what = "add(" + i + ")";
            } else if (op < 85 || model.size() > 200) {
                int i = random.nextInt(model.size());
                Object removed = column.remove(i);
                assertThat(norm(removed))
                        .as("remove(%d) returns the element", i)
                        .isEqualTo(norm(model.remove(i)));
                what = "remove(" + i + ")";
            } else if (op < 99) {
                for (int k = 0; k < 5; k++) {
                    int i = random.nextInt(model.size());
                    assertThat(norm(column.get(i))).as("get(%d)", i).isEqualTo(norm(model.get(i)));
                    assertThat(norm(getPrimitive(column, i)))
                            .as("primitive get(%d)", i)
                            .isEqualTo(norm(model.get(i)));
                }
                what = "reads";
            } else {
                column.clear();
                model.clear();
                what = "clear";
            }
            assertThat(column.size()).as("size after step %d: %s", step, what).isEqualTo(model.size());
            if (!model.isEmpty()) {
                int last = model.size() - 1;
                assertThat(norm(column.get(last)))
                        .as("last after step %d: %s", step, what)
                        .isEqualTo(norm(model.get(last)));
            }
            if (step % 5 == 0 || what.startsWith("add(") || what.startsWith("remove(")) {
                assertSame(column, model, "step " + step + ": " + what);
            }
        }
        assertSame(column, model, "the last step");
        assertThat(norm(new ArrayList<>(column))).as("iteration").isEqualTo(norm(model));
        if (setup.writeCache) {
            vault.flushCache();
        }
        if (setup.storage == VaultFixtures.Storage.FILE) {
            vault.close();
            vault = setup.open(dir);
            assertSame(column(vault, "model", kind), model, "reopening");
        }
    }

    // ---- positions: start, middle, end, chunk boundaries ---------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnFileAndCached")
    void insertAndRemove_atEveryPosition_shiftTheRest(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(7);
        List<Object> model = samples(kind, random, 45); // crosses at least three chunks of every type
        column.extend(model);
        // the ends, and both sides of every chunk boundary of 8-byte elements (8, 24) and of index entries (5, 15, 35)
        for (int i : new int[] {0, 1, 4, 5, 6, 7, 8, 9, 14, 15, 16, 23, 24, 25, 34, 35, 36, 44, 45}) {
            Object value = kind.sample(random);
            column.add(i, value);
            model.add(i, value);
            assertSame(column, model, "add(" + i + ")");
            Object removed = column.remove(i);
            assertThat(norm(removed)).isEqualTo(norm(model.remove(i)));
            assertSame(column, model, "remove(" + i + ")");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnFileAndCached")
    void setAtEveryPosition_changesOnlyThatElement(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(11);
        List<Object> model = samples(kind, random, 45);
        column.extend(model);
        for (int i = 0; i < model.size(); i++) {
            Object value = kind.sample(random);
            Object old = column.set(i, value);
            assertThat(norm(old)).isEqualTo(norm(model.set(i, value)));
        }
        assertSame(column, model, "setting every element");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void removeFromTheFront_untilEmpty_thenGrowAgain(Kind kind) {
        vault = Setup.FILE.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(3);
        List<Object> model = samples(kind, random, 40);
        column.extend(model);
        while (!model.isEmpty()) {
            assertThat(norm(column.remove(0))).isEqualTo(norm(model.remove(0)));
            assertThat(column.size()).isEqualTo(model.size());
        }
        assertThat(column.isEmpty()).isTrue();
        assertThat(ColumnFixtures.chunkSeqs(vault, "c")).isEmpty();
        List<Object> again = samples(kind, random, 20);
        column.extend(again);
        assertSame(column, again, "growing again");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void removeFromTheEnd_untilEmpty_freesTrailingChunks(Kind kind) {
        vault = Setup.FILE.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = samples(kind, new Random(5), 40);
        column.extend(model);
        while (!model.isEmpty()) {
            int last = model.size() - 1;
            assertThat(norm(column.remove(last))).isEqualTo(norm(model.remove(last)));
            assertSame(column, model, "remove(" + last + ")");
        }
        assertThat(ColumnFixtures.chunkSeqs(vault, "c")).isEmpty();
    }

    // ---- a partly read chunk, then appends that run past it ------------------------------------

    /**
     * A chunk read while it was partly filled, then filled by one extend that runs into the next
     * chunks: every later read and write must see the full chunk, not the part read before.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnFileAndCached")
    void extendPastAPartlyReadChunk_thenReadSetInsertRemove_keepEveryElement(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(13);
        List<Object> model = samples(kind, random, 3);
        column.extend(model);
        vault.flushCache();
        // read the short first chunk whole (a range read) and point by point, twice
        assertSame(column, model, "three elements");
        assertSame(column, model, "three elements, again");
        for (int i = 0; i < 3; i++) {
            column.get(i);
            getPrimitive(column, i);
        }
        List<Object> more = samples(kind, random, 60);
        column.extend(more);
        model.addAll(more);
        vault.flushCache();
        assertSame(column, model, "an extend past the first chunk");
        for (int i = 0; i < model.size(); i++) {
            assertThat(norm(column.get(i))).as("get(%d)", i).isEqualTo(norm(model.get(i)));
            assertThat(norm(getPrimitive(column, i))).as("primitive get(%d)", i).isEqualTo(norm(model.get(i)));
        }
        Object value = kind.sample(random);
        column.set(1, value);
        model.set(1, value);
        assertSame(column, model, "set(1)");
        column.set(5, value);
        model.set(5, value);
        assertSame(column, model, "set(5)");
        column.add(2, value);
        model.add(2, value);
        assertSame(column, model, "add(2)");
        column.remove(0);
        model.remove(0);
        assertSame(column, model, "remove(0)");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"BYTES", "STRING"})
    void variableSet_afterExtendPastAPartlyReadHeapChunk_keepsNeighbours(Kind kind) {
        vault = Setup.FILE.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = new ArrayList<>(List.of(element(kind, "aaaa"), element(kind, "bbbb")));
        column.extend(model);
        assertSame(column, model, "two elements");
        assertSame(column, model, "two elements, again"); // the heap chunk is now cached, 8 bytes long
        List<Object> more = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            more.add(element(kind, "e" + i + "-" + "x".repeat(i % 7)));
        }
        column.extend(more); // fills the first heap chunk and runs into the next ones
        model.addAll(more);
        assertSame(column, model, "extend");
        // a shorter replacement of an element stored after the cached part of the first heap chunk
        column.set(3, element(kind, "S"));
        model.set(3, element(kind, "S"));
        assertSame(column, model, "shorter set(3)");
        column.set(2, element(kind, "TT"));
        model.set(2, element(kind, "TT"));
        assertSame(column, model, "shorter set(2)");
    }

    private static Object element(Kind kind, String text) {
        return kind == Kind.STRING ? text : VaultFixtures.utf8(text);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnFileAndCached")
    void addAll_ofTheColumnItself_doublesIt(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = samples(kind, new Random(43), 30);
        column.extend(model);
        column.addAll(column);
        model.addAll(new ArrayList<>(model));
        assertSame(column, model, "addAll(itself)");
        column.extend(column.subList(10, 20));
        model.addAll(new ArrayList<>(model.subList(10, 20)));
        assertSame(column, model, "extend(a subList of itself)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnFileAndCached")
    void extend_withAnIterableThatFailsHalfway_appendsNothing(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = samples(kind, new Random(47), 10);
        column.extend(model);
        List<Object> more = samples(kind, new Random(53), 10);
        RuntimeException failure = new IllegalStateException("source failed");
        Iterable<Object> failing = () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Object next() {
                if (next == 5) {
                    throw failure;
                }
                return more.get(next++);
            }
        };
        assertThatThrownBy(() -> column.extend(failing)).isSameAs(failure);
        vault.flushCache();
        assertSame(column, model, "a failed extend");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"I64", "I32", "F64", "F32", "FIXED_BYTES", "STRING"})
    void pointReadsOfAWarmChunk_seeThisVaultsOwnWrites(Kind kind) {
        vault = Setup.FILE.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(59);
        List<Object> model = samples(kind, random, 60);
        column.extend(model);
        for (int round = 0; round < 40; round++) {
            int i = (round * 7) % model.size();
            for (int k = 0; k < 3; k++) { // the chunk is cached after the second read
                assertThat(norm(getPrimitive(column, i))).isEqualTo(norm(model.get(i)));
                assertThat(norm(getPrimitive(column, model.size() - 1))).isEqualTo(norm(model.get(model.size() - 1)));
            }
            Object value = kind.sample(random);
            switch (round % 4) {
                case 0 -> setPrimitive(column, i, value);
                case 1 -> column.set(i, value);
                case 2 -> column.add(i, value);
                default -> {
                    column.remove(i);
                    column.add(i, value);
                    model.remove(i);
                }
            }
            if (round % 4 == 2) {
                model.add(i, value);
            } else if (round % 4 == 3) {
                model.add(i, value);
            } else {
                model.set(i, value);
            }
            Object appended = kind.sample(random);
            appendPrimitive(column, appended);
            model.add(appended);
            assertThat(norm(getPrimitive(column, i)))
                    .as("round %d: primitive get(%d)", round, i)
                    .isEqualTo(norm(model.get(i)));
            assertThat(norm(column.get(i))).as("round %d: get(%d)", round, i).isEqualTo(norm(model.get(i)));
            assertThat(norm(getPrimitive(column, model.size() - 1)))
                    .as("round %d: the last", round)
                    .isEqualTo(norm(appended));
        }
        assertSame(column, model, "every round");
    }

    // ---- variable-size replacements -----------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"BYTES", "STRING"})
    void variableSet_equalShorterLongerAndEmptyReplacements_keepNeighbours(Kind kind) {
        vault = Setup.FILE.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            model.add(element(kind, "value-" + i));
        }
        column.extend(model);
        String[] replacements = {
            "VALUE-X",
            "v",
            "a much longer replacement than before, crossing a heap chunk: " + "x".repeat(300),
            "",
            "back to a short one",
            "",
            "y".repeat(1000)
        };
        int[] positions = {0, 4, 5, 6, 15, 28, 29};
        for (String replacement : replacements) {
            for (int i : positions) {
                Object value = element(kind, replacement + i);
                Object old = column.set(i, value);
                assertThat(norm(old)).isEqualTo(norm(model.set(i, value)));
                assertSame(column, model, "set(" + i + ") to " + replacement.length() + " chars");
            }
        }
        Object empty = element(kind, "");
        column.set(10, empty);
        model.set(10, empty);
        column.set(10, empty);
        assertSame(column, model, "empty over empty");
        column.set(10, element(kind, "filled again"));
        model.set(10, element(kind, "filled again"));
        assertSame(column, model, "non-empty over empty");
    }

    // ---- special values and sizes --------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnFileAndCached")
    void specialValues_areStoredExactly_throughEveryPath(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> specials = kind.specials();
        List<Object> model = new ArrayList<>();
        for (Object value : specials) {
            column.append(value);
            appendPrimitive(column, value);
            model.add(value);
            model.add(value);
        }
        column.extend(specials);
        model.addAll(specials);
        extendPrimitive(column, specials);
        model.addAll(specials);
        assertSame(column, model, "appending the special values");
        for (int i = 0; i < model.size(); i++) {
            assertThat(norm(column.get(i))).as("get(%d)", i).isEqualTo(norm(model.get(i)));
            assertThat(norm(getPrimitive(column, i))).as("primitive get(%d)", i).isEqualTo(norm(model.get(i)));
        }
        // the same values written over other ones, by set and by insert
        for (int i = 0; i < specials.size(); i++) {
            Object value = specials.get(specials.size() - 1 - i);
            setPrimitive(column, i, value);
            model.set(i, value);
            column.add(i, value);
            model.add(i, value);
        }
        assertSame(column, model, "setting and inserting the special values");
        vault.flushCache();
        if (setup.storage == VaultFixtures.Storage.FILE) {
            vault.close();
            vault = setup.open(dir);
            assertSame(column(vault, "c", kind), model, "reopening");
        }
    }

    @Test
    void nanPayloadsAndNegativeZero_keepTheirExactBits() {
        vault = Setup.FILE.open(dir);
        DoubleColumn doubles = vault.column("d", ColumnType.F64);
        FloatColumn floats = vault.column("f", ColumnType.F32);
        long[] doubleBits = {0x7ff8000000000123L, 0xfff8000000000000L, 0x8000000000000000L, 0x7ff0000000000000L, 1L};
        int[] floatBits = {0x7fc00123, 0xffc00000, 0x80000000, 0x7f800000, 1};
        for (long bits : doubleBits) {
            doubles.append(Double.longBitsToDouble(bits));
        }
        for (int bits : floatBits) {
            floats.append(Float.intBitsToFloat(bits));
        }
        for (int i = 0; i < doubleBits.length; i++) {
            assertThat(Double.doubleToRawLongBits(doubles.getDouble(i)))
                    .as("double %d", i)
                    .isEqualTo(doubleBits[i]);
            assertThat(Double.doubleToRawLongBits(doubles.getDoubles(0, doubleBits.length)[i]))
                    .isEqualTo(doubleBits[i]);
            assertThat(Float.floatToRawIntBits(floats.getFloat(i)))
                    .as("float %d", i)
                    .isEqualTo(floatBits[i]);
            assertThat(Float.floatToRawIntBits(floats.getFloats(0, floatBits.length)[i]))
                    .isEqualTo(floatBits[i]);
        }
        assertThat(doubles.indexOf(Double.NaN)).isZero();
        assertThat(doubles.indexOf(-0.0)).isEqualTo(2);
        assertThat(doubles.contains(0.0)).isFalse(); // Double.equals tells -0.0 and 0.0 apart, as ArrayList does
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Setup.class,
            names = {"FILE", "FILE_CACHED", "FILE_NO_READ_CACHE", "MEMORY", "POSTGRES"})
    void largeElements_biggerThanAChunk_surroundedBySmallOnes(Setup setup) {
        vault = setup.storage
                .builder(dir)
                .readCacheBytes(setup.readCache ? VaultBuilder.DEFAULT_READ_CACHE_BYTES : 0)
                .open();
        if (setup.writeCache) {
            vault.withCache(4 << 20, 2 << 20);
        }
        BytesColumn column = vault.columns().column("frames", ColumnType.BYTES, ChunkSizes.of(64 << 10, 256 << 10));
        byte[] mib = VaultFixtures.bytes(1 << 20, 1);
        byte[] nearlyChunk = VaultFixtures.bytes((256 << 10) - 1, 2);
        column.append(VaultFixtures.utf8("before"));
        column.append(mib);
        column.append(VaultFixtures.utf8("between"));
        column.append(nearlyChunk);
        column.append(new byte[0]);
        column.append(VaultFixtures.bytes(3 << 20, 3));
        column.append(VaultFixtures.utf8("after"));
        List<byte[]> expected = List.of(
                VaultFixtures.utf8("before"),
                mib,
                VaultFixtures.utf8("between"),
                nearlyChunk,
                new byte[0],
                VaultFixtures.bytes(3 << 20, 3),
                VaultFixtures.utf8("after"));
        for (int round = 0; round < 2; round++) { // the second round reads through the chunk cache
            for (int i = 0; i < expected.size(); i++) {
                assertThat(column.getBytes(i)).as("element %d", i).isEqualTo(expected.get(i));
            }
        }
        assertThat(column.getRange(0, 7)).containsExactlyElementsOf(expected);
        assertThat(column).isEqualTo(expected);
        // a large element replaced by a small one and back
        column.setBytes(1, VaultFixtures.utf8("small now"));
        assertThat(column.getBytes(1)).isEqualTo(VaultFixtures.utf8("small now"));
        column.setBytes(1, mib);
        assertThat(column.getBytes(1)).isEqualTo(mib);
        assertThat(column.getBytes(2)).isEqualTo(VaultFixtures.utf8("between"));
        column.add(0, mib);
        assertThat(column.getBytes(0)).isEqualTo(mib);
        assertThat(column.getBytes(2)).isEqualTo(mib);
        assertThat(column.getBytes(7)).isEqualTo(VaultFixtures.utf8("after"));
    }

    @Test
    void largeStrings_andAFixedSizeLargerThanAChunk() {
        vault = Setup.FILE.open(dir);
        StringColumn strings = vault.columns().column("s", ColumnType.STRING, SMALL);
        String big = "😀中é".repeat(50_000); // 450 KB of UTF-8, far past the 256-byte chunk
        strings.append("a");
        strings.append(big);
        strings.append("b");
        assertThat(strings.getString(1)).isEqualTo(big);
        assertThat(strings.getRange(0, 3)).containsExactly("a", big, "b");
        BytesColumn wide = vault.columns().column("w", ColumnType.bytes(1000), SMALL); // one element per chunk
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            values.add(VaultFixtures.bytes(1000, i));
        }
        wide.extend(values);
        wide.add(3, VaultFixtures.bytes(1000, 99));
        values.add(3, VaultFixtures.bytes(1000, 99));
        wide.remove(0);
        values.remove(0);
        assertThat(wide.getRange(0, wide.length())).containsExactlyElementsOf(values);
        assertThat(ColumnFixtures.chunkSizes(vault, "w")).containsOnly(1000).hasSize(10);
    }

    // ---- List methods ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void listViewMethods_agreeWithArrayList(Kind kind) {
        vault = Setup.FILE.open(dir);
        Column<Object> column = column(vault, "c", kind);
        Random random = new Random(17);
        List<Object> values = samples(kind, random, 30);
        column.extend(values);
        ArrayList<Object> model = new ArrayList<>(values);

        assertThat(column.isEmpty()).isFalse();
        // iteration: for-each, ListIterator both ways, stream, toArray
        List<Object> iterated = new ArrayList<>();
        for (Object value : column) {
            iterated.add(value);
        }
        assertThat(norm(iterated)).isEqualTo(norm(model));
        ListIterator<Object> backwards = column.listIterator(column.size());
        List<Object> reversed = new ArrayList<>();
        while (backwards.hasPrevious()) {
            reversed.add(backwards.previous());
        }
        Collections.reverse(reversed);
        assertThat(norm(reversed)).isEqualTo(norm(model));
        assertThat(norm(column.stream().collect(Collectors.toList()))).isEqualTo(norm(model));
        assertThat(norm(Arrays.asList(column.toArray()))).isEqualTo(norm(model));
        Iterator<Object> it = column.iterator();
        for (int i = 0; i < model.size(); i++) {
            it.next();
        }
        assertThat(it.hasNext()).isFalse();
        assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
        List<Object> streamed = ColumnFixtures.stream(column);
        if (streamed != null) {
            assertThat(norm(streamed)).isEqualTo(norm(model));
        }

        // subList: a view that reads and writes through
        List<Object> sub = column.subList(5, 25);
        assertThat(norm(new ArrayList<>(sub))).isEqualTo(norm(model.subList(5, 25)));
        assertThat(sub.size()).isEqualTo(20);
        Object value = kind.sample(random);
        sub.set(0, value);
        model.set(5, value);
        sub.remove(1);
        model.remove(6);
        sub.add(2, value);
        model.add(7, value);
        sub.subList(10, 13).clear();
        model.subList(15, 18).clear();
        assertSame(column, model, "writes through a subList");

        // equals and hashCode against an ArrayList of the same elements (by content for byte arrays)
        if (kind.variable() || kind == Kind.FIXED_BYTES) {
            assertThat(column.equals(model)).isTrue();
            Column<Object> twin = column(vault, "twin", kind);
            twin.extend(model);
            assertThat(column.equals(twin)).isTrue();
            assertThat(column.hashCode()).isEqualTo(twin.hashCode());
            twin.set(0, kind.sample(random));
            assertThat(column.equals(twin)).isFalse();
        } else {
            assertThat(column.equals(model)).isTrue();
            assertThat(model.equals(column)).isTrue();
            assertThat(column.hashCode()).isEqualTo(model.hashCode());
            assertThat(column).isEqualTo(model);
        }
        List<Object> shorter = new ArrayList<>(model.subList(0, model.size() - 1));
        assertThat(column.equals(shorter)).isFalse();
        assertThat(column.equals(List.of())).isFalse();
        assertThat(column.equals("not a list")).isFalse();

        // indexOf, lastIndexOf, contains (Objects.equals; by content where the class says so)
        if (!kind.variable() && kind != Kind.FIXED_BYTES) {
            Object duplicate = model.get(3);
            column.set(20, duplicate);
            model.set(20, duplicate);
            assertThat(column.indexOf(duplicate)).isEqualTo(model.indexOf(duplicate));
            assertThat(column.lastIndexOf(duplicate)).isEqualTo(model.lastIndexOf(duplicate));
            assertThat(column.contains(duplicate)).isTrue();
            Object absent = kind.sample(new Random(-1));
            assertThat(column.contains(absent)).isEqualTo(model.contains(absent));
            assertThat(column.indexOf(absent)).isEqualTo(model.indexOf(absent));
        } else if (kind == Kind.STRING) {
            assertThat(column.indexOf(model.get(7))).isEqualTo(model.indexOf(model.get(7)));
            assertThat(column.contains("certainly not in the column")).isFalse();
        } else {
            // byte arrays: by content, as BytesColumn.equals compares them
            byte[] copy = ((byte[]) model.get(7)).clone();
            int first = norm(model).indexOf(norm(copy));
            assertThat(column.indexOf(copy)).isEqualTo(first);
            assertThat(column.contains(copy)).isTrue();
            assertThat(column.contains(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9})).isFalse();
        }
        assertThat(column.contains(null)).isFalse();
        assertThat(column.indexOf(null)).isEqualTo(-1);

        // removing by value through the iterator, and clear
        Iterator<Object> remover = column.iterator();
        remover.next();
        remover.remove();
        model.remove(0);
        assertSame(column, model, "Iterator.remove");
        column.clear();
        assertThat(column.isEmpty()).isTrue();
        assertThat(column.size()).isZero();
        assertThat(column.length()).isZero();
        assertThat(column.iterator().hasNext()).isFalse();
        assertThat(ColumnFixtures.chunkSeqs(vault, "c")).isEmpty();
        column.add(value);
        assertThat(norm(column.get(0))).isEqualTo(norm(value));
    }

    @Test
    void listAlgorithms_sortReplaceAllRemoveIf_workThroughTheView() {
        vault = Setup.FILE.open(dir);
        LongColumn column = vault.columns().column("c", ColumnType.I64, SMALL);
        long[] values = new Random(23).longs(60, -1000, 1000).toArray();
        column.extend(values);
        List<Long> model = LongStream.of(values).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.sort(column);
        Collections.sort(model);
        assertThat(column).isEqualTo(model);
        column.replaceAll(v -> v * 2);
        model.replaceAll(v -> v * 2);
        assertThat(column).isEqualTo(model);
        column.removeIf(v -> v % 3 == 0);
        model.removeIf(v -> v % 3 == 0);
        assertThat(column).isEqualTo(model);
        assertThat(column.getLongs(0, column.length()))
                .containsExactly(model.stream().mapToLong(v -> v).toArray());
        column.addAll(3, List.of(7L, 8L, 9L));
        model.addAll(3, List.of(7L, 8L, 9L));
        assertThat(column).isEqualTo(model);
        assertThat(Collections.max(column)).isEqualTo(Collections.max(model));
    }

    // ---- primitive methods agree with the boxed view --------------------------------------------

    @Test
    void longColumn_primitiveMethods() {
        vault = Setup.FILE.open(dir);
        LongColumn c = vault.columns().column("c", ColumnType.I64, SMALL);
        c.append(Long.MIN_VALUE);
        c.extend(1L, 2L, Long.MAX_VALUE);
        c.extend(new long[0]);
        c.extend(LongStream.range(0, 50).toArray());
        assertThat(c.length()).isEqualTo(54);
        assertThat(c.getLong(0)).isEqualTo(Long.MIN_VALUE).isEqualTo(c.get(0));
        assertThat(c.getLong(3)).isEqualTo(Long.MAX_VALUE);
        assertThat(c.getLongs(4, 54)).containsExactly(LongStream.range(0, 50).toArray());
        assertThat(c.getLongs(10, 10)).isEmpty();
        assertThat(c.getLongs(54, 54)).isEmpty();
        c.setLong(1, -5);
        assertThat(c.get(1)).isEqualTo(-5L);
        assertThat(c.longStream().toArray()).containsExactly(c.getLongs(0, 54));
        assertThat(c.longStream().boxed().collect(Collectors.toList())).isEqualTo(new ArrayList<>(c));
        assertThat(c.longStream().sum())
                .isEqualTo(c.stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void intColumn_primitiveMethods() {
        vault = Setup.FILE.open(dir);
        IntColumn c = vault.columns().column("c", ColumnType.I32, SMALL);
        c.append(Integer.MIN_VALUE);
        c.extend(1, 2, Integer.MAX_VALUE);
        c.extend(IntStream.range(0, 50).toArray());
        assertThat(c.length()).isEqualTo(54);
        assertThat(c.getInt(0)).isEqualTo(Integer.MIN_VALUE).isEqualTo(c.get(0));
        assertThat(c.getInts(4, 54)).containsExactly(IntStream.range(0, 50).toArray());
        c.setInt(3, -7);
        assertThat(c.get(3)).isEqualTo(-7);
        assertThat(c.intStream().toArray()).containsExactly(c.getInts(0, 54));
        assertThat(c.intStream().boxed().collect(Collectors.toList())).isEqualTo(new ArrayList<>(c));
    }

    @Test
    void doubleAndFloatColumns_primitiveMethods() {
        vault = Setup.FILE.open(dir);
        DoubleColumn d = vault.columns().column("d", ColumnType.F64, SMALL);
        d.append(1.5);
        d.extend(Double.NaN, -0.0, Double.NEGATIVE_INFINITY);
        d.extend(IntStream.range(0, 40).asDoubleStream().toArray());
        assertThat(d.getDouble(0)).isEqualTo(1.5);
        assertThat(d.getDouble(1)).isNaN();
        assertThat(d.get(2)).isEqualTo(-0.0);
        assertThat(Double.doubleToRawLongBits(d.getDouble(2))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(d.getDoubles(4, 44))
                .containsExactly(IntStream.range(0, 40).asDoubleStream().toArray());
        d.setDouble(0, 2.25);
        assertThat(d.get(0)).isEqualTo(2.25);
        assertThat(d.doubleStream().boxed().collect(Collectors.toList())).isEqualTo(new ArrayList<>(d));

        FloatColumn f = vault.columns().column("f", ColumnType.F32, SMALL);
        f.append(1.5f);
        f.extend(Float.NaN, -0.0f, Float.POSITIVE_INFINITY, 3.25f);
        assertThat(f.getFloat(0)).isEqualTo(1.5f);
        assertThat(f.getFloat(1)).isNaN();
        assertThat(Float.floatToRawIntBits(f.getFloat(2))).isEqualTo(Float.floatToRawIntBits(-0.0f));
        assertThat(f.getFloats(0, 5)).containsExactly(1.5f, Float.NaN, -0.0f, Float.POSITIVE_INFINITY, 3.25f);
        f.setFloat(4, 0.5f);
        assertThat(f.get(4)).isEqualTo(0.5f);
        assertThat(f).isEqualTo(List.of(1.5f, Float.NaN, -0.0f, Float.POSITIVE_INFINITY, 0.5f));
    }

    @Test
    void bytesColumns_primitiveMethods_copyInAndOut() {
        vault = Setup.FILE.open(dir);
        BytesColumn fixed = vault.columns().column("fixed", ColumnType.bytes(4), SMALL);
        BytesColumn variable = vault.columns().column("variable", ColumnType.BYTES, SMALL);
        assertThat(fixed.fixedSize()).isEqualTo(4);
        assertThat(variable.fixedSize()).isEqualTo(-1);
        for (BytesColumn c : List.of(fixed, variable)) {
            byte[] given = {1, 2, 3, 4};
            c.append(given);
            given[0] = 9; // changing the array afterwards changes nothing stored
            assertThat(c.getBytes(0)).containsExactly(1, 2, 3, 4);
            c.getBytes(0)[1] = 9; // nor does changing what a read returned
            c.get(0)[2] = 9;
            c.getRange(0, 1).get(0)[3] = 9;
            assertThat(c.getBytes(0)).containsExactly(1, 2, 3, 4);
            byte[] replacement = {5, 6, 7, 8};
            c.setBytes(0, replacement);
            replacement[0] = 0;
            assertThat(c.get(0)).containsExactly(5, 6, 7, 8);
            c.extend(List.of(new byte[] {1, 1, 1, 1}, new byte[] {2, 2, 2, 2}));
            assertThat(c.getRange(1, 3)).containsExactly(new byte[] {1, 1, 1, 1}, new byte[] {2, 2, 2, 2});
            assertThat(c.getRange(3, 3)).isEmpty();
        }
    }

    @Test
    void bytesColumn_readsOfAppendsStillInTheWriteBackCache_areCopiesToo() {
        vault = Setup.FILE_CACHED.open(dir);
        BytesColumn c = vault.columns().column("c", ColumnType.BYTES, SMALL);
        byte[] given = {1, 2, 3};
        c.append(given);
        given[0] = 9;
        c.getBytes(0)[1] = 9;
        c.getRange(0, 1).get(0)[2] = 9;
        assertThat(c.getBytes(0)).containsExactly(1, 2, 3);
        vault.flushCache();
        assertThat(c.getBytes(0)).containsExactly(1, 2, 3);
    }

    @Test
    void stringColumn_primitiveMethods() {
        vault = Setup.FILE.open(dir);
        StringColumn c = vault.columns().column("c", ColumnType.STRING, SMALL);
        c.append("");
        c.append("héllo wörld");
        c.extend(List.of("😀🎉", "中文字符", "tab\tnew\nline", "quote ' \" ; --"));
        assertThat(c.getString(0)).isEmpty();
        assertThat(c.getString(2)).isEqualTo("😀🎉");
        assertThat(c.getRange(0, 6))
                .containsExactly("", "héllo wörld", "😀🎉", "中文字符", "tab\tnew\nline", "quote ' \" ; --");
        c.setString(1, "x");
        c.setString(2, "a longer value than the emoji were");
        assertThat(c)
                .containsExactly(
                        "", "x", "a longer value than the emoji were", "中文字符", "tab\tnew\nline", "quote ' \" ; --");
        assertThat(c.getRange(2, 4)).isEqualTo(c.subList(2, 4));
    }

    @Test
    void toString_showsNameDtypeLengthAndFirstElements() {
        vault = Setup.MEMORY.open(dir);
        LongColumn c = vault.column("ids", ColumnType.I64);
        c.extend(1, 2, 3);
        assertThat(c.toString()).contains("ids").contains("i64").contains("3").contains("1, 2, 3");
    }

    // ---- out-of-range indices and ranges ---------------------------------------------------------

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsOnFileAndCached")
    void outOfRangeIndices_throwIndexOutOfBounds_andChangeNothing(Kind kind, Setup setup) {
        vault = setup.open(dir);
        Column<Object> column = column(vault, "c", kind);
        List<Object> model = samples(kind, new Random(29), 20);
        column.extend(model);
        Object value = kind.sample(new Random(31));
        int n = model.size();
        for (int i : new int[] {-1, Integer.MIN_VALUE, n, n + 1, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> column.get(i)).as("get(%d)", i).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> getPrimitive(column, i))
                    .as("primitive get(%d)", i)
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> column.set(i, value))
                    .as("set(%d)", i)
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> setPrimitive(column, i, value))
                    .as("primitive set(%d)", i)
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> column.remove(i))
                    .as("remove(%d)", i)
                    .isInstanceOf(IndexOutOfBoundsException.class);
            if (i != n) {
                assertThatThrownBy(() -> column.add(i, value))
                        .as("add(%d)", i)
                        .isInstanceOf(IndexOutOfBoundsException.class);
            }
        }
        for (long i : new long[] {-1L, n, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> getPrimitive(column, i))
                    .as("primitive get(%d)", i)
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
        long[][] ranges = {
            {-1, 5}, {5, 4}, {0, n + 1}, {n, n + 1}, {n + 1, n + 1}, {-2, -1}, {3, Long.MAX_VALUE}, {Long.MIN_VALUE, 0}
        };
        for (long[] r : ranges) {
            assertThatThrownBy(() -> range(column, r[0], r[1]))
                    .as("range [%d, %d)", r[0], r[1])
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
        // from > to: the List javadoc says IndexOutOfBounds, AbstractList and ArrayList throw IllegalArgument
        assertThatThrownBy(() -> column.subList(5, 4))
                .isInstanceOfAny(IndexOutOfBoundsException.class, IllegalArgumentException.class);
        assertThatThrownBy(() -> column.subList(0, n + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> column.listIterator(n + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertSame(column, model, "out-of-range calls");
        // an empty column
        Column<Object> empty = column(vault, "empty", kind);
        assertThatThrownBy(() -> empty.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> getPrimitive(empty, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> empty.remove(0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> range(empty, 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(range(empty, 0, 0)).isEmpty();
        assertThat(empty.isEmpty()).isTrue();
    }

    @Test
    void outOfRange_messageNamesTheIndexColumnAndLength() {
        vault = Setup.FILE.open(dir);
        LongColumn c = vault.columns().column("temps", ColumnType.I64, SMALL);
        c.extend(1, 2, 3);
        assertThatThrownBy(() -> c.getLong(7))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("7")
                .hasMessageContaining("temps")
                .hasMessageContaining("3");
        assertThatThrownBy(() -> c.getLongs(2, 9))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("9")
                .hasMessageContaining("temps");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = Kind.class,
            names = {"I64", "BYTES"})
    void outOfRange_withAppendsInTheWriteBackCache_countsThem(Kind kind) {
        vault = Setup.FILE.open(dir);
        vault.withCache(1 << 20, 1 << 20);
        Column<Object> column = column(vault, "c", kind);
        List<Object> committed = samples(kind, new Random(37), 10);
        column.extend(committed);
        vault.flushCache();
        List<Object> cached = samples(kind, new Random(41), 5);
        column.extend(cached);
        assertThat(column.size()).isEqualTo(15);
        assertThat(norm(getPrimitive(column, 14))).isEqualTo(norm(cached.get(4)));
        assertThatThrownBy(() -> column.get(15)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> getPrimitive(column, 15)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> range(column, 10, 16)).isInstanceOf(IndexOutOfBoundsException.class);
        List<Object> expected = new ArrayList<>(committed);
        expected.addAll(cached);
        assertThat(norm(range(column, 8, 15))).isEqualTo(norm(expected.subList(8, 15)));
    }
}
