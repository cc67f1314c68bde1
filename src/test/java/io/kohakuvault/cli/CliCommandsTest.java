package io.kohakuvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.ColumnType;
import io.kohakuvault.Vault;
import io.kohakuvault.internal.db.Migrations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command of the command line on real files, run in this JVM. */
class CliCommandsTest {
    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void makeAVault() {
        file = dir.resolve("data.db");
        try (Vault vault = Vault.open(file)) {
            vault.kv().put("image:1", bytes(10));
            vault.kv().put("image:2", bytes(2_000_000));
            vault.kv().put("other", bytes(3));
            vault.kv("media").put("clip", bytes(5));
            vault.column("temps", ColumnType.F64).extend(1.5, 2.5, 3.5);
            vault.column("names", ColumnType.STRING).extend(java.util.List.of("a", "b\nc"));
            vault.column("hashes", ColumnType.bytes(2)).append(new byte[] {1, (byte) 0xff});
        }
    }

    @Test
    void info_ofAVault_listsSchemaStoresAndColumns() {
        CliRun run = CliRun.run("info", file.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.text())
                .contains("schema   version " + Migrations.LATEST_VERSION)
                .contains("stores   2")
                .contains("columns  3")
                .containsPattern("kvault +3 keys +1\\.9 MiB")
                .containsPattern("media +1 key +5 B")
                .containsPattern("temps +f64 +3 elements");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void info_readOnly_leavesNoFileBehind() throws IOException {
        CliRun run = CliRun.run("info", file.toString());

        assertThat(run.status()).isZero();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("data.db");
        }
    }

    @Test
    void ls_withPrefix_listsMatchingKeysInOrderWithSizes() {
        CliRun run = CliRun.run("ls", file.toString(), "--prefix", "image:");

        assertThat(run.status()).isZero();
        assertThat(run.text()).isEqualTo("10\timage:1\n2000000\timage:2\n");
    }

