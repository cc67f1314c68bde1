package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kohakuvault.VaultFixtures.Storage;
import io.kohakuvault.internal.kv.KeyCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input that the other suites leave out (KVaultTest, KVaultStreamingTest, ColumnErrorsTest,
 * ColumnListTest and ColumnTypeTest cover the rest): null keys, values, streams and paths on
 * every key-value method; keys at and over the 64 KiB limit, counted in UTF-8 bytes; non-UTF-8
 * keys on every byte-key method; extreme indices on every primitive column method and inside a
 * transaction; store names that are SQL-significant or at the length limit; a stream failing half
 * way inside a transaction; and streams read after their key was deleted. Each bad call throws
 * the exception CONTRACT.md names, with a message naming the key, column, index or path, and the
 * store and columns are unchanged afterwards.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(
        value = Storage.class,
        names = {"FILE", "POSTGRES"})
class BadInputTest extends VaultTestBase {
    private static final int CHUNK = 4096;
    private static final int MAX_KEY = 64 * 1024;

    /** Where the vault lives: a file, or the test server's database. */
    @Parameter
    Storage storage;

    private KVault open() {
        vault = storage.builder(dir).chunkSize(CHUNK).open();
        return vault.kv();
    }

    /** Every key and value of every store named, to compare before and after a refused call. */
    private Map<String, List<String>> contents(String... stores) {
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (String store : stores) {
            List<String> entries = new ArrayList<>();
            for (Map.Entry<String, byte[]> e : vault.kv(store)) {
                entries.add(e.getKey() + "=" + Arrays.hashCode(e.getValue()) + "/" + e.getValue().length);
            }
            all.put(store, entries);
        }
        return all;
    }

