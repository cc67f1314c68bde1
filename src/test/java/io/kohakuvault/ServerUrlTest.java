package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.internal.db.ServerUrls;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Vault.open} of a JDBC URL: never taken for a file path, never a password in a message,
 * and the artifacts a PostgreSQL vault needs named when they are missing.
 */
class ServerUrlTest {
    private static final String SECRET = "s3cr3t-Pa55";

    @TempDir
    Path dir;

    @Test
    void postgresqlUrl_ofAnUnreachableServer_failsWithoutItsPassword_andCreatesNoFile() {
        String cwdBefore = listing(Path.of("."));
        // Port 1: nothing listens there, so the connection is refused at once.
        for (String url : List.of(
                "jdbc:postgresql://localhost:1/app?user=kv&password=" + SECRET,
                "jdbc:postgresql://kv:" + SECRET + "@localhost:1/app",
                "jdbc:postgresql://localhost:1/app?sslpassword=" + SECRET + "&user=kv")) {
            assertThatThrownBy(() -> Vault.open(url))
                    .isInstanceOf(VaultIoException.class)
                    .hasMessageContaining("PostgreSQL")
                    .hasMessageContaining("localhost")
                    .hasMessageNotContaining(SECRET)
                    .cause()
                    .hasMessageNotContaining(SECRET);
        }
        assertThat(Files.exists(Path.of("jdbc:postgresql:"))).isFalse();
        assertThat(listing(Path.of("."))).isEqualTo(cwdBefore);
    }

    @Test
    void otherDatabaseUrl_isInvalidArgument() {
        assertThatThrownBy(() -> Vault.open("jdbc:mysql://db/app?password=" + SECRET))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db/app")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void redacted_hidesEveryPasswordForm() {
        assertThat(ServerUrls.redacted("jdbc:postgresql://h/db?user=u&password=" + SECRET + "&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
        assertThat(ServerUrls.redacted("jdbc:postgresql://u:" + SECRET + "@h:5432/db"))
                .isEqualTo("jdbc:postgresql://u:***@h:5432/db");
        assertThat(ServerUrls.redacted("jdbc:postgresql://h/db?PASSWORD=" + SECRET))
                .doesNotContain(SECRET);
        assertThat(ServerUrls.redacted("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
    }

    /** Without the optional PostgreSQL artifacts on the class path, the message names both. */
    @Test
    void withoutTheOptionalArtifacts_theMessageNamesThem() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("postgresql"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                OpenUrl.class.getName(),
                "jdbc:postgresql://localhost/app?password=" + SECRET));
        Path out = dir.resolve("out.txt");
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(printed)
                .contains("KohakuVaultException")
                .contains("org.postgresql:postgresql")
                .contains("org.flywaydb:flyway-database-postgresql")
                .doesNotContain(SECRET);
    }

    /** The child of {@link #withoutTheOptionalArtifacts_theMessageNamesThem}: opens its argument. */
    static final class OpenUrl {
        public static void main(String[] args) {
            try (Vault vault = Vault.open(args[0])) {
                System.out.println("opened " + vault);
            } catch (RuntimeException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static String listing(Path folder) {
        try (var files = Files.list(folder)) {
            return files.map(Path::toString).sorted().collect(Collectors.joining("\n"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
