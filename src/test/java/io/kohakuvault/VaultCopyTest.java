package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.ColumnFixtures.Kind;
import io.kohakuvault.VaultFixtures.Storage;
import io.kohakuvault.internal.column.ColumnCatalog;
import io.kohakuvault.internal.column.ColumnMeta;
import io.kohakuvault.internal.tools.VaultAccess;
import io.kohakuvault.testing.PostgresServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Vault#copyTo(Vault)} and {@link Vault#kvStores()}, between vault files and server vaults
 * (the test server's, see {@link VaultFixtures.ServerVaults}) in every direction.
 */
class VaultCopyTest {
    /** Value chunks of the round trip: small, so that a value of a few KiB is several chunk rows. */
    private static final int CHUNK = 4096;

    @TempDir
    Path dir;

    /** Where a copy reads and writes: the pairs of engines a copy can go between. */
    enum Direction {
        FILE_TO_FILE(Storage.FILE, Storage.FILE),
        FILE_TO_POSTGRES(Storage.FILE, Storage.POSTGRES),
        POSTGRES_TO_FILE(Storage.POSTGRES, Storage.FILE),
        POSTGRES_TO_POSTGRES(Storage.POSTGRES, Storage.POSTGRES);

        final Storage from;
        final Storage to;

        Direction(Storage from, Storage to) {
            this.from = from;
            this.to = to;
        }

        /** Opens the source vault: {@code dir/source}'s (a file there, or a schema of its own). */
        Vault source(Path dir) {
            return from.open(folder(dir, "source"));
        }

        /** Opens the target vault: {@code dir/target}'s. */
        Vault target(Path dir) {
            return to.open(folder(dir, "target"));
        }
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void kvStores_listsEveryStoreByName(Storage storage) {
        try (Vault vault = storage.open(dir)) {
            vault.kv("zeta");
            vault.kv().put("k", new byte[] {1});
            vault.kv("alpha");
            assertThat(vault.kvStores()).containsExactly("alpha", "kvault", "zeta");
        }
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void copyTo_everyStoreAndColumn_copiesThemAndCountsTheBytes(Direction direction) {
        try (Vault source = direction.source(dir);
                Vault target = direction.target(dir)) {
            source.kv().put("small", new byte[10]);
            source.kv().put(new byte[] {(byte) 0xff, 0}, new byte[3]);
            source.kv("big").put("v", new byte[3 << 20]);
            source.column("n", ColumnType.I64).extend(1, 2, 3);
            source.column("s", ColumnType.STRING).extend(List.of("ab", "c"));

            long copied = source.copyTo(target);

            assertThat(copied).isEqualTo(10 + 3 + (3 << 20) + 3 * 8 + 3);
            assertThat(target.kvStores()).containsExactly("big", "kvault");
            assertThat(target.kv().get(new byte[] {(byte) 0xff, 0})).hasSize(3);
            assertThat(target.kv("big").get("v")).hasSize(3 << 20);
            assertThat(target.column("n", ColumnType.I64).getLongs(0, 3)).containsExactly(1, 2, 3);
            assertThat(target.column("s", ColumnType.STRING)).containsExactly("ab", "c");
        }
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void copyTo_targetWithAColumnOfTheSameName_throwsAndChangesNothing(Direction direction) {
        try (Vault source = direction.source(dir);
                Vault target = direction.target(dir)) {
            source.kv("s").put("k", new byte[1]);
            source.column("n", ColumnType.I64).append(1);
            target.column("n", ColumnType.F64).append(2.0);

            assertThatThrownBy(() -> source.copyTo(target))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("column 'n'");
            assertThat(target.kvStores()).isEmpty();
            assertThat(target.columns().listColumns())
                    .extracting(ColumnInfo::name)
                    .containsExactly("n");
            assertThat(target.column("n", ColumnType.F64)).containsExactly(2.0);
        }
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void copyTo_targetWithAStoreOfTheSameName_throwsAndChangesNothing(Direction direction) {
        try (Vault source = direction.source(dir);
                Vault target = direction.target(dir)) {
            source.kv("media").put("clip", new byte[5]);
            source.kv("other").put("k", new byte[1]);
            source.column("n", ColumnType.I64).append(1);
            target.kv("media").put("mine", new byte[] {7});

            assertThatThrownBy(() -> source.copyTo(target))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("store 'media'")
                    .hasMessageNotContaining("store 'other'");
            assertThat(target.kvStores()).containsExactly("media");
            assertThat(target.kv("media").keys()).containsExactly("mine");
            assertThat(target.kv("media").get("mine")).containsExactly(7);
            assertThat(target.columns().listColumns()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void copyTo_itself_throws(Storage storage) {
        try (Vault source = storage.open(dir)) {
            assertThatThrownBy(() -> source.copyTo(source)).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Direction.class,
            names = {"FILE_TO_POSTGRES", "POSTGRES_TO_FILE"})
    void copyTo_aReadOnlyTarget_throwsNamingIt(Direction direction) {
        Path targetDir = folder(dir, "target");
        direction.to.open(targetDir).close();
        try (Vault source = direction.source(dir);
                Vault target = direction.to.open(targetDir, b -> b.readOnly(true))) {
            source.kv().put("k", new byte[1]);

            assertThatThrownBy(() -> source.copyTo(target))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("is read-only")
                    .hasMessageContaining(
                            direction.to == Storage.POSTGRES
                                    ? "(schema " + VaultFixtures.ServerVaults.schemaFor(targetDir) + ")"
                                    : targetDir.resolve("v.db").toString());
            assertThat(target.kvStores()).isEmpty();
        }
    }

    /**
     * A file with several stores (one of many keys, more than one target transaction's worth), a
     * value of many chunks and a column of every type, copied to a server vault and from there to
     * a new file: each vault holds the same keys, values, dtypes, chunk sizes and element bytes as
     * the first, and reads back the values written.
     */
    @Test
    void copyTo_fileToPostgresAndBack_isByteIdentical() {
        UnaryOperator<VaultBuilder> small = b -> b.chunkSize(CHUNK).columnChunkSizes(ColumnFixtures.SMALL);
        Map<String, List<Object>> written = new LinkedHashMap<>();
        try (Vault file = Storage.FILE.open(folder(dir, "file"), small);
                Vault server = Storage.POSTGRES.open(folder(dir, "server"), small);
                Vault back = Storage.FILE.open(folder(dir, "back"), small)) {
            fillWithEverything(file, written);
            List<String> original = contents(file);

            long there = file.copyTo(server);
            long andBack = server.copyTo(back);

            assertThat(contents(server)).isEqualTo(original);
            assertThat(contents(back)).isEqualTo(original);
            assertThat(andBack).isEqualTo(there).isPositive();
            assertThat(server.kv("media").get("clip")).isEqualTo(VaultFixtures.bytes(10 * CHUNK + 123, 3));
            for (Kind kind : Kind.values()) {
                String name = columnName(kind);
                assertThat(ColumnFixtures.norm(
                                ColumnFixtures.all(server.columns().column(name))))
                        .as(name + " on the server")
                        .isEqualTo(ColumnFixtures.norm(written.get(name)));
                assertThat(ColumnFixtures.norm(ColumnFixtures.all(back.columns().column(name))))
                        .as(name + " back in a file")
                        .isEqualTo(ColumnFixtures.norm(written.get(name)));
            }
            assertThat(back.column("c_json", ColumnType.json(Object.class))).isEqualTo(written.get("c_json"));
            assertThat(back.column("c_cbor", ColumnType.cbor(Object.class))).isEqualTo(written.get("c_cbor"));
        }
    }

    /**
     * Copies far more than the heap holds, file to server and server to file, each in a child JVM
     * of a 32 MiB heap: a value three times the heap, and a column the size of the heap.
     */
    @Test
    void copyTo_fileToPostgresAndBack_ofThreeTimesTheHeap_fitsInA32MiBHeap() throws Exception {
        Path source = folder(dir, "file").resolve("big.db");
        try (Vault vault = Vault.open(source)) {
            vault.kv("media").putFile("big", new PatternStream(Copier.VALUE_BYTES));
            LongColumn n = vault.column("n", ColumnType.I64);
            long[] block = new long[1 << 16];
            for (long from = 0; from < Copier.ELEMENTS; from += block.length) {
                for (int i = 0; i < block.length; i++) {
                    block[i] = (from + i) * 31;
                }
                n.extend(block);
            }
            vault.kv().put("small", new byte[] {1, 2, 3});
        }
        // The server's URL, password included, goes to the children in a file only this user reads,
        // not on their command lines.
        PostgresServer.Database db = VaultFixtures.ServerVaults.DATABASE.get();
        String schema = VaultFixtures.ServerVaults.schemaFor(folder(dir, "server"));
        Path urlFile = dir.resolve("server.url");
        Files.createFile(urlFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(
                urlFile,
                db.url() + "?user=" + URLEncoder.encode(db.user(), StandardCharsets.UTF_8) + "&password="
                        + URLEncoder.encode(db.password(), StandardCharsets.UTF_8) + "&currentSchema=" + schema);
        Path back = folder(dir, "back").resolve("back.db");

        ChildJvm.Result there =
                ChildJvm.run(Copier.class, "32m", 300, "to-server", source.toString(), urlFile.toString());
        assertThat(there.exitCode()).as(there.output()).isZero();
        ChildJvm.Result andBack =
                ChildJvm.run(Copier.class, "32m", 300, "to-file", back.toString(), urlFile.toString());
        assertThat(andBack.exitCode()).as(andBack.output()).isZero();

        long expected = Copier.VALUE_BYTES + Copier.ELEMENTS * 8 + 3;
        assertThat(there.output()).contains("copied=" + expected);
        assertThat(andBack.output()).contains("copied=" + expected);
        assertThat(there.output() + andBack.output()).doesNotContain(db.password());
        try (Vault original = Vault.builder(source).readOnly(true).open();
                Vault copy = Vault.builder(back).readOnly(true).open()) {
            assertThat(contents(copy)).isEqualTo(contents(original));
            assertThat(copy.kv("media").openStream("big")).hasSameContentAs(new PatternStream(Copier.VALUE_BYTES));
        }
    }

    /** The child's side: one copy between a file and the server vault the URL file names. */
    public static final class Copier {
        static final long VALUE_BYTES = 96L << 20;
        static final long ELEMENTS = 4L << 20;
        /**
         * Each vault's read cache: the default (64 MiB) is itself more than the heap, so the
         * children keep 4 MiB, and what the copy holds beyond that must not grow with the data.
         */
        static final long READ_CACHE = 4L << 20;

        private Copier() {}

        /**
         * Copies a file to the server vault, or the server vault to a new file, and prints the bytes copied.
         *
         * @param args {@code to-server FILE URL_FILE} or {@code to-file FILE URL_FILE}
         */
        public static void main(String[] args) throws IOException {
            String url = Files.readString(Path.of(args[2])).strip();
            try (Vault file = Vault.builder(Path.of(args[1]))
                            .readCacheBytes(READ_CACHE)
                            .open();
                    Vault server = Vault.builder(url).readCacheBytes(READ_CACHE).open()) {
                long copied = args[0].equals("to-server") ? file.copyTo(server) : server.copyTo(file);
                System.out.println("copied=" + copied);
            }
        }
    }

    /** Fills {@code vault} with stores, a multi-chunk value and a column of every type; records each column's values. */
    private static void fillWithEverything(Vault vault, Map<String, List<Object>> written) {
        vault.kv().put("small", new byte[] {1, 2, 3});
        vault.kv().put(new byte[] {(byte) 0xff, 0, (byte) 0x80}, new byte[0]);
        vault.kv().put("exactly-one-chunk", VaultFixtures.bytes(CHUNK, 1));
        vault.kv("media").put("clip", VaultFixtures.bytes(10 * CHUNK + 123, 3));
        vault.kv("media").put("clip-2", VaultFixtures.bytes(3 * CHUNK, 4));
        vault.kv("empty");
        KVault many = vault.kv("many");
        vault.transaction(() -> {
            for (int i = 0; i < 600; i++) {
                many.put(String.format("key:%04d", i), VaultFixtures.bytes(i % 50, i));
            }
        });
        Random random = new Random(42);
        for (Kind kind : Kind.values()) {
            String name = columnName(kind);
            List<Object> values = new ArrayList<>(kind.specials());
            values.addAll(ColumnFixtures.samples(kind, random, 300));
            if (kind.variable()) {
                values.add(kind.large(5000, 9));
            }
            ColumnFixtures.extendPrimitive(ColumnFixtures.column(vault, name, kind), values);
            written.put(name, values);
        }
        List<Object> json = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> element = new LinkedHashMap<>();
            element.put("i", i);
            element.put("name", "élément " + i);
            element.put("tags", Arrays.asList("a", null, i % 2 == 0));
            element.put("x", i / 4.0);
            json.add(element);
        }
        vault.column("c_json", ColumnType.json(Object.class)).extend(json);
        written.put("c_json", json);
        vault.column("c_cbor", ColumnType.cbor(Object.class)).extend(json);
        written.put("c_cbor", json);
        VectorColumn vectors = vault.column("c_vector", ColumnType.vector(3));
        for (int i = 0; i < 100; i++) {
            vectors.append(new float[] {i, -i / 3f, Float.MAX_VALUE});
        }
        vault.columns()
                .createColumn("c_default_chunks", ColumnType.I32, ChunkSizes.DEFAULT)
                .extend(1, 2, 3);
        vault.columns().createColumn("c_empty", ColumnType.STRING);
    }

    /** @return the name of the round trip's column of {@code kind} */
    private static String columnName(Kind kind) {
        return "c_" + kind.name().toLowerCase(Locale.ROOT);
    }

    /**
     * @return what {@code vault} holds, a line per key and per column: each store's keys in order
     *     with their values' lengths and digests, each column's dtype, chunk sizes, length and the
     *     digest of its element bytes as stored
     */
    static List<String> contents(Vault vault) {
        List<String> lines = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (String store : vault.kvStores()) {
            lines.add("store " + store);
            KVault kv = vault.kv(store);
            for (byte[] key : kv.rawKeys()) {
                MessageDigest digest = sha256();
                long length = 0;
                try (InputStream in = kv.openStream(key)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        digest.update(buffer, 0, n);
                        length += n;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                lines.add("  " + hex.formatHex(key) + " " + length + " " + hex.formatHex(digest.digest()));
            }
        }
        for (ColumnInfo info : vault.columns().listColumns()) {
            ColumnMeta meta = ColumnCatalog.find(VaultAccess.database(vault), info.name());
            AbstractColumn<?> column = (AbstractColumn<?>) vault.columns().column(info.name());
            MessageDigest digest = sha256();
            for (long from = 0; from < column.length(); from += 1000) {
                for (byte[] element : column.store.readRange(from, Math.min(column.length(), from + 1000))) {
                    digest.update(ByteBuffer.allocate(4).putInt(element.length).array());
                    digest.update(element);
                }
            }
            lines.add("column " + info.name() + " " + info.type().dtype() + " chunks " + meta.minChunkBytes() + ".."
                    + meta.maxChunkBytes() + " length " + info.length() + " " + hex.formatHex(digest.digest()));
        }
        return lines;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** @return {@code dir/name}, created when missing: the folder of one vault of a test */
    static Path folder(Path dir, String name) {
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} bytes of a fixed pattern, made as they are read, never all in memory. */
    static final class PatternStream extends InputStream {
        private long position;
        private final long size;

        PatternStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            return position < size ? at(position++) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = (byte) at(position++);
            }
            return n;
        }

        private static int at(long position) {
            return (int) ((position * 2654435761L) >>> 13) & 0xff;
        }
    }
}