    private void assertRefused(ThrowingCallable call, Class<? extends Throwable> type, String... named) {
        Map<String, List<String>> before = contents("kvault");
        int chunks = Inspect.chunkRows(vault);
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).isInstanceOf(type);
        for (String part : named) {
            assertThat(thrown).hasMessageContaining(part);
        }
        assertThat(contents("kvault")).isEqualTo(before);
        assertThat(Inspect.chunkRows(vault)).isEqualTo(chunks);
    }

    // ---- nulls ------------------------------------------------------------------------------------

    @Test
    void nullKeys_onEveryMethod_throwInvalidArgument_andChangeNothing() {
        KVault kv = open();
        kv.put("keep", bytes(3 * CHUNK, 1));
        String s = null;
        byte[] b = null;
        Path out = dir.resolve("out.bin");
        List<ThrowingCallable> calls = List.of(
                () -> kv.put(s, utf8("v")),
                () -> kv.put(b, utf8("v")),
                () -> kv.set(s, utf8("v")),
                () -> kv.set(b, utf8("v")),
                () -> kv.get(s),
                () -> kv.get(b),
                () -> kv.get(s, utf8("f")),
                () -> kv.require(s),
                () -> kv.delete(s),
                () -> kv.delete(b),
                () -> kv.exists(s),
                () -> kv.exists(b),
                () -> kv.contains(s),
                () -> kv.contains(b),
                () -> kv.putFile(s, new ByteArrayInputStream(new byte[1])),
                () -> kv.putFile(s, new ByteArrayInputStream(new byte[1]), 1),
                () -> kv.putFile(s, out),
                () -> kv.getToFile(s, new ByteArrayOutputStream()),
                () -> kv.getToFile(s, out),
                () -> kv.openStream(s),
                () -> kv.keys(null),
                () -> kv.rawKeys(null));
        for (ThrowingCallable call : calls) {
            assertRefused(call, InvalidArgumentException.class, "must not be null");
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void nullValuesStreamsAndPaths_throwInvalidArgumentNamingTheKey_andChangeNothing() {
        KVault kv = open();
        kv.put("k", utf8("old"));
        List<ThrowingCallable> calls = List.of(
                () -> kv.put("k", null),
                () -> kv.put(utf8("k"), null),
                () -> kv.set("k", null),
                () -> kv.putFile("k", (InputStream) null),
                () -> kv.putFile("k", (InputStream) null, 3),
                () -> kv.putFile("k", (Path) null),
                () -> kv.getToFile("k", (OutputStream) null),
                () -> kv.getToFile("k", (Path) null));
        for (ThrowingCallable call : calls) {
            assertRefused(call, InvalidArgumentException.class, "'k'", "must not be null");
        }
        assertThat(kv.get("k")).isEqualTo(utf8("old"));
    }

    // ---- key length -------------------------------------------------------------------------------

    /** The longest key: 64 KiB in a file, 2 KiB in a PostgreSQL vault (whose index entries are small). */
    private int maxKey() {
        return storage == Storage.POSTGRES ? KeyCodec.MAX_SERVER_KEY_BYTES : MAX_KEY;
    }

    @Test
    void keyOfExactlyTheLongest_isStoredAndFound_oneByteMoreIsRefusedEverywhere() {
        KVault kv = open();
        int maxKey = maxKey();
        byte[] longest = bytes(maxKey, 3);
        kv.put(longest, utf8("v"));
        kv.put(Arrays.copyOf(longest, maxKey - 1), utf8("shorter"));
        assertThat(kv.get(longest)).isEqualTo(utf8("v"));
        assertThat(kv.rawKeys()).anySatisfy(k -> assertThat(k).isEqualTo(longest));
        byte[] tooLong = Arrays.copyOf(longest, maxKey + 1);
        String tooLongText = "k".repeat(maxKey + 1);
        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> kv.put(tooLong, utf8("v")),
                () -> kv.get(tooLong),
                () -> kv.delete(tooLong),
                () -> kv.exists(tooLong),
                () -> kv.put(tooLongText, utf8("v")),
                () -> kv.putFile(tooLongText, new ByteArrayInputStream(bytes(3 * CHUNK, 1))),
                () -> kv.openStream(tooLongText),
                () -> kv.require(tooLongText))) {
            assertRefused(call, InvalidArgumentException.class, (maxKey + 1) + " bytes");
        }
        assertThat(kv.delete(longest)).isTrue();
        assertThat(kv.size()).isEqualTo(1);
    }

    @Test
    void textKey_isMeasuredInUtf8Bytes_notChars() {
        KVault kv = open();
        String euros = "\u20ac".repeat(maxKey() / 3); // 3 bytes each: 65535 bytes in a file
        kv.put(euros, utf8("fits"));
        assertThat(kv.get(euros)).isEqualTo(utf8("fits"));
        String over = euros + "\u20ac"; // 21846 chars, 65538 bytes in a file
        assertRefused(() -> kv.put(over, utf8("v")), InvalidArgumentException.class, (maxKey() / 3 * 3 + 3) + " bytes");
    }

    // ---- non-UTF-8 keys ---------------------------------------------------------------------------

    @Test
    void nonUtf8Keys_workOnEveryByteKeyMethod_andAreNotTheirDecodedText() {
        KVault kv = open();
        byte[] bad = {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3};
        kv.put(bad, utf8("raw"));
        kv.put(decoded(bad), utf8("text"));
        assertThat(kv.get(bad)).isEqualTo(utf8("raw"));
        assertThat(kv.exists(bad)).isTrue();
        assertThat(kv.size()).isEqualTo(2);
        assertThat(kv.rawKeys()).anySatisfy(k -> assertThat(k).isEqualTo(bad));
        assertThatThrownBy(() -> kv.require(decoded(new byte[] {(byte) 0xfd}))).isInstanceOf(NotFoundException.class);
        assertThat(kv.delete(bad)).isTrue();
        assertThat(kv.get(decoded(bad))).isEqualTo(utf8("text"));
        assertThat(kv.size()).isEqualTo(1);
    }

    /** @return what a non-UTF-8 key looks like as a {@code String}: its bad bytes become U+FFFD */
    private static String decoded(byte[] key) {
        return new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }

    // ---- store names ------------------------------------------------------------------------------

    static Stream<String> sqlSignificantStoreNames() {
        return Stream.of(
                "%",
                "_",
                "a%",
                "a_c",
                "--",
                "x--y",
                ";",
                "a;b",
                "'",
                "\"",
                "''",
                "a'); DROP TABLE vault_kv_store; --",
                "\\",
                "*",
                " ",
                "\u0000",
                "名前",
                "x".repeat(255));
    }

    @ParameterizedTest
    @MethodSource("sqlSignificantStoreNames")
    void sqlSignificantStoreNames_arePlainNames_separateFromEveryOther(String name) {
        KVault kv = open();
        if (storage == Storage.POSTGRES && name.contains("\u0000")) {
            // PostgreSQL's text cannot hold U+0000: the name is refused, naming the store, and nothing is made.
            assertThatThrownBy(() -> vault.kv(name).put("k", utf8("mine")))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("store '");
            assertThat(vault.kvStores()).doesNotContain(name);
            return;
        }
        for (String other : List.of("abc", "a", "ac", "x", "xy")) {
            vault.kv(other).put("k", utf8(other));
        }
        vault.kv(name).put("k", utf8("mine"));
        assertThat(vault.kv(name).get("k")).isEqualTo(utf8("mine"));
        for (String other : List.of("abc", "a", "ac", "x", "xy")) {
            assertThat(vault.kv(other).get("k")).as(other).isEqualTo(utf8(other));
            assertThat(vault.kv(other).size()).isEqualTo(1);
        }
        vault.kv(name).clear();
        assertThat(vault.kv("a").get("k")).isEqualTo(utf8("a"));
        kv.put("default", utf8("d"));
        vault.close();
        vault = storage.builder(dir).table(name).open();
        assertThat(vault.kv().name()).isEqualTo(name);
        assertThat(vault.kv().size()).isZero();
        assertThat(vault.kv("kvault").get("default")).isEqualTo(utf8("d"));
    }

    @Test
    void badStoreNames_inKvAndTable_throwInvalidArgument_andCreateNothing() {
        open();
        for (String bad : new String[] {"", "x".repeat(256), null}) {
            assertThatThrownBy(() -> vault.kv(bad))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("name");
            assertThatThrownBy(() ->
                            Vault.builder(dir.resolve("other.db")).table(bad).open())
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("table");
        }
        assertThat(dir.resolve("other.db")).doesNotExist();
    }

    // ---- column indices -----------------------------------------------------------------------------

    @Test
    void extremeIndices_onEveryPrimitiveMethod_throwIndexOutOfBoundsNamingIndexAndColumn() {
        open();
        LongColumn longs = vault.column("longs", ColumnType.I64);
        IntColumn ints = vault.column("ints", ColumnType.I32);
        DoubleColumn doubles = vault.column("doubles", ColumnType.F64);
        FloatColumn floats = vault.column("floats", ColumnType.F32);
        BytesColumn blobs = vault.column("blobs", ColumnType.BYTES);
        StringColumn strings = vault.column("strings", ColumnType.STRING);
        longs.extend(1, 2, 3);
        ints.extend(1, 2, 3);
        doubles.extend(1, 2, 3);
        floats.extend(1, 2, 3);
        blobs.extend(List.of(new byte[1], new byte[2], new byte[3]));
        strings.extend(List.of("a", "b", "c"));
        for (long i :
                new long[] {-1, 3, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 32}) {
            String index = Long.toString(i);
            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> longs.getLong(i),
                    () -> longs.setLong(i, 9),
                    () -> ints.getInt(i),
                    () -> ints.setInt(i, 9),
                    () -> doubles.getDouble(i),
                    () -> doubles.setDouble(i, 9),
                    () -> floats.getFloat(i),
                    () -> floats.setFloat(i, 9),
                    () -> blobs.getBytes(i),
                    () -> blobs.setBytes(i, new byte[1]),
                    () -> strings.getString(i),
                    () -> strings.setString(i, "z"))) {
                assertThatThrownBy(call)
                        .isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessageContaining(index);
            }
        }
        long[][] ranges = {
            {2, 1},
            {3, 2},
            {-1, 2},
            {Long.MIN_VALUE, Long.MAX_VALUE},
            {Long.MAX_VALUE, Long.MAX_VALUE},
            {Integer.MIN_VALUE, 0},
            {0, 1L << 32}
        };
        for (long[] r : ranges) {
            for (ThrowingCallable call : List.<ThrowingCallable>of(
                    () -> longs.getLongs(r[0], r[1]), () -> ints.getInts(r[0], r[1]),
                    () -> doubles.getDoubles(r[0], r[1]), () -> floats.getFloats(r[0], r[1]),
                    () -> blobs.getRange(r[0], r[1]), () -> strings.getRange(r[0], r[1]))) {
                assertThatThrownBy(call)
                        .isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessageContaining(Long.toString(r[0]))
                        .hasMessageContaining(Long.toString(r[1]));
            }
        }
        assertThat(longs.getLongs(0, 3)).containsExactly(1, 2, 3);
        assertThat(strings).containsExactly("a", "b", "c");
        assertThat(blobs.getRange(0, 3)).containsExactly(new byte[1], new byte[2], new byte[3]);
    }

    @Test
    void outOfRangeIndices_insideATransaction_throwAndTheTransactionStillCommitsTheRest() {
        open();
        LongColumn c = vault.column("c", ColumnType.I64);
        StringColumn s = vault.column("s", ColumnType.STRING);
        c.extend(1, 2, 3);
        s.append("a");
        vault.transaction(() -> {
            c.append(4);
            s.append("b");
            for (long i : new long[] {-1, 4, Long.MAX_VALUE, Integer.MIN_VALUE}) {
                assertThatThrownBy(() -> c.getLong(i))
                        .isInstanceOf(IndexOutOfBoundsException.class)
                        .hasMessageContaining(Long.toString(i))
                        .hasMessageContaining("'c'");
                assertThatThrownBy(() -> c.setLong(i, 0)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> s.getString(i)).isInstanceOf(IndexOutOfBoundsException.class);
                assertThatThrownBy(() -> s.setString(i, "x")).isInstanceOf(IndexOutOfBoundsException.class);
            }
            assertThatThrownBy(() -> c.getLongs(3, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> s.getRange(1, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.remove(9)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> c.add(9, 0L)).isInstanceOf(IndexOutOfBoundsException.class);
        });
        assertThat(c.getLongs(0, c.length())).containsExactly(1, 2, 3, 4);
        assertThat(s).containsExactly("a", "b");
    }

    // ---- streams ----------------------------------------------------------------------------------

    @Test
    void putFileFailingHalfWay_insideATransactionThatCatchesIt_leavesNoChunks_andTheRestCommits() {
        KVault kv = open();
        byte[] old = bytes(3 * CHUNK, 1);
        kv.put("k", old);
        vault.transaction(() -> {
            kv.put("before", utf8("b"));
            Throwable thrown = catchThrowable(() -> kv.putFile("k", failingAfter(bytes(10 * CHUNK, 2), 5 * CHUNK)));
            assertThat(thrown).isInstanceOf(VaultIoException.class).hasMessageContaining("'k'");
            assertThat(kv.get("k")).isEqualTo(old);
            kv.put("after", utf8("a"));
        });
        assertThat(kv.get("k")).isEqualTo(old);
        assertThat(kv.get("before")).isEqualTo(utf8("b"));
        assertThat(kv.get("after")).isEqualTo(utf8("a"));
        assertThat(Inspect.chunkRows(vault)).isEqualTo(3);
        assertThat(Inspect.blobRows(vault)).isEqualTo(1);
    }

    @Test
    void openStream_afterTheKeyIsDeleted_throwsVaultIo_neverAnotherValue() throws IOException {
        KVault kv = open();
        byte[] first = bytes(6 * CHUNK, 1);
        kv.put("k", first);
        InputStream deleted = kv.openStream("k");
        assertThat(deleted.readNBytes(CHUNK)).isEqualTo(Arrays.copyOf(first, CHUNK));
        kv.delete("k");
        assertThatThrownBy(deleted::readAllBytes)
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining("deleted");

        // deleted, then written again with a value of the same size: still never the new bytes
        kv.put("k", first);
        InputStream reborn = kv.openStream("k");
        assertThat(reborn.readNBytes(CHUNK)).isEqualTo(Arrays.copyOf(first, CHUNK));
        kv.delete("k");
        kv.put("k", bytes(6 * CHUNK, 2));
        assertThatThrownBy(reborn::readAllBytes).isInstanceOf(VaultIoException.class);

        // replaced by a small (inline) value, and the stream of a small value after its delete
        kv.put("k", first);
        InputStream toInline = kv.openStream("k");
        toInline.readNBytes(10);
        kv.put("k", utf8("small"));
        assertThatThrownBy(toInline::readAllBytes).isInstanceOf(VaultIoException.class);
        InputStream inline = kv.openStream("k");
        kv.delete("k");
        kv.put("k", utf8("other"));
        Throwable thrown =
                catchThrowable(() -> assertThat(inline.readAllBytes()).isEqualTo(utf8("small")));
        assertThat(thrown)
                .as("an inline value's stream returns that value or fails")
                .satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(VaultIoException.class));
        assertThat(Inspect.chunkRows(vault)).isZero();
    }

    /** A stream of {@code data} that throws an IOException once {@code after} bytes were read. */
    private static InputStream failingAfter(byte[] data, int after) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position >= after) {
                    throw new IOException("disk unplugged");
                }
                return position < data.length ? data[position++] & 0xff : -1;
            }
        };
    }
}
