package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real CLI jar, run as a user runs it ({@code java -jar target/kohakuvault-<version>-cli.jar}),
 * each command a separate process, on real files.
 */
class CliJarIT {
    @TempDir
    Path dir;

    /** What one run of the jar did. */
    record Run(int status, String out, String err) {}

    /** Runs the jar with a small heap (so that streaming is proved to be bounded), and waits for it. */
    static Run cli(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("cli.jar", "target/kohakuvault-cli.jar"));
        assertThat(jar).as("the CLI jar, built by ./mvnw package").exists();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("cli", ".out");
        Path err = Files.createTempFile("cli", ".err");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("kohakuvault " + String.join(" ", args) + " did not finish");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void putThenGet_of50MiB_roundTripsExactlyInA48MiBHeap() throws Exception {
        Path in = dir.resolve("in.bin");
        byte[] block = new byte[1 << 20];
        new Random(7).nextBytes(block);
        try (var out = Files.newOutputStream(in)) {
            for (int i = 0; i < 50; i++) {
                block[0] = (byte) i;
                out.write(block);
            }
        }
        Path vault = dir.resolve("v.db");

        Run put = cli("put", vault.toString(), "big", in.toString());
        assertThat(put.status()).as(put.err()).isZero();
        assertThat(put.out() + put.err())
                .as("nothing extra when not on a terminal")
                .isEmpty();

        Path back = dir.resolve("back.bin");
        Run get = cli("get", vault.toString(), "big", "-o", back.toString());
        assertThat(get.status()).as(get.err()).isZero();
        assertThat(Files.mismatch(in, back)).isEqualTo(-1L);

        Run ls = cli("ls", vault.toString());
        assertThat(ls.out()).isEqualTo((50L << 20) + "\tbig\n");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void verify_fileWithAFlippedByte_exits1NamingTheKey() throws Exception {
        Path file = dir.resolve("v.db");
        try (Vault vault = Vault.open(file)) {
            vault.kv().put("fine", "all good".getBytes(StandardCharsets.UTF_8));
            vault.kv().put("hurt", "FLIP-ME-PLEASE-0123456789".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(cli("verify", file.toString()).status()).isZero();
        io.kohakuvault.cli.DamageAccess.flipInside(file, "FLIP-ME-PLEASE");

        Run verify = cli("verify", file.toString());

        assertThat(verify.status()).isEqualTo(1);
        assertThat(verify.out())
                .contains("damaged: store 'kvault' key 'hurt': checksum mismatch")
                .doesNotContain("'fine'");
        assertThat(verify.err()).hasLineCount(1).contains("is damaged in 1 place");
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void backup_whileAnotherProcessWrites_givesACopyThatOpensAndVerifies() throws Exception {
        Path file = dir.resolve("busy.db");
        Vault.open(file).close();
        try (ChildJvm.Running writer = ChildJvm.start(BusyWriter.class, "128m", file.toString())) {
            writer.awaitLine("WRITING", Duration.ofSeconds(60));
            for (int round = 0; round < 1; round++) {
                Path copy = dir.resolve("copy-" + round + ".db");
                Run backup = cli("backup", file.toString(), copy.toString());
                assertThat(backup.status()).as(backup.err()).isZero();

                Run verify = cli("verify", copy.toString());
                assertThat(verify.status()).as(verify.out() + verify.err()).isZero();
                try (Vault v = Vault.builder(copy).readOnly(true).open()) {
                    long keys = v.kv().size();
                    assertThat(v.column("seq", ColumnType.I64).length()).isEqualTo(keys);
                }
            }
            assertThat(writer.isAlive())
                    .as("the writer kept writing throughout")
                    .isTrue();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void plot_numericColumn_writesAPngThatDecodes() throws Exception {
        Path file = dir.resolve("v.db");
        try (Vault vault = Vault.open(file)) {
            DoubleColumn temps = vault.column("temps", ColumnType.F64);
            for (int i = 0; i < 10_000; i++) {
                temps.append(Math.sin(i / 100.0));
            }
        }
        Path png = dir.resolve("temps.png");

        Run plot = cli("plot", file.toString(), "temps", "-o", png.toString());

        assertThat(plot.status()).as(plot.err()).isZero();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isPositive();
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void export_columnsSideBySide_parseBackWithTheCsvLibrary() throws Exception {
        Path file = dir.resolve("v.db");
        try (Vault vault = Vault.open(file)) {
            vault.column("n", ColumnType.I64).extend(1, 2, 3);
            vault.column("text", ColumnType.STRING)
                    .extend(List.of("plain", "with, comma", "with \"quotes\"\nand a newline"));
            vault.column("short", ColumnType.F32).extend(0.5f);
        }
        Path csv = dir.resolve("out.csv");

        Run export = cli("export", file.toString(), "n", "text", "short", "--csv", csv.toString());

        assertThat(export.status()).as(export.err()).isZero();
        try (Reader reader = Files.newBufferedReader(csv);
                CSVParser parser = CSVFormat.RFC4180
                        .builder()
                        .setHeader()
                        .setSkipHeaderRecord(true)
                        .get()
                        .parse(reader)) {
            assertThat(parser.getHeaderNames()).containsExactly("n", "text", "short");
            List<CSVRecord> rows = parser.getRecords();
            assertThat(rows).hasSize(3);
            assertThat(rows.get(1).get("text")).isEqualTo("with, comma");
            assertThat(rows.get(2).get("text")).isEqualTo("with \"quotes\"\nand a newline");
            assertThat(rows.get(0).get("short")).isEqualTo("0.5");
            assertThat(rows.get(2).get("short")).isEmpty();
            assertThat(rows.get(2).get("n")).isEqualTo("3");
        }
    }

    /** The jar carries the PostgreSQL driver and Flyway's PostgreSQL module, which the library leaves optional. */
    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void copy_toAServerUrl_copiesEverything_andNeverPrintsThePassword() throws Exception {
        Path file = dir.resolve("v.db");
        byte[] big = new byte[5 << 20]; // several chunks
        new Random(11).nextBytes(big);
        try (Vault vault = Vault.open(file)) {
            vault.kv("media").put("clip", big);
            vault.kv().put("k", "v".getBytes(StandardCharsets.UTF_8));
            vault.column("n", ColumnType.I64).extend(new long[] {1, 2, 3});
        }
        io.kohakuvault.testing.PostgresServer.Database db =
                io.kohakuvault.testing.PostgresServer.get().newDatabase("cli");
        String url = db.url() + (db.url().contains("?") ? "&" : "?") + "user=" + db.user() + "&password="
                + java.net.URLEncoder.encode(db.password(), StandardCharsets.UTF_8) + "&currentSchema=copied";
        Run copy = cli("copy", file.toString(), url);
        assertThat(copy.status()).as(copy.err()).isZero();
        assertThat(copy.out() + copy.err()).doesNotContain(db.password()).contains("copied");
        try (Vault server = Vault.builder(db.dataSource()).schema("copied").open()) {
            assertThat(server.kv("media").get("clip")).isEqualTo(big);
            assertThat(server.kv().get("k")).isEqualTo("v".getBytes(StandardCharsets.UTF_8));
            assertThat(server.column("n", ColumnType.I64).getLongs(0, 3)).containsExactly(1, 2, 3);
        }
        Run again = cli("copy", file.toString(), url); // the names are taken now: refused, unchanged
        assertThat(again.status()).isNotZero();
        assertThat(again.out() + again.err()).doesNotContain(db.password());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void version_isTheLibrarysVersion() throws Exception {
        Run version = cli("--version");

        assertThat(version.status()).isZero();
        assertThat(version.out().strip()).isEqualTo("kohakuvault " + System.getProperty("project.version"));
    }

    /** Writes keys and column elements, each pair in one transaction, until killed. */
    static final class BusyWriter {
        public static void main(String[] args) {
            try (Vault vault = Vault.open(Path.of(args[0]))) {
                LongColumn seq = vault.column("seq", ColumnType.I64);
                byte[] value = new byte[20_000];
                for (long i = 0; ; i++) {
                    long n = i;
                    vault.transaction(() -> {
                        vault.kv().put("k" + n, value);
                        seq.append(n);
                    });
                    if (i == 50) {
                        System.out.println("WRITING");
                        System.out.flush();
                    }
                }
            }
        }
    }
}