    @Test
    void putThenGet_ofAFileAndOfStandardInput_roundTripExactly() throws IOException {
        Path in = dir.resolve("in.bin");
        Files.write(in, bytes(3_000_000));

        assertThat(CliRun.run("put", file.toString(), "big", in.toString()).status())
                .isZero();
        assertThat(CliRun.withInput(bytes(7), "put", file.toString(), "small", "-", "--store", "media")
                        .status())
                .isZero();

        Path out = dir.resolve("out.bin");
        assertThat(CliRun.run("get", file.toString(), "big", "-o", out.toString())
                        .status())
                .isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(in));
        assertThat(CliRun.run("get", file.toString(), "small", "--store", "media")
                        .out())
                .isEqualTo(bytes(7));
    }

    @Test
    void rm_ofAKey_deletesIt_andOfAMissingKey_exits1() {
        assertThat(CliRun.run("rm", file.toString(), "other").status()).isZero();

        CliRun again = CliRun.run("rm", file.toString(), "other");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err())
                .isEqualTo("kohakuvault: key 'other' does not exist in store 'kvault' of " + file + "\n");
    }

    @Test
    void get_missingKey_exits1AndWritesNoOutputFile() {
        Path out = dir.resolve("out.bin");
        CliRun run = CliRun.run("get", file.toString(), "nope", "-o", out.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("kohakuvault: key 'nope' does not exist")
                .hasLineCount(1);
        assertThat(out).doesNotExist();
    }

    @Test
    void anyCommand_missingFile_exits1AndCreatesNothing() {
        Path missing = dir.resolve("missing.db");
        for (String[] args : new String[][] {
            {"info"},
            {"ls"},
            {"verify"},
            {"get", "k"},
            {"rm", "k"},
            {"cat", "c"},
            {"backup", dir.resolve("b.db").toString()},
            {"copy", dir.resolve("c.db").toString()}
        }) {
            String[] full = new String[args.length + 1];
            full[0] = args[0];
            full[1] = missing.toString();
            System.arraycopy(args, 1, full, 2, args.length - 1);
            CliRun run = CliRun.run(full);
            assertThat(run.status()).as(String.join(" ", full)).isEqualTo(1);
            assertThat(run.err()).as(String.join(" ", full)).isEqualTo("kohakuvault: no such file: " + missing + "\n");
        }
        assertThat(dir.resolve("missing.db")).doesNotExist();
        assertThat(dir.resolve("b.db")).doesNotExist();
        assertThat(dir.resolve("c.db")).doesNotExist();
    }

    @Test
    void unknownCommand_exits2WithOneLine() {
        CliRun run = CliRun.run("frobnicate", file.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("kohakuvault: unknown command 'frobnicate' (see kohakuvault --help)\n");
    }

    @Test
    void missingArgument_exits2WithOneLine() {
        CliRun run = CliRun.run("get", file.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err())
                .startsWith("kohakuvault: Missing required parameter")
                .hasLineCount(1);
    }

    @Test
    void ls_missingStore_exits1() {
        CliRun run = CliRun.run("ls", file.toString(), "--store", "nope");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("kohakuvault: store 'nope' does not exist in " + file + "\n");
    }

    @Test
    void cat_missingColumn_exits1() {
        CliRun run = CliRun.run("cat", file.toString(), "nope");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("kohakuvault: column 'nope' does not exist in " + file + "\n");
    }

    @Test
    void info_fileNotAVault_exits1AndLeavesItUnchanged() throws IOException {
        Path junk = dir.resolve("junk.db");
        Files.writeString(junk, "not a database at all, just some text that is long enough to look like a header");
        byte[] before = Files.readAllBytes(junk);

        CliRun run = CliRun.run("info", junk.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err())
                .contains(junk.toString())
                .contains("not a SQLite database")
                .hasLineCount(1);
        assertThat(Files.readAllBytes(junk)).isEqualTo(before);
    }

    @Test
    void cat_ofEachKindOfColumn_printsOneElementALine() {
        assertThat(CliRun.run("cat", file.toString(), "temps").text()).isEqualTo("1.5\n2.5\n3.5\n");
        assertThat(CliRun.run("cat", file.toString(), "temps", "--from", "1", "--to", "2")
                        .text())
                .isEqualTo("2.5\n");
        assertThat(CliRun.run("cat", file.toString(), "names").text()).isEqualTo("a\nb\\nc\n");
        assertThat(CliRun.run("cat", file.toString(), "hashes").text()).isEqualTo("0x01ff\n");
    }

    @Test
    void cat_rangeOutsideTheColumn_exits2() {
        CliRun run = CliRun.run("cat", file.toString(), "temps", "--to", "9");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("outside column 'temps' of length 3").hasLineCount(1);
    }

    @Test
    void verify_soundFile_exits0() {
        CliRun run = CliRun.run("verify", file.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.text()).endsWith("ok\n");
    }

    @Test
    void verify_flippedByteInAChunkedValue_namesTheKeyAndExits1() throws IOException {
        try (Vault vault = Vault.open(file)) {
            vault.kv()
                    .put(
                            "video",
                            ("MARKER-IN-A-CHUNK-" + "x".repeat(100))
                                    .repeat(20_000)
                                    .getBytes(StandardCharsets.UTF_8));
        }
        Damage.flipInside(file, "MARKER-IN-A-CHUNK-");

        CliRun run = CliRun.run("verify", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.text()).containsPattern("damaged: store 'kvault' key 'video' chunk \\d+: checksum mismatch");
        assertThat(run.err())
                .isEqualTo("kohakuvault: " + file + " is damaged in 1 place (listed on standard output)\n");
    }

    @Test
    void verify_flippedByteInAColumnChunk_namesTheColumn() throws IOException {
        try (Vault vault = Vault.open(file)) {
            vault.column("log", ColumnType.STRING).append("COLUMN-MARKER-" + "y".repeat(50));
        }
        Damage.flipInside(file, "COLUMN-MARKER-");

        CliRun run = CliRun.run("verify", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.text()).contains("damaged: column 'log' heap chunk 0: checksum mismatch");
    }

    @Test
    void backup_toAnExistingFile_exits2AndLeavesItAlone() throws IOException {
        Path dest = dir.resolve("b.db");
        Files.writeString(dest, "mine");

        CliRun run = CliRun.run("backup", file.toString(), dest.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(Files.readString(dest)).isEqualTo("mine");
    }

    @Test
    void backup_ofAVault_opensAndVerifies() {
        Path dest = dir.resolve("b.db");
        assertThat(CliRun.run("backup", file.toString(), dest.toString()).status())
                .isZero();

        assertThat(CliRun.run("verify", dest.toString()).status()).isZero();
        assertThat(CliRun.run("ls", dest.toString()).text())
                .isEqualTo(CliRun.run("ls", file.toString()).text());
    }

    @Test
    void copy_toANewFile_copiesEveryStoreAndColumn() {
        Path target = dir.resolve("copy.db");
        CliRun run = CliRun.run("copy", file.toString(), target.toString());

        assertThat(run.status()).as(run.err()).isZero();
        try (Vault copy = Vault.builder(target).readOnly(true).open()) {
            assertThat(copy.kvStores()).containsExactly("kvault", "media");
            assertThat(copy.kv().get("image:2")).isEqualTo(bytes(2_000_000));
            assertThat(copy.column("temps", ColumnType.F64).getDoubles(0, 3)).containsExactly(1.5, 2.5, 3.5);
            assertThat(copy.column("names", ColumnType.STRING)).containsExactly("a", "b\nc");
        }
    }

    @Test
    void copy_intoAVaultWithTheSameStore_exits2AndChangesNothing() {
        Path target = dir.resolve("copy.db");
        try (Vault other = Vault.open(target)) {
            other.kv("media").put("mine", bytes(1));
        }

        CliRun run = CliRun.run("copy", file.toString(), target.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("already holds store 'media'").hasLineCount(1);
        try (Vault other = Vault.open(target)) {
            assertThat(other.kvStores()).containsExactly("media");
            assertThat(other.columns().listColumns()).isEmpty();
        }
    }

    @Test
    void plot_nonNumericColumn_exits2AndWritesNothing() {
        Path png = dir.resolve("names.png");
        CliRun run = CliRun.run("plot", file.toString(), "names", "-o", png.toString());

        assertThat(run.status()).isEqualTo(2);
        assertThat(png).doesNotExist();
    }

    @Test
    void export_missingColumn_exits1AndWritesNothing() {
        Path csv = dir.resolve("out.csv");
        CliRun run = CliRun.run("export", file.toString(), "temps", "nope", "--csv", csv.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(csv).doesNotExist();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
