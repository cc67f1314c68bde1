package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.generators.SourceDSL.lists;

import io.kohakuvault.VaultFixtures.Storage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Model-based test of {@link KVault}: random sequences of operations run against a vault and
 * against a {@code TreeMap} in unsigned byte order of the keys, which must agree after every step:
 * values of every key and of absent keys, {@code exists}, {@code size()}, {@code isEmpty()},
 * {@code keys()}, {@code rawKeys()}, prefix scans, {@code values()}, entry iteration, the
 * {@code asMap()} view, {@code openStream} and {@code getToFile} of one key, and the number of
 * blob and chunk rows in the file (nothing is left behind); and a second vault on the same file
 * sees exactly what was committed (inside a transaction, what was there when it began).
 *
 * <p>The operations: {@code put} through either key spelling (a small key pool, so keys collide,
 * with the empty key and keys that are not UTF-8), values of 0 to 2,000 bytes against a 256-byte
 * chunk size; {@code delete}; {@code asMap().put} and {@code remove}, which return the old value;
 * {@code putFile} from a stream of known or unknown size, from a file, from a stream that fails
 * half way (the call throws, nothing changes) or with a wrong declared size
 * ({@link InvalidArgumentException}, nothing changes); {@code clear}; the write-back cache on and
 * off with small sizes, so flushes happen by themselves too; {@code flushCache}; transactions that
 * commit or throw (the model is then unchanged), nested, with inner failures caught by the outer
 * block; close and reopen (cached writes survive). Any single-store operation may go to a second
 * store of the same vault instead, which has its own model: stores must not disturb each other.
 *
 * <p>QuickTheories generates the sequences from a fixed seed and shrinks a failing one, which
 * {@link ModelScripts} cuts further to a minimal script and prints with the seed. The default run
 * is 60 sequences of 10 to 40 operations (about 1,500 operations, transaction bodies not
 * counted, and at least 1,000: checked); the heavy run is 600 sequences.
 * {@code -Dkohakuvault.model.seed=N} picks another seed.
 */
