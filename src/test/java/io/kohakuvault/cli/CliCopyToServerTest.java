package io.kohakuvault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kohakuvault.ColumnInfo;
import io.kohakuvault.ColumnType;
import io.kohakuvault.Vault;
import io.kohakuvault.internal.db.ServerUrls;
import io.kohakuvault.testing.PostgresServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code copy FILE jdbc:postgresql:...}: a vault file into a server vault, on the test server, in this JVM. */
class CliCopyToServerTest {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static PostgresServer.Database database;

    @TempDir
    Path dir;

    Path file;
    String schema;

    @BeforeAll
    static void startTheServer() {
        database = PostgresServer.get().newDatabase("CliCopyToServerTest");
    }

    @BeforeEach
    void makeAVault() {
        schema = "cli_copy_" + SCHEMAS.incrementAndGet();
        file = dir.resolve("data.db");
        try (Vault vault = Vault.builder(file).chunkSize(4096).open()) {
            vault.kv().put("image:1", bytes(10));
            vault.kv().put("image:2", bytes(20_000));
            vault.kv("media").put("clip", bytes(5));
            vault.column("temps", ColumnType.F64).extend(1.5, 2.5, 3.5);
            vault.column("names", ColumnType.STRING).extend(List.of("a", "b\nc"));
        }
    }

    @Test
    void copy_toAPostgresUrl_copiesEveryStoreAndColumn_andNeverShowsThePassword() {
        String url = url(database.password());

        CliRun run = CliRun.run("copy", file.toString(), url);

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.text())
                .isEqualTo("copied 19.6 KiB from " + file + " to " + ServerUrls.redacted(url) + "\n")
                .contains("password=***")
                .doesNotContain(database.password());
        try (Vault copy = serverVault()) {
            assertThat(copy.kvStores()).containsExactly("kvault", "media");
            assertThat(copy.kv().get("image:2")).isEqualTo(bytes(20_000));
            assertThat(copy.kv("media").get("clip")).isEqualTo(bytes(5));
            assertThat(copy.column("temps", ColumnType.F64).getDoubles(0, 3)).containsExactly(1.5, 2.5, 3.5);
            assertThat(copy.column("names", ColumnType.STRING)).containsExactly("a", "b\nc");
        }
    }

    @Test
    void copy_intoASchemaWithTheSameColumn_exits2AndChangesNothing() {
        try (Vault other = serverVault()) {
            other.column("names", ColumnType.I64).append(7);
        }

        CliRun run = CliRun.run("copy", file.toString(), url(database.password()));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err())
                .contains("already holds column 'names'")
                .hasLineCount(1)
                .doesNotContain(database.password());
        try (Vault other = serverVault()) {
            assertThat(other.kvStores()).isEmpty();
            assertThat(other.columns().listColumns())
                    .extracting(ColumnInfo::name)
                    .containsExactly("names");
            assertThat(other.column("names", ColumnType.I64)).containsExactly(7L);
        }
    }

    @Test
    void copy_toAnUnreachableServer_exits1WithOneLineNamingTheUrlWithoutItsPassword() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/db?user=kv&password=s3cret-Pa55&connectTimeout=5";

        CliRun run = CliRun.run("copy", file.toString(), url);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.text()).isEmpty();
        assertThat(run.err())
                .startsWith("kohakuvault: cannot open")
                .contains(ServerUrls.redacted(url), "cannot be reached")
                .hasLineCount(1)
                .doesNotContain("s3cret");
    }

    @Test
    void copy_withAWrongPassword_exits1AndShowsNeitherPassword() {
        String url = url("not-the-" + database.password());

        CliRun run = CliRun.run("copy", file.toString(), url);

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err())
                .startsWith("kohakuvault: cannot open")
                .contains(ServerUrls.redacted(url), "password authentication failed")
                .hasLineCount(1)
                .doesNotContain(database.password());
    }

    @Test
    void copy_toAnotherKindOfDatabase_exits2AndShowsNoPassword() {
        CliRun run = CliRun.run("copy", file.toString(), "jdbc:mysql://db:3306/app?user=kv&password=s3cret");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err())
                .isEqualTo("kohakuvault: cannot copy to jdbc:mysql://db:3306/app?user=kv&password=***:"
                        + " TARGET is a vault file or a jdbc:postgresql: URL\n");
    }

    @Test
    void copy_withAUrlOutOfPlace_exits2AndShowsNoPassword() {
        CliRun run = CliRun.run("copy", file.toString(), dir.resolve("b.db").toString(), url(database.password()));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).hasLineCount(1).contains("password=***").doesNotContain(database.password());
        CliRun unknown = CliRun.run(url(database.password()));
        assertThat(unknown.status()).isEqualTo(2);
        assertThat(unknown.err()).hasLineCount(1).doesNotContain(database.password());
    }

    /** @return the test database's URL in this test's schema, with {@code password} */
    private String url(String password) {
        return database.url() + "?user=" + URLEncoder.encode(database.user(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&currentSchema=" + schema;
    }

    private Vault serverVault() {
        return Vault.builder(database.dataSource()).schema(schema).open();
    }

    static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
