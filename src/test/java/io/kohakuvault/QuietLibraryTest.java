package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A library prints nothing it was not asked to: creating a vault, migrating it, upgrading an older
 * file and several threads racing to create one new file all leave standard output and standard
 * error empty, with {@code java.util.logging} at the JDK's own defaults (INFO on the console),
 * in a child JVM whose two streams are captured whole.
 */
class QuietLibraryTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void open_newOlderAndRacedFiles_printsNothing() throws Exception {
        ChildJvm.Result result = ChildJvm.run(QuietOpens.class, "256m", 100, dir.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).isEmpty();
    }

    /** The child: opens vaults in every way that migrates, with the JDK's default logging. */
    static final class QuietOpens {
        public static void main(String[] args) throws Exception {
            // ChildJvm points JUL at the tests' quiet settings; go back to the JDK's defaults.
            System.clearProperty("java.util.logging.config.file");
            LogManager.getLogManager().readConfiguration();
            Path dir = Path.of(args[0]);

            try (Vault vault = Vault.open(dir.resolve("new.db"))) {
                vault.kv().put("k", new byte[] {1});
                vault.column("c", ColumnType.I64).append(1L);
            }

            Path older = dir.resolve("older.db");
            try (Vault vault = Vault.open(older)) {
                vault.kv().put("kept", new byte[] {2});
            }
            OlderSchemas.toVersion1(older);
            try (Vault vault = Vault.open(older)) {
                vault.column("c", ColumnType.F64).append(1.5);
            }

            raceToCreate(dir.resolve("raced.db"), 4);
            if (!Files.exists(dir.resolve("raced.db"))) {
                throw new AssertionError("the raced file was not created");
            }
        }

        private static void raceToCreate(Path file, int threads) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            try {
                List<Future<?>> opens = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    int n = i;
                    opens.add(pool.submit(() -> {
                        go.await();
                        try (Vault vault = Vault.open(file)) {
                            vault.kv().put("t" + n, new byte[] {(byte) n});
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> open : opens) {
                    open.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