class KVaultModelTest {
    static final int CHUNK = 256;
    static final long SEED = Long.getLong("kohakuvault.model.seed", 20261201L);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = Storage.class,
            names = {"FILE", "POSTGRES"})
    void randomSequences_agreeWithSortedMapModel(Storage storage) {
        check(storage, 60, SEED);
    }

    @ParameterizedTest
    @EnumSource(
            value = Storage.class,
            names = {"FILE", "POSTGRES"})
    @Tag("heavy")
    void manyRandomSequences_agreeWithSortedMapModel(Storage storage) {
        check(storage, 600, SEED + 1);
    }

    private void check(Storage storage, int sequences, long seed) {
        assertTimeoutPreemptively(
                Duration.ofMinutes(sequences > 100 ? 30 : 5),
                () -> ModelScripts.check(seed, sequences, sequences(0), ops -> new Run(storage, dir, ops).run()));
    }

    // ---- the model's vocabulary --------------------------------------------------------------

    /** A key of the pool: text keys have a String spelling, raw ones only bytes. */
    record Key(String label, byte[] bytes, boolean text) {
        static Key text(String s) {
            return new Key("'" + s.replace("\u0000", "\\0") + "'", s.getBytes(StandardCharsets.UTF_8), true);
        }

        static Key raw(int... b) {
            byte[] bytes = new byte[b.length];
            for (int i = 0; i < b.length; i++) {
                bytes[i] = (byte) b[i];
            }
            return new Key("0x" + HexFormat.of().formatHex(bytes), bytes, false);
        }

        String string() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The keys operations use: few, so that they collide. The first shrinks best. */
    static final List<Key> KEYS = List.of(
            Key.text("a"),
            Key.text(""),
            Key.text("b"),
            Key.text("ab"),
            Key.text("a\u0000"),
            Key.text("é"),
            Key.text("😀"),
            Key.raw(0xff),
            Key.raw(0xff, 0x00),
            Key.raw(0x80),
            Key.raw(0xc3),
            Key.raw(0x00));

    /** Keys never written: they must read as absent. */
    static final List<Key> ABSENT = List.of(Key.text("never"), Key.raw(0xfe, 0xff), Key.text("a\u0000\u0000"));

    /** Prefixes of the prefix scans: text, and bytes that are not UTF-8 (0xff is past every text key). */
    static final List<Key> PREFIXES =
            List.of(Key.text("a"), Key.text(""), Key.text("a\u0000"), Key.raw(0xff), Key.raw(0xc3), Key.raw(0x80));

    /** A value of {@code length} deterministic bytes. */
    record Val(int length, int seed) {
        byte[] bytes() {
            return VaultFixtures.bytes(length, seed);
        }

        @Override
        public String toString() {
            return length + "B#" + seed;
        }
    }

    /** How a {@code putFile} gets its bytes. */
    enum Source {
        STREAM_SIZED,
        STREAM_UNSIZED,
        FILE,
        FAILS_HALF_WAY_SIZED,
        FAILS_HALF_WAY_UNSIZED,
        SIZE_TOO_LARGE,
        SIZE_TOO_SMALL
    }

    /** One step of a script. */
    sealed interface Op {
        void apply(Run run) throws Exception;
    }

    record Put(Key key, Val value, boolean rawSpelling) implements Op {
        @Override
        public void apply(Run run) {
            byte[] v = value.bytes();
            if (key.text() && !rawSpelling) {
                run.s.kv.put(key.string(), v);
            } else {
                run.s.kv.put(key.bytes(), v);
            }
            Arrays.fill(v, (byte) 1); // the store copied it
            run.s.model.put(key.bytes(), value.bytes());
        }

        @Override
        public String toString() {
            return "put(" + key + (rawSpelling && key.text() ? " as bytes" : "") + ", " + value + ")";
        }
    }

    record Delete(Key key) implements Op {
        @Override
        public void apply(Run run) {
            boolean existed = key.text() ? run.s.kv.delete(key.string()) : run.s.kv.delete(key.bytes());
            assertThat(existed).as("delete's result").isEqualTo(run.s.model.containsKey(key.bytes()));
            run.s.model.remove(key.bytes());
        }

        @Override
        public String toString() {
            return "delete(" + key + ")";
        }
    }

    record PutFile(Key key, Val value, Source source) implements Op {
        @Override
        public void apply(Run run) throws IOException {
            String k = key.string();
            byte[] v = value.bytes();
            switch (source) {
                case STREAM_SIZED, STREAM_UNSIZED -> {
                    TrackedStream in = new TrackedStream(v, -1);
                    if (source == Source.STREAM_SIZED) {
                        run.s.kv.putFile(k, in, v.length);
                    } else {
                        run.s.kv.putFile(k, in);
                    }
                    assertThat(in.closed).as("putFile closed the stream").isFalse();
                    run.s.model.put(key.bytes(), v);
                }
                case FILE -> {
                    Path file = run.folder.resolve("in.bin");
                    Files.write(file, v);
                    run.s.kv.putFile(k, file);
                    run.s.model.put(key.bytes(), v);
                }
                case FAILS_HALF_WAY_SIZED, FAILS_HALF_WAY_UNSIZED -> {
                    TrackedStream in = new TrackedStream(v, v.length / 2);
                    assertThatThrownBy(() -> {
                                if (source == Source.FAILS_HALF_WAY_SIZED) {
                                    run.s.kv.putFile(k, in, v.length);
                                } else {
                                    run.s.kv.putFile(k, in);
                                }
                            })
                            .isInstanceOf(VaultIoException.class);
                }
                case SIZE_TOO_LARGE, SIZE_TOO_SMALL -> {
                    long declared = source == Source.SIZE_TOO_LARGE || v.length == 0 ? v.length + 1 : v.length - 1;
                    assertThatThrownBy(() -> run.s.kv.putFile(k, new ByteArrayInputStream(v), declared))
                            .isInstanceOf(InvalidArgumentException.class);
                }
            }
        }

        @Override
        public String toString() {
            return "putFile(" + key + ", " + value + ", " + source + ")";
        }
    }

    /** {@code put} or {@code remove} through the {@code asMap()} view, which return the old value. */
    record MapWrite(Key key, Val value) implements Op {
        @Override
        public void apply(Run run) {
            Map<String, byte[]> map = run.s.kv.asMap();
            byte[] old = run.s.model.get(key.bytes());
            byte[] returned = value == null ? map.remove(key.string()) : map.put(key.string(), value.bytes());
            assertThat(Run.hexOrNull(returned))
                    .as("the old value asMap returned")
                    .isEqualTo(Run.hexOrNull(old));
            if (value == null) {
                run.s.model.remove(key.bytes());
            } else {
                run.s.model.put(key.bytes(), value.bytes());
            }
        }

        @Override
        public String toString() {
            return value == null ? "asMap.remove(" + key + ")" : "asMap.put(" + key + ", " + value + ")";
        }
    }

    record Clear() implements Op {
        @Override
        public void apply(Run run) {
            run.s.kv.clear();
            run.s.model.clear();
        }

        @Override
        public String toString() {
            return "clear()";
        }
    }

    record CacheOn(long capacity, long threshold) implements Op {
        @Override
        public void apply(Run run) {
            if (run.depth > 0) {
                assertThatThrownBy(() -> run.s.kv.enableCache(capacity, threshold))
                        .isInstanceOf(KohakuVaultException.class);
                return;
            }
            run.s.kv.enableCache(capacity, threshold);
            run.s.cacheOn = true;
        }

        @Override
        public String toString() {
            return "enableCache(" + capacity + ", " + threshold + ")";
        }
    }

    record CacheOff() implements Op {
        @Override
        public void apply(Run run) {
            if (run.depth > 0) {
                assertThatThrownBy(() -> run.s.kv.disableCache()).isInstanceOf(KohakuVaultException.class);
                return;
            }
            run.s.kv.disableCache();
            run.s.cacheOn = false;
        }

        @Override
        public String toString() {
            return "disableCache()";
        }
    }

    record Flush(boolean wholeVault) implements Op {
        @Override
        public void apply(Run run) {
            int n = wholeVault ? run.vault.flushCache() : run.s.kv.flushCache();
            boolean cached = wholeVault ? Arrays.stream(run.sides).anyMatch(side -> side.cacheOn) : run.s.cacheOn;
            if (run.depth > 0 || !cached) {
                assertThat(n).as("flushCache's count with nothing to flush").isZero();
            } else {
                assertThat(n).as("flushCache's count").isNotNegative();
            }
            assertThat(run.s.kv.flushCache()).as("a second flushCache's count").isZero();
            if (wholeVault) {
                assertThat(run.vault.flushCache())
                        .as("a second vault.flushCache's count")
                        .isZero();
            }
        }

        @Override
        public String toString() {
            return wholeVault ? "vault.flushCache()" : "flushCache()";
        }
    }

    /** A transaction of {@code body}; when {@code fails}, the block throws at its end. */
    record Transaction(List<Op> body, boolean fails) implements Op {
        @Override
        public void apply(Run run) throws Exception {
            List<TreeMap<byte[], byte[]>> before =
                    Arrays.stream(run.sides).map(side -> Run.copy(side.model)).collect(Collectors.toList());
            if (run.depth == 0) {
                run.committed = before; // the transaction flushes the caches first: the file then holds the models
            }
            run.depth++;
            try {
                ModelScripts.transaction(run.vault, fails, () -> body.forEach(run::step), () -> {
                    for (int i = 0; i < run.sides.length; i++) {
                        run.sides[i].model = before.get(i);
                    }
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

    /** {@code op} on the second store of the vault, which must not disturb the first. */
    record OnOther(Op op) implements Op {
        @Override
        public void apply(Run run) throws Exception {
            Side was = run.s;
            run.s = run.sides[1];
            try {
                op.apply(run);
            } finally {
                run.s = was;
            }
        }

        @Override
        public String toString() {
            return "other." + op;
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

    /** A stream over {@code bytes} that remembers whether it was closed, and may throw after {@code failAt} bytes. */
    static final class TrackedStream extends InputStream {
        private final byte[] bytes;
        private final int failAt;
        private int at;
        boolean closed;

        TrackedStream(byte[] bytes, int failAt) {
            this.bytes = bytes;
            this.failAt = failAt;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (failAt >= 0 && at >= failAt) {
                throw new IOException("the stream failed on purpose after " + at + " bytes");
            }
            if (len == 0) {
                return 0;
            }
            if (at == bytes.length) {
                return -1;
            }
            int limit = failAt >= 0 ? failAt : bytes.length;
            int n = Math.max(1, Math.min(len, Math.min(limit, bytes.length) - at));
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    static Gen<Key> keys() {
        return Generate.pick(KEYS);
    }

    static Gen<Key> textKeys() {
        return Generate.pick(KEYS.stream().filter(Key::text).collect(Collectors.toList()));
    }

    static Gen<Val> values() {
        Gen<Integer> lengths = Generate.frequency(List.of(
                Pair.of(
                        3,
                        Generate.pick(List.of(10, 0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 1, 2000))),
                Pair.of(2, Generate.range(0, 2000))));
        return lengths.zip(Generate.range(0, 9), Val::new);
    }

    /** @return operations on one store: what {@link OnOther} may wrap */
    static Gen<Op> leafOps() {
        return Generate.frequency(storeOps());
    }

    static Gen<Op> ops(int depth) {
        List<Pair<Integer, Gen<Op>>> choices = storeOps();
        choices.add(Pair.of(4, leafOps().map(op -> (Op) new OnOther(op))));
        choices.add(Pair.of(2, Generate.booleans().map(b -> (Op) new Flush(b))));
        if (depth < 2) {
            choices.add(Pair.of(
                    3, lists().of(ops(depth + 1)).ofSizeBetween(1, 5).zip(Generate.booleans(), (body, fails) ->
                            (Op) new Transaction(body, fails))));
        }
        if (depth == 0) {
            choices.add(Pair.of(2, Generate.constant((Op) new Reopen())));
        }
        return Generate.frequency(choices);
    }

    private static List<Pair<Integer, Gen<Op>>> storeOps() {
        List<Pair<Integer, Gen<Op>>> choices = new ArrayList<>();
        choices.add(Pair.of(10, keys().zip(values(), Generate.booleans(), (k, v, raw) -> (Op) new Put(k, v, raw))));
        choices.add(Pair.of(4, keys().map(k -> (Op) new Delete(k))));
        choices.add(Pair.of(4, textKeys().zip(values(), Generate.enumValues(Source.class), (k, v, s) ->
                (Op) new PutFile(k, v, s))));
        choices.add(Pair.of(1, Generate.constant((Op) new Clear())));
        choices.add(Pair.of(2, textKeys().zip(values(), Generate.booleans(), (k, v, remove) ->
                (Op) new MapWrite(k, remove ? null : v))));
        choices.add(Pair.of(
                2,
                Generate.pick(List.of(new CacheOn(4096, 512), new CacheOn(1024, 300), new CacheOn(700, 700)))
                        .map(c -> (Op) c)));
        choices.add(Pair.of(1, Generate.constant((Op) new CacheOff())));
        return choices;
    }

    static Gen<List<Op>> sequences(int depth) {
        return lists().of(ops(depth)).ofSizeBetween(10, 40);
    }

    // ---- one run of a script -------------------------------------------------------------------

    /** One store of the vault with its model. */
    static final class Side {
        final String name;
        KVault kv;
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        boolean cacheOn;

        Side(String name) {
            this.name = name;
        }
    }

    /** One script on a fresh vault in a fresh folder, with the models beside it. */
    static final class Run {
        final Storage storage;
        final List<Op> ops;
        final Path folder;
        Vault vault;
        /** The default store and a second one. */
        final Side[] sides = {new Side("kvault"), new Side("other")};
        /** The store operations act on: the default one, unless {@link OnOther} says otherwise. */
        Side s = sides[0];

        int depth;
        /** A second vault on the same file, which must see exactly what was committed. */
        Vault peer;
        /** Inside a transaction: the models as committed when it began. */
        List<TreeMap<byte[], byte[]>> committed;

        private int steps;

        Run(Storage storage, Path dir, List<Op> ops) {
            this.storage = storage;
            this.ops = ops;
            try {
                this.folder = Files.createTempDirectory(dir, "run");
                if (storage == Storage.POSTGRES) {
                    VaultFixtures.ServerVaults.recycle(folder, "model_kv"); // one schema, emptied per script
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void open() {
            vault = storage.builder(folder).chunkSize(CHUNK).open();
            for (Side side : sides) {
                side.kv = vault.kv(side.name);
                side.cacheOn = false;
            }
        }

        void run() {
            open();
            peer = storage.builder(folder).chunkSize(CHUNK).open();
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
            try {
                op.apply(this);
                verify();
            } catch (ModelScripts.BlockFailed e) {
                throw e;
            } catch (AssertionError e) {
                throw new AssertionError(
                        "step " + steps + " " + op + (depth > 0 ? " in a transaction" : "") + ": " + e.getMessage(), e);
            } catch (Exception e) {
                throw new AssertionError("step " + steps + " " + op + " threw " + e, e);
            }
        }

        /** Compares every read of every store with its model, and the file's blob and chunk rows with the models. */
        void verify() throws IOException {
            Side was = s;
            try {
                for (Side side : sides) {
                    s = side;
                    try {
                        verifyStore(side.kv, side.model, side.cacheOn);
                    } catch (AssertionError e) {
                        throw new AssertionError("store '" + side.name + "': " + e.getMessage(), e);
                    }
                }
            } finally {
                s = was;
            }
            // keys() flushed the caches (a transaction has none): the file holds the models
            for (int i = 0; i < sides.length; i++) {
                TreeMap<byte[], byte[]> expected = depth == 0 ? sides[i].model : committed.get(i);
                KVault other = peer.kv(sides[i].name);
                List<String> seen = new ArrayList<>();
                for (Map.Entry<String, byte[]> e : other) {
                    seen.add(e.getKey() + "=" + hex(e.getValue()));
                }
                assertThat(seen)
                        .as(
                                "what a second vault sees of store '%s'%s",
                                sides[i].name, depth == 0 ? "" : " while a transaction is open")
                        .isEqualTo(expected.entrySet().stream()
                                .map(e -> new String(e.getKey(), StandardCharsets.UTF_8) + "=" + hex(e.getValue()))
                                .collect(Collectors.toList()));
            }
            List<byte[]> values = Arrays.stream(sides)
                    .flatMap(side -> side.model.values().stream())
                    .filter(v -> v.length > CHUNK)
                    .collect(Collectors.toList());
            assertThat(Inspect.blobRows(vault)).as("blob rows").isEqualTo(values.size());
            assertThat(Inspect.chunkRows(vault))
                    .as("chunk rows")
                    .isEqualTo(values.stream()
                            .mapToLong(v -> (v.length + CHUNK - 1) / CHUNK)
                            .sum());
        }

        private void verifyStore(KVault kv, TreeMap<byte[], byte[]> model, boolean cacheOn) throws IOException {
            assertThat(kv.isCacheEnabled()).as("cache on").isEqualTo(cacheOn);
            for (Key key : KEYS) {
                verifyKey(kv, model, key);
            }
            for (Key key : ABSENT) {
                assertThat(kv.get(key.bytes())).as("get of absent %s", key).isNull();
                assertThat(kv.exists(key.bytes()))
                        .as("exists of absent %s", key)
                        .isFalse();
            }
            assertThat(kv.size()).as("size()").isEqualTo(model.size());
            List<String> rawKeys = stream(kv.rawKeys()).map(Run::hex).collect(Collectors.toList());
            assertThat(rawKeys)
                    .as("rawKeys()")
                    .isEqualTo(model.keySet().stream().map(Run::hex).collect(Collectors.toList()));
            List<String> keys = stream(kv.keys()).collect(Collectors.toList());
            assertThat(keys)
                    .as("keys()")
                    .isEqualTo(model.keySet().stream()
                            .map(b -> new String(b, StandardCharsets.UTF_8))
                            .collect(Collectors.toList()));
            List<String> entries = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : kv) {
                entries.add(e.getKey() + "=" + hex(e.getValue()));
            }
            assertThat(entries)
                    .as("entries")
                    .isEqualTo(model.entrySet().stream()
                            .map(e -> new String(e.getKey(), StandardCharsets.UTF_8) + "=" + hex(e.getValue()))
                            .collect(Collectors.toList()));
            assertThat(stream(kv.values()).map(Run::hex).collect(Collectors.toList()))
                    .as("values()")
                    .isEqualTo(model.values().stream().map(Run::hex).collect(Collectors.toList()));
            assertThat(kv.isEmpty()).as("isEmpty()").isEqualTo(model.isEmpty());
            for (Key prefix : PREFIXES) {
                List<byte[]> expected = model.keySet().stream()
                        .filter(k -> startsWith(k, prefix.bytes()))
                        .collect(Collectors.toList());
                assertThat(stream(kv.rawKeys(prefix.bytes())).map(Run::hex).collect(Collectors.toList()))
                        .as("rawKeys(%s)", prefix)
                        .isEqualTo(expected.stream().map(Run::hex).collect(Collectors.toList()));
                if (prefix.text()) {
                    assertThat(stream(kv.keys(prefix.string())).collect(Collectors.toList()))
                            .as("keys(%s)", prefix)
                            .isEqualTo(expected.stream()
                                    .map(k -> new String(k, StandardCharsets.UTF_8))
                                    .collect(Collectors.toList()));
                }
            }
            Map<String, byte[]> map = kv.asMap();
            assertThat(map.size()).as("asMap().size()").isEqualTo(model.size());
            List<String> mapEntries = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : map.entrySet()) {
                mapEntries.add(e.getKey() + "=" + hex(e.getValue()));
            }
            assertThat(mapEntries).as("asMap().entrySet()").isEqualTo(entries);
            verifyStreams(
                    kv,
                    model,
                    KEYS.stream().filter(Key::text).collect(Collectors.toList()).get(steps % 7));
        }

        private void verifyKey(KVault kv, TreeMap<byte[], byte[]> model, Key key) {
            byte[] expected = model.get(key.bytes());
            assertThat(hexOrNull(kv.get(key.bytes()))).as("get(%s)", key).isEqualTo(hexOrNull(expected));
            assertThat(kv.exists(key.bytes())).as("exists(%s)", key).isEqualTo(expected != null);
            if (key.text()) {
                assertThat(hexOrNull(kv.get(key.string())))
                        .as("get(%s) by String", key)
                        .isEqualTo(hexOrNull(expected));
                assertThat(kv.contains(key.string())).as("contains(%s)", key).isEqualTo(expected != null);
            }
        }

        private void verifyStreams(KVault kv, TreeMap<byte[], byte[]> model, Key key) throws IOException {
            byte[] expected = model.get(key.bytes());
            String k = key.string();
            if (expected == null) {
                assertThatThrownBy(() -> kv.openStream(k))
                        .as("openStream(%s)", key)
                        .isInstanceOf(NotFoundException.class);
                assertThatThrownBy(() -> kv.getToFile(k, new ByteArrayOutputStream()))
                        .as("getToFile(%s)", key)
                        .isInstanceOf(NotFoundException.class);
                return;
            }
            try (InputStream in = kv.openStream(k)) {
                assertThat(hex(in.readAllBytes())).as("openStream(%s)", key).isEqualTo(hex(expected));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(kv.getToFile(k, out)).as("getToFile(%s)'s count", key).isEqualTo(expected.length);
            assertThat(hex(out.toByteArray())).as("getToFile(%s)", key).isEqualTo(hex(expected));
            Path file = folder.resolve("out.bin");
            assertThat(kv.getToFile(k, file))
                    .as("getToFile(%s, path)'s count", key)
                    .isEqualTo(expected.length);
            assertThat(hex(Files.readAllBytes(file)))
                    .as("getToFile(%s, path)", key)
                    .isEqualTo(hex(expected));
        }

        private static boolean startsWith(byte[] key, byte[] prefix) {
            return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
        }

        static TreeMap<byte[], byte[]> copy(TreeMap<byte[], byte[]> map) {
            TreeMap<byte[], byte[]> copy = new TreeMap<>(Arrays::compareUnsigned);
            copy.putAll(map);
            return copy;
        }

        private static <T> Stream<T> stream(Iterable<T> items) {
            List<T> all = new ArrayList<>();
            items.forEach(all::add);
            return all.stream();
        }

        /** @return the length and bytes of {@code b}, the bytes past the first 16 as a digest, for short messages */
        static String hex(byte[] b) {
            if (b.length <= 16) {
                return b.length + ":" + HexFormat.of().formatHex(b);
            }
            try {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(b);
                return b.length + ":" + HexFormat.of().formatHex(b, 0, 16) + "...sha256:"
                        + HexFormat.of().formatHex(digest, 0, 12);
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }

        static String hexOrNull(byte[] b) {
            return b == null ? null : hex(b);
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
