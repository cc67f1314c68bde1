package io.kohakuvault;

import static io.kohakuvault.ColumnFixtures.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.generators.SourceDSL.lists;

import io.kohakuvault.ColumnFixtures.Kind;
import io.kohakuvault.VaultFixtures.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Model-based test of the columns: random sequences of operations run against a vault and
 * against an {@code ArrayList} per column, which must agree after every step (length, every
 * element through the {@code List} view and the primitive getter, a range read of a random
 * {@code [from, to)}, iteration and the primitive stream, {@code equals} and {@code hashCode},
 * out-of-range reads, {@code listColumns()}; and a second vault on the same file sees exactly what
 * was committed (inside a transaction, what was there when it began).
 *
 * <p>For each column type, a column of that type and a second column of another type in the same
 * vault, both with {@link ColumnFixtures#SMALL} chunks so that chunk boundaries are crossed often.
 * The operations: append (primitive, boxed, {@code List.add}), extend (primitive arrays,
 * iterables, {@code addAll}), set (primitive and {@code List.set}, which returns the old
 * element), insert {@code add(i, x)} and {@code remove(i)}, each with indices sometimes out of
 * range ({@link IndexOutOfBoundsException}, nothing changes); wrong elements (null, too long for
 * {@code bytes:N}, a string with an unpaired surrogate: {@link InvalidArgumentException}, nothing
 * changes); the write-back cache on and off, flushes; transactions that commit or throw, nested
 * with inner failures caught; {@code clear()}; deleting the column and opening a new one of the
 * same name; appends to a third column that the first of them creates, perhaps inside a transaction
 * that rolls back; puts and deletes in the vault's key-value store, which transactions cover too; close
 * and reopen. {@code column(name, type)} must return the column object in use.
 *
 * <p>QuickTheories generates the sequences from a fixed seed and shrinks a failing one, which
 * {@link ModelScripts} cuts further to a minimal script and prints with the seed. The default run
 * is, per column type, 50 sequences of 10 to 40 operations (about 1,250 operations, transaction
 * bodies not counted, and at least 1,000: checked); the heavy run is 500 per type. {@code -Dkohakuvault.model.seed=N} picks
 * another seed.
 */
class ColumnModelTest {
    static final long SEED = Long.getLong("kohakuvault.model.seed", 20261201L);

    @TempDir
    Path dir;

    /** @return every kind, on a file and on the test server */
    static Stream<Arguments> kindsAndStorages() {
        return Stream.of(Storage.FILE, Storage.POSTGRES)
                .flatMap(storage -> Stream.of(Kind.values()).map(kind -> Arguments.of(kind, storage)));
    }

    /**
     * @return every kind on a file; on the test server, where a script's first open creates a schema
     *     (about 0.2 s of Flyway), one kind of each layout (fixed numbers, fixed bytes, variable
     *     bytes), each with a partner of another layout; every kind there in the heavy run
     */
    static Stream<Arguments> kindsOnAFileAndLayoutsOnAServer() {
        return Stream.concat(
                Stream.of(Kind.values()).map(kind -> Arguments.of(kind, Storage.FILE)),
                Stream.of(Kind.I64, Kind.FIXED_BYTES, Kind.STRING).map(kind -> Arguments.of(kind, Storage.POSTGRES)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("kindsOnAFileAndLayoutsOnAServer")
    void randomSequences_agreeWithListModel(Kind kind, Storage storage) {
        check(kind, storage, 50, SEED + kind.ordinal());
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("kindsAndStorages")
    @Tag("heavy")
    void manyRandomSequences_agreeWithListModel(Kind kind, Storage storage) {
        check(kind, storage, 500, SEED + 100 + kind.ordinal());
    }

    private void check(Kind kind, Storage storage, int sequences, long seed) {
        Kind[] kinds = {kind, partner(kind)};
        assertTimeoutPreemptively(
                Duration.ofMinutes(sequences > 100 ? 30 : 5),
                () -> ModelScripts.check(
                        seed,
                        sequences,
                        lists().of(ops(kinds, 0)).ofSizeBetween(10, 40),
                        ops -> new Run(storage, dir, kinds, ops).run()));
    }

    /** @return the type of the second column beside a column of {@code kind} */
    static Kind partner(Kind kind) {
        Kind[] all = Kind.values();
        return all[(kind.ordinal() + 3) % all.length];
    }

    // ---- the model's vocabulary --------------------------------------------------------------

    /** An element value, shown readably. */
    record V(Object value) {
        @Override
        public String toString() {
            if (value instanceof byte[] b) {
                return b.length <= 12
                        ? "0x" + HexFormat.of().formatHex(b)
                        : "0x" + HexFormat.of().formatHex(b, 0, 8) + "...(" + b.length + " bytes)";
            }
            if (value instanceof String s) {
                String shown = s.length() <= 16 ? s : s.substring(0, 12) + "...(" + s.length() + " chars)";
                return '"' + shown.replace("\u0000", "\\0").replace("\n", "\\n") + '"';
            }
            if (value instanceof Float f) {
                return f + "f";
            }
            if (value instanceof Long l) {
                return l + "L";
            }
            return String.valueOf(value);
        }
    }

    /** Where an index points, resolved against the length when the operation runs. */
    enum Where {
        INSIDE,
        FIRST,
        END,
        PAST_END,
        NEGATIVE;

        /** @return the index for a column of {@code length}; {@code pick} chooses inside */
        long resolve(long length, int pick, boolean insert) {
            return switch (this) {
                case INSIDE -> insert ? pick % (length + 1) : length == 0 ? 0 : pick % length;
                case FIRST -> 0;
                case END -> length;
                case PAST_END -> length + 1;
                case NEGATIVE -> -1;
            };
        }
    }

    /** Ways to append. */
    enum How {
        PRIMITIVE,
        BOXED,
        LIST
    }

    /** Wrong elements. */
    enum Wrong {
        NULL_APPEND,
        NULL_IN_EXTEND,
        NULL_SET,
        NULL_INSERT,
        TOO_LONG_OR_BAD_TEXT
    }

    sealed interface Op {
        void apply(Run run);
    }

    record Append(int col, V value, How how) implements Op {
        @Override
        public void apply(Run run) {
            Column<Object> c = run.columns[col];
            switch (how) {
                case PRIMITIVE -> ColumnFixtures.appendPrimitive(c, value.value());
                case BOXED -> c.append(value.value());
                case LIST -> assertThat(c.add(value.value())).as("add's result").isTrue();
            }
            run.models.get(col).add(run.stored(col, value.value()));
        }

        @Override
        public String toString() {
            return "c" + col + ".append" + (how == How.PRIMITIVE ? "" : "/" + how) + "(" + value + ")";
        }
    }

    record Extend(int col, List<V> values, How how) implements Op {
        @Override
        public void apply(Run run) {
            Column<Object> c = run.columns[col];
            List<Object> raw = values.stream().map(V::value).collect(Collectors.toList());
            switch (how) {
                case PRIMITIVE -> ColumnFixtures.extendPrimitive(c, raw);
                case BOXED -> c.extend(raw);
                case LIST -> assertThat(c.addAll(raw)).as("addAll's result").isEqualTo(!raw.isEmpty());
            }
            for (Object v : raw) {
                run.models.get(col).add(run.stored(col, v));
            }
        }

        @Override
        public String toString() {
            return "c" + col + ".extend" + (how == How.PRIMITIVE ? "" : "/" + how) + values;
        }
    }

    record Set(int col, Where where, int pick, V value, boolean primitive) implements Op {
        @Override
        public void apply(Run run) {
            Column<Object> c = run.columns[col];
            List<Object> model = run.models.get(col);
            long i = where.resolve(model.size(), pick, false);
            run.note("index " + i);
            if (i < 0 || i >= model.size()) {
                assertThatThrownBy(() -> {
                            if (primitive) {
                                ColumnFixtures.setPrimitive(c, i, value.value());
                            } else {
                                c.set((int) i, value.value());
                            }
                        })
                        .isInstanceOf(IndexOutOfBoundsException.class);
                return;
            }
            if (primitive) {
                ColumnFixtures.setPrimitive(c, i, value.value());
            } else {
                assertThat(norm(c.set((int) i, value.value())))
                        .as("set's old element")
                        .isEqualTo(norm(model.get((int) i)));
            }
            model.set((int) i, run.stored(col, value.value()));
        }

        @Override
        public String toString() {
            return "c" + col + (primitive ? ".setPrimitive(" : ".set(") + where
                    + (where == Where.INSIDE ? "#" + pick : "") + ", " + value + ")";
        }
    }

    record Insert(int col, Where where, int pick, V value) implements Op {
        @Override
        public void apply(Run run) {
            Column<Object> c = run.columns[col];
            List<Object> model = run.models.get(col);
            long i = where.resolve(model.size(), pick, true);
            run.note("index " + i);
            if (i < 0 || i > model.size()) {
                assertThatThrownBy(() -> c.add((int) i, value.value())).isInstanceOf(IndexOutOfBoundsException.class);
                return;
            }
            c.add((int) i, value.value());
            model.add((int) i, run.stored(col, value.value()));
        }

        @Override
        public String toString() {
            return "c" + col + ".add(" + where + (where == Where.INSIDE ? "#" + pick : "") + ", " + value + ")";
        }
    }

    record Remove(int col, Where where, int pick) implements Op {
        @Override
        public void apply(Run run) {
            Column<Object> c = run.columns[col];
            List<Object> model = run.models.get(col);
            long i = where.resolve(model.size(), pick, false);
            run.note("index " + i);
            if (i < 0 || i >= model.size()) {
                assertThatThrownBy(() -> c.remove((int) i)).isInstanceOf(IndexOutOfBoundsException.class);
                return;
            }
            assertThat(norm(c.remove((int) i))).as("remove's element").isEqualTo(norm(model.remove((int) i)));
        }

        @Override
        public String toString() {
            return "c" + col + ".remove(" + where + (where == Where.INSIDE ? "#" + pick : "") + ")";
        }
    }

    record WrongElement(int col, Wrong wrong, V valid) implements Op {
        @Override
        public void apply(Run run) {
            Column<Object> c = run.columns[col];
            Kind kind = run.kinds[col];
            int size = run.models.get(col).size();
            Runnable call = switch (wrong) {
                case NULL_APPEND -> () -> c.append(null);
                case NULL_IN_EXTEND -> () -> c.extend(Arrays.asList(valid.value(), null, valid.value()));
                case NULL_SET -> size == 0 ? () -> c.add(null) : () -> c.set(size - 1, null);
                case NULL_INSERT -> () -> c.add(size / 2, null);
                case TOO_LONG_OR_BAD_TEXT ->
                    switch (kind) {
                        case FIXED_BYTES -> () -> c.append(new byte[kind.type.fixedSize() + 1]);
                        case STRING -> () -> c.extend(List.of(valid.value(), "bad \uD800 text"));
                        default -> () -> c.append(null);
                    };
            };
            assertThatThrownBy(call::run).isInstanceOf(InvalidArgumentException.class);
        }

        @Override
        public String toString() {
            return "c" + col + ".wrong(" + wrong + ")";
        }
    }

    record Clear(int col) implements Op {
        @Override
        public void apply(Run run) {
            run.columns[col].clear();
            run.models.get(col).clear();
        }

        @Override
        public String toString() {
            return "c" + col + ".clear()";
        }
    }

    /** Deletes the column and opens a new, empty one of the same name and type. */
    record Recreate(int col) implements Op {
        @Override
        public void apply(Run run) {
            assertThat(run.vault.columns().deleteColumn(Run.NAMES[col]))
                    .as("deleteColumn's result")
                    .isTrue();
            assertThat(run.vault.columns().hasColumn(Run.NAMES[col]))
                    .as("hasColumn after deleteColumn")
                    .isFalse();
            run.columns[col] = ColumnFixtures.column(run.vault, Run.NAMES[col], run.kinds[col]);
            run.models.get(col).clear();
        }

        @Override
        public String toString() {
            return "c" + col + ".deleteAndRecreate()";
        }
    }

    /** A put ({@code seed >= 0}) or delete in the vault's key-value store: transactions cover both. */
    record KvWrite(int key, int seed) implements Op {
        @Override
        public void apply(Run run) {
            String k = "k" + key;
            if (seed < 0) {
                run.vault.kv().delete(k);
                run.kvModel.remove(k);
            } else {
                run.vault.kv().put(k, VaultFixtures.bytes(seed % 40, seed));
                run.kvModel.put(k, VaultFixtures.bytes(seed % 40, seed));
            }
        }

        @Override
        public String toString() {
            return seed < 0 ? "kv.delete(k" + key + ")" : "kv.put(k" + key + ", " + (seed % 40) + "B#" + seed + ")";
        }
    }

    /** Appends to the column "late", opening (and maybe creating) it here, perhaps inside a transaction. */
    record LateAppend(long value) implements Op {
        @Override
        public void apply(Run run) {
            run.vault.column("late", ColumnType.I64).append(value);
            if (run.late == null) {
                run.late = new ArrayList<>();
            }
            run.late.add(value);
        }

        @Override
        public String toString() {
            return "column(late).append(" + value + "L)";
        }
    }

    record CacheOn() implements Op {
        @Override
        public void apply(Run run) {
            if (run.depth > 0) {
                assertThatThrownBy(() -> run.vault
                                .columns()
                                .enableCache(ColumnFixtures.CACHE_CAPACITY, ColumnFixtures.CACHE_THRESHOLD))
                        .isInstanceOf(KohakuVaultException.class);
                return;
            }
            run.vault.columns().enableCache(ColumnFixtures.CACHE_CAPACITY, ColumnFixtures.CACHE_THRESHOLD);
            run.cacheOn = true;
        }

        @Override
        public String toString() {
            return "enableCache()";
        }
    }

    record CacheOff() implements Op {
        @Override
        public void apply(Run run) {
            if (run.depth > 0) {
                assertThatThrownBy(() -> run.vault.columns().disableCache()).isInstanceOf(KohakuVaultException.class);
                return;
            }
            run.vault.columns().disableCache();
            run.cacheOn = false;
        }

        @Override
        public String toString() {
            return "disableCache()";
        }
    }

    record Flush(boolean wholeVault) implements Op {
        @Override
        public void apply(Run run) {
            int n = wholeVault ? run.vault.flushCache() : run.vault.columns().flushCache();
            assertThat(n).as("flushCache's count").isNotNegative();
            if (run.depth > 0) {
                assertThat(n).as("flushCache's count inside a transaction").isZero();
            }
            assertThat(run.vault.columns().flushCache())
                    .as("a second flushCache's count")
                    .isZero();
        }

        @Override
        public String toString() {
            return wholeVault ? "vault.flushCache()" : "columns.flushCache()";
        }
    }

    record Transaction(List<Op> body, boolean fails) implements Op {
        @Override
        public void apply(Run run) {
            List<List<Object>> before = run.copyModels();
            Column<Object>[] objects = run.columns.clone();
            TreeMap<String, byte[]> kvBefore = new TreeMap<>(run.kvModel);
            List<Object> lateBefore = run.late == null ? null : new ArrayList<>(run.late);
            if (run.depth == 0) {
                run.committed = before; // the transaction flushes the caches first: the file then holds the models
            }
            run.depth++;
            try {
                ModelScripts.transaction(run.vault, fails, () -> body.forEach(run::step), () -> {
                    run.models = before;
                    run.kvModel = kvBefore;
                    run.late = lateBefore;
                    System.arraycopy(objects, 0, run.columns, 0, objects.length);
                });
            } finally {
                run.depth--;
            }
        }

        @Override
        public String toString() {
            return (fails ? "failingTransaction" : "transaction") + body;
        }
    }

    record Reopen() implements Op {
        @Override
        public void apply(Run run) {
            run.vault.close();
            run.open();
        }

        @Override
        public String toString() {
            return "closeAndReopen()";
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    static Gen<V> values(Kind kind) {
        Gen<V> samples = Generate.range(0, 100_000).map(seed -> new V(kind.sample(new Random(seed))));
        if (kind == Kind.FIXED_BYTES) { // shorter values are zero-padded
            return samples.mix(Generate.range(0, 7).map(n -> new V(ColumnFixtures.filled(n, (byte) 0x5a))), 20);
        }
        return samples;
    }

    static Gen<Op> ops(Kind[] kinds, int depth) {
        List<Pair<Integer, Gen<Op>>> choices = new ArrayList<>();
        for (int col = 0; col < 2; col++) {
            int c = col;
            int weight = col == 0 ? 3 : 1;
            Gen<V> values = values(kinds[col]);
            Gen<How> hows = Generate.enumValues(How.class);
            Gen<Where> wheres = Generate.frequency(
                    List.of(Pair.of(6, Generate.constant(Where.INSIDE)), Pair.of(1, Generate.enumValues(Where.class))));
            Gen<Integer> picks = Generate.range(0, 10_000);
            choices.add(Pair.of(6 * weight, values.zip(hows, (v, h) -> (Op) new Append(c, v, h))));
            choices.add(Pair.of(
                    3 * weight,
                    lists().of(values).ofSizeBetween(0, 30).zip(hows, (vs, h) -> (Op) new Extend(c, vs, h))));
            choices.add(Pair.of(3 * weight, wheres.zip(picks, values, Generate.booleans(), (w, p, v, prim) ->
                    (Op) new Set(c, w, p, v, prim))));
            choices.add(Pair.of(2 * weight, wheres.zip(picks, values, (w, p, v) -> (Op) new Insert(c, w, p, v))));
            choices.add(Pair.of(2 * weight, wheres.zip(picks, (w, p) -> (Op) new Remove(c, w, p))));
            choices.add(Pair.of(1, Generate.constant((Op) new Clear(c))));
            choices.add(Pair.of(1, Generate.constant((Op) new Recreate(c))));
            choices.add(Pair.of(weight, Generate.enumValues(Wrong.class).zip(values, (w, v) ->
                    (Op) new WrongElement(c, w, v))));
        }
        choices.add(Pair.of(2, Generate.range(0, 3).zip(Generate.range(-20, 1000), (k, seed) ->
                (Op) new KvWrite(k, seed))));
        choices.add(Pair.of(1, Generate.longRange(-5, 5).map(v -> (Op) new LateAppend(v))));
        choices.add(Pair.of(1, Generate.constant((Op) new CacheOn())));
        choices.add(Pair.of(1, Generate.constant((Op) new CacheOff())));
        choices.add(Pair.of(2, Generate.booleans().map(b -> (Op) new Flush(b))));
        if (depth < 2) {
            choices.add(Pair.of(
                    3, lists().of(ops(kinds, depth + 1)).ofSizeBetween(1, 5).zip(Generate.booleans(), (body, fails) ->
                            (Op) new Transaction(body, fails))));
        }
        if (depth == 0) {
            choices.add(Pair.of(2, Generate.constant((Op) new Reopen())));
        }
        return Generate.frequency(choices);
    }

    // ---- one run of a script -------------------------------------------------------------------

    static final class Run {
        static final String[] NAMES = {"main", "other"};

        final Storage storage;
        final Kind[] kinds;
        final List<Op> ops;
        final Path folder;
        Vault vault;

        @SuppressWarnings("unchecked")
        Column<Object>[] columns = new Column[2];

        List<List<Object>> models = List.of(new ArrayList<>(), new ArrayList<>());
        /** A second vault on the same file, which must see exactly what was committed. */
        Vault peer;
        /** Inside a transaction: the models as committed when it began. */
        List<List<Object>> committed;

        boolean cacheOn;
        /** The column "late", first opened by a {@link LateAppend}; null while it does not exist. */
        List<Object> late;
        /** The vault's default key-value store, written beside the columns. */
        TreeMap<String, byte[]> kvModel = new TreeMap<>();

        int depth;
        private int steps;
        private String note = "";

        Run(Storage storage, Path dir, Kind[] kinds, List<Op> ops) {
            this.storage = storage;
            this.kinds = kinds;
            this.ops = ops;
            try {
                this.folder = Files.createTempDirectory(dir, "run");
                if (storage == Storage.POSTGRES) {
                    VaultFixtures.ServerVaults.recycle(folder, "model_column"); // one schema, emptied per script
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void open() {
            vault = storage.builder(folder)
                    .columnChunkSizes(ColumnFixtures.SMALL)
                    .open();
            cacheOn = false;
            for (int i = 0; i < 2; i++) {
                columns[i] = ColumnFixtures.column(vault, NAMES[i], kinds[i]);
            }
        }

        /** @return {@code value} as the column of {@code col} stores it: fixed bytes zero-padded */
        Object stored(int col, Object value) {
            if (value instanceof byte[] b) {
                int size = kinds[col].type.fixedSize();
                return size > 0 ? Arrays.copyOf(b, size) : b.clone();
            }
            return value;
        }

        void note(String text) {
            note = text;
        }

        List<List<Object>> copyModels() {
            return List.of(new ArrayList<>(models.get(0)), new ArrayList<>(models.get(1)));
        }

        void run() {
            open();
            peer = storage.open(folder);
            try {
                for (Op op : ops) {
                    step(op);
                }
            } finally {
                vault.close();
                peer.close();
                delete(folder);
            }
        }

        void step(Op op) {
            steps++;
            note = "";
            try {
                op.apply(this);
                for (int col = 0; col < 2; col++) {
                    verify(col);
                }
                assertThat(vault.columns().listColumns().stream()
                                .map(i -> i.name() + ":" + i.length())
                                .sorted()
                                .collect(Collectors.toList()))
                        .as("listColumns()")
                        .isEqualTo(Stream.of(
                                        "main:" + models.get(0).size(),
                                        "other:" + models.get(1).size(),
                                        late == null ? null : "late:" + late.size())
                                .filter(x -> x != null)
                                .sorted()
                                .collect(Collectors.toList()));
                assertThat(vault.columns().hasColumn("late"))
                        .as("hasColumn(late)")
                        .isEqualTo(late != null);
                if (late != null) {
                    assertThat(ColumnFixtures.all(vault.column("late", ColumnType.I64)))
                            .as("column(late)")
                            .isEqualTo(late);
                }
                for (int k = 0; k < 4; k++) {
                    byte[] expected = kvModel.get("k" + k);
                    byte[] actual = vault.kv().get("k" + k);
                    assertThat(actual == null ? null : norm(actual))
                            .as("kv.get(k%d)", k)
                            .isEqualTo(expected == null ? null : norm(expected));
                }
                assertThat(vault.kv().size()).as("kv.size()").isEqualTo(kvModel.size());
                if (depth > 0 || !cacheOn) { // with the cache on, appends wait in memory: the file holds less
                    for (int col = 0; col < 2; col++) {
                        Column<Object> seen = ColumnFixtures.column(peer, NAMES[col], kinds[col]);
                        assertThat(norm(ColumnFixtures.all(seen)))
                                .as(
                                        "what a second vault sees of %s%s",
                                        NAMES[col], depth == 0 ? "" : " while a transaction is open")
                                .isEqualTo(norm((depth == 0 ? models : committed).get(col)));
                    }
                }
            } catch (ModelScripts.BlockFailed e) {
                throw e;
            } catch (AssertionError e) {
                throw new AssertionError(
                        "step " + steps + " " + op + (note.isEmpty() ? "" : " (" + note + ")")
                                + (depth > 0 ? " in a transaction" : "") + ": " + e.getMessage(),
                        e);
            } catch (RuntimeException e) {
                throw new AssertionError(
                        "step " + steps + " " + op + (note.isEmpty() ? "" : " (" + note + ")") + " threw " + e, e);
            }
        }

        /** Compares column {@code col} with its model. */
        void verify(int col) {
            Column<Object> c = columns[col];
            List<Object> model = models.get(col);
            String name = NAMES[col];
            int n = model.size();
            assertThat(ColumnFixtures.column(vault, name, kinds[col]))
                    .as("the object column(%s) returns", name)
                    .isSameAs(c);
            assertThat(c.length()).as("%s.length()", name).isEqualTo(n);
            assertThat(c.size()).as("%s.size()", name).isEqualTo(n);
            List<Object> expected = norm(model);
            List<Object> viaGet = new ArrayList<>(n);
            List<Object> viaPrimitive = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                viaGet.add(norm(c.get(i)));
                viaPrimitive.add(norm(ColumnFixtures.getPrimitive(c, i)));
            }
            assertThat(viaGet).as("%s.get(i) for every i", name).isEqualTo(expected);
            assertThat(viaPrimitive).as("%s primitive get(i) for every i", name).isEqualTo(expected);
            int from = (steps * 7) % (n + 1);
            int to = from + (steps * 13) % (n - from + 1);
            assertThat(norm(ColumnFixtures.range(c, from, to)))
                    .as("%s range [%d, %d)", name, from, to)
                    .isEqualTo(expected.subList(from, to));
            assertThat(norm(ColumnFixtures.all(c))).as("%s whole range", name).isEqualTo(expected);
            List<Object> iterated = new ArrayList<>(n);
            for (Object v : c) {
                iterated.add(norm(v));
            }
            assertThat(iterated).as("%s iteration", name).isEqualTo(expected);
            assertThat(c.equals(model)).as("%s.equals(the model)", name).isTrue();
            if (!(((Object) c)
                    instanceof BytesColumn)) { // a BytesColumn hashes contents, the model's arrays identities
                assertThat(c.hashCode()).as("%s.hashCode()", name).isEqualTo(model.hashCode());
            }
            List<Object> streamed = ColumnFixtures.stream(c);
            if (streamed != null) {
                assertThat(streamed).as("%s primitive stream", name).isEqualTo(expected);
            }
            assertThatThrownBy(() -> c.get(n)).as("%s.get(length)", name).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ColumnFixtures.getPrimitive(c, -1))
                    .as("%s primitive get(-1)", name)
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> ColumnFixtures.range(c, 0, n + 1))
                    .as("%s range past the end", name)
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }

        private static void delete(Path folder) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
