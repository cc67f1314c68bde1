package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Damaged files: truncated, with flipped bytes, or written by another program. Opening or reading
 * one gives a clear exception, never a JVM crash, a hang, or bytes that were not written: every
 * value a read returns is exactly the value stored (the checksums of schema version 3 catch bytes
 * changed behind SQLite's back). Each damaged copy is read in full, within a time limit.
 */
class CorruptionTest extends VaultTestBase {
    private static final int KEYS = 120;
    private static final int LONGS = 6_000;
    private static final int STRINGS = 400;
    private static final Duration PER_FILE = Duration.ofSeconds(20);

    /** What one read of a damaged copy found. */
    enum Outcome {
        /** Everything read back exactly. */
        INTACT,
        /** A clear exception of the vault's family, on open or on a read. */
        REFUSED,
        /** Something stored could not be found (a damaged key or length), but nothing wrong was returned. */
        MISSING,
        /** A read returned bytes that were never written: what must never happen. */
        WRONG
    }

    @Test
    void flippedBytes_anywhereInTheFile_areRefusedOrReadExactly_neverReturnedWrong() throws Exception {
        byte[] original = writeReferenceFile();
        Random random = new Random(42);
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (int round = 0; round < 120; round++) {
            byte[] damaged = original.clone();
            int flips = 1 + random.nextInt(4);
            StringBuilder where = new StringBuilder();
            for (int i = 0; i < flips; i++) {
                int at = random.nextInt(damaged.length);
                damaged[at] ^= (byte) (1 << random.nextInt(8));
                where.append(at).append(' ');
            }
            Outcome outcome = readDamagedCopy(damaged, "flip" + round);
            outcomes.merge(outcome, 1, Integer::sum);
            if (outcome == Outcome.WRONG) {
                wrong.add("bytes flipped at " + where);
            }
        }
        assertThat(wrong)
                .as("damaged copies that returned wrong bytes; outcomes %s", outcomes)
                .isEmpty();
        // Most of the file is stored bytes, so most flips must have been caught by a checksum.
        assertThat(outcomes.getOrDefault(Outcome.REFUSED, 0))
                .as("outcomes %s", outcomes)
                .isGreaterThan(60);
    }

    @Test
    void flippedBytes_inEveryStoredValue_areReportedAsCorrupt_namingTheKey() throws Exception {
        byte[] original = writeReferenceFile();
        byte[] value = expectedValue(7);
        int at = indexOf(original, Arrays.copyOfRange(value, 40, 72));
        assertThat(at).as("the value's bytes are in the file").isPositive();
        byte[] damaged = original.clone();
        damaged[at + 5] ^= 0x10;
        Path file = dir.resolve("one-flip.db");
        Files.write(file, damaged);
        try (Vault vault = Vault.open(file)) {
            assertThatThrownBy(() -> vault.kv().get("key:7"))
                    .isInstanceOf(VaultIoException.class)
                    .hasMessageContaining("'key:7'")
                    .hasMessageContaining("corrupt");
            // The other values are untouched, and the vault takes new writes, which read back.
            assertThat(vault.kv().get("key:8")).isEqualTo(expectedValue(8));
            vault.kv().put("key:7", utf8("rewritten"));
            assertThat(vault.kv().get("key:7")).isEqualTo(utf8("rewritten"));
        }
    }

    @Test
    void flippedBytes_inAColumnChunk_areReportedAsCorrupt_namingTheColumn() throws Exception {
        byte[] original = writeReferenceFile();
        // Elements 999 to 1001 of column "longs" (element i is i * 7919), little-endian.
        ByteBuffer neighbours = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (long e = 999; e <= 1001; e++) {
            neighbours.putLong(e * 7919);
        }
        int at = indexOf(original, neighbours.array());
        assertThat(at).as("the elements' bytes are in the file").isPositive();
        byte[] damaged = original.clone();
        damaged[at + 9] ^= 0x01; // a bit of element 1000
        Path file = dir.resolve("column-flip.db");
        Files.write(file, damaged);
        try (Vault vault = Vault.open(file)) {
            LongColumn longs = vault.column("longs", ColumnType.I64);
            assertThatThrownBy(() -> longs.getLongs(0, LONGS))
                    .isInstanceOf(VaultIoException.class)
                    .hasMessageContaining("'longs'")
                    .hasMessageContaining("corrupt");
        }
    }

    @Test
    void truncatedFiles_atAnyLength_areRefusedOrReadExactly() throws Exception {
        byte[] original = writeReferenceFile();
        Random random = new Random(7);
        Map<Outcome, Integer> outcomes = new TreeMap<>();
        List<Integer> wrong = new ArrayList<>();
        List<Integer> lengths = new ArrayList<>(List.of(1, 99, 100, 512, 4095, 4096, 4097, original.length - 1));
        for (int i = 0; i < 24; i++) {
            lengths.add(1 + random.nextInt(original.length - 1));
        }
        for (int length : lengths) {
            Outcome outcome = readDamagedCopy(Arrays.copyOf(original, length), "cut" + length);
            outcomes.merge(outcome, 1, Integer::sum);
            if (outcome == Outcome.WRONG || outcome == Outcome.INTACT) {
                wrong.add(length);
            }
        }
        // A cut file has lost pages: it can never read back whole.
        assertThat(wrong)
                .as("cut lengths that read back wrong or whole; outcomes %s", outcomes)
                .isEmpty();
    }

    @Test
    void truncatedFile_isRefusedOnOpen_withAClearMessageNamingThePath() throws Exception {
        byte[] original = writeReferenceFile();
        Path file = dir.resolve("cut.db");
        Files.write(file, Arrays.copyOf(original, original.length / 2));
        assertThatThrownBy(() -> Vault.open(file).close())
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void filesOfOtherPrograms_areRefusedNamingThePath_andLeftUnchanged() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0};
        byte[] text = utf8("SQLite format 3 is what this file pretends to be, but it is text.\n".repeat(200));
        byte[] header = Arrays.copyOf(utf8("SQLite format 3\0"), 4096); // a valid magic with a nonsense header
        for (byte[] content : List.of(png, zip, text, header, bytes(10_000, 3))) {
            Path file = dir.resolve("other-" + content.length + ".bin");
            Files.write(file, content);
            assertTimeoutPreemptively(
                    PER_FILE,
                    () -> assertThatThrownBy(() -> Vault.open(file).close())
                            .isInstanceOf(VaultIoException.class)
                            .hasMessageContaining(file.toString()));
            assertThat(Files.readAllBytes(file)).isEqualTo(content);
        }
    }

    @Test
    void sqliteFileOfAnotherProgram_withATableNamedLikeTheVaults_isRefused_andItsDataKept() throws Exception {
        Path file = dir.resolve("foreign.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE vault_meta (id INTEGER PRIMARY KEY, schema_version TEXT)");
            s.execute("INSERT INTO vault_meta VALUES (1, 'banana')");
        }
        assertThatThrownBy(() -> Vault.open(file).close())
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining(file.toString());
        // Its own table is as it was, and the vault added none of its own (the journal mode may have changed).
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                var rows = s.executeQuery("SELECT group_concat(name, ',') FROM sqlite_master")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("vault_meta");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                var rows = s.executeQuery("SELECT id || ':' || schema_version FROM vault_meta")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("1:banana");
        }
    }

    // ---- the reference file and how a damaged copy is read ------------------------------------

    /** Writes the reference vault (inline and chunked values, a long and a string column), checkpointed into one file. */
    private byte[] writeReferenceFile() throws Exception {
        Path file = dir.resolve("reference.db");
        try (Vault vault = Vault.builder(file).chunkSize(2048).open()) {
            vault.transaction(() -> {
                for (int i = 0; i < KEYS; i++) {
                    vault.kv().put("key:" + i, expectedValue(i));
                }
                LongColumn longs = vault.column("longs", ColumnType.I64);
                for (int i = 0; i < LONGS; i++) {
                    longs.append(i * 7919L);
                }
                StringColumn strings = vault.column("strings", ColumnType.STRING);
                for (int i = 0; i < STRINGS; i++) {
                    strings.append(expectedString(i));
                }
            });
            vault.checkpoint();
        }
        assertThat(Files.exists(dir.resolve("reference.db-wal")) && Files.size(dir.resolve("reference.db-wal")) > 0)
                .as("everything is in the main file")
                .isFalse();
        return Files.readAllBytes(file);
    }

    /** Value {@code i}: sizes from 0 to ~7 KiB, so some are inline and some are several 2 KiB chunks. */
    private static byte[] expectedValue(int i) {
        return bytes((i * 397) % 7000 + (i == 7 ? 100 : 0), i);
    }

    private static String expectedString(int i) {
        return "entry " + i + " " + "é中".repeat(i % 17);
    }

    /** Opens a damaged copy and reads everything in it, in a time limit; says what it found. */
    private Outcome readDamagedCopy(byte[] damaged, String name) throws Exception {
        Path file = dir.resolve(name + ".db");
        Files.write(file, damaged);
        return assertTimeoutPreemptively(
                PER_FILE,
                () -> {
                    try (Vault vault = Vault.builder(file).chunkSize(2048).open()) {
                        return readEverything(vault);
                    } catch (KohakuVaultException e) {
                        assertThat(e.getMessage())
                                .as("the message says what failed")
                                .isNotBlank();
                        return Outcome.REFUSED;
                    }
                },
                () -> "reading " + name + " did not finish");
    }

    private static Outcome readEverything(Vault vault) throws Exception {
        boolean missing = false;
        KVault kv = vault.kv();
        for (int i = 0; i < KEYS; i++) {
            byte[] got = kv.get("key:" + i);
            if (got == null) {
                missing = true;
            } else if (!Arrays.equals(got, expectedValue(i))) {
                return Outcome.WRONG;
            }
            if (got != null && got.length > 2048) {
                try (InputStream in = kv.openStream("key:" + i)) {
                    if (!Arrays.equals(in.readAllBytes(), expectedValue(i))) {
                        return Outcome.WRONG;
                    }
                }
            }
        }
        for (Map.Entry<String, byte[]> e : kv) {
            String key = e.getKey();
            int i = key.startsWith("key:") ? parseOrMinusOne(key.substring(4)) : -1;
            if (i < 0 || i >= KEYS || !Arrays.equals(e.getValue(), expectedValue(i))) {
                return Outcome.WRONG;
            }
        }
        LongColumn longs = vault.column("longs", ColumnType.I64);
        long[] all = longs.getLongs(0, longs.length());
        for (int i = 0; i < all.length; i++) {
            if (all[i] != i * 7919L) {
                return Outcome.WRONG;
            }
        }
        missing |= all.length != LONGS;
        StringColumn strings = vault.column("strings", ColumnType.STRING);
        int n = 0;
        for (String s : strings) {
            if (n >= STRINGS || !s.equals(expectedString(n))) {
                return Outcome.WRONG;
            }
            n++;
        }
        missing |= n != STRINGS;
        return missing ? Outcome.MISSING : Outcome.INTACT;
    }

    private static int parseOrMinusOne(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
