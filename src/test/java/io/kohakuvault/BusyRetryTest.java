package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second connection (as another process would) holds the write lock: the vault retries with
 * backoff, succeeds if the lock is released in time, and otherwise throws DatabaseBusyException
 * having changed nothing. Readers never wait.
 */
class BusyRetryTest {
    @TempDir
    Path dir;

    private Path file;
    private Connection locker;

    @BeforeEach
    void lockTheFile() throws Exception {
        file = dir.resolve("busy.db");
        try (Vault v = Vault.open(file)) {
            v.kv().put("k", utf8("before"));
            v.kv().put("big", VaultFixtures.bytes(10_000, 1));
        }
        locker = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = locker.createStatement()) {
            s.execute("BEGIN IMMEDIATE"); // holds the write lock until released
        }
    }

    @AfterEach
    void unlock() throws Exception {
        try (Statement s = locker.createStatement()) {
            s.execute("ROLLBACK");
        } catch (Exception alreadyReleased) {
            // released by the test
        }
        locker.close();
    }

    @Test
    void write_whileLockHeldPastAllRetries_throwsBusyAndChangesNothing() {
        try (Vault vault = Vault.builder(file)
                .retries(2)
                .backoffBase(Duration.ofMillis(10))
                .open()) {
            KVault kv = vault.kv();
            assertThatThrownBy(() -> kv.put("k", utf8("after")))
                    .isInstanceOf(DatabaseBusyException.class)
                    .hasMessageContaining("'k'")
                    .hasMessageContaining("3 attempts");
            assertThatThrownBy(() -> kv.put("big", VaultFixtures.bytes(5 << 20, 2)))
                    .isInstanceOf(DatabaseBusyException.class);
            assertThatThrownBy(() -> vault.transaction(() -> kv.put("t", utf8("t"))))
                    .isInstanceOf(DatabaseBusyException.class);
            assertThat(kv.get("k")).isEqualTo(utf8("before"));
        }
        try (Vault check = Vault.builder(file).readOnly(true).open()) {
            assertThat(check.kv().get("k")).isEqualTo(utf8("before"));
            assertThat(check.kv().get("big")).isEqualTo(VaultFixtures.bytes(10_000, 1));
            assertThat(check.kv().exists("t")).isFalse();
        }
    }

    @Test
    void write_whileLockReleasedDuringBackoff_succeeds() throws Exception {
        try (Vault vault = Vault.builder(file)
                .retries(8)
                .backoffBase(Duration.ofMillis(20))
                .open()) {
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(150);
                    try (Statement s = locker.createStatement()) {
                        s.execute("COMMIT");
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            vault.kv().put("k", utf8("after"));
            release.get(5, TimeUnit.SECONDS);
            assertThat(vault.kv().get("k")).isEqualTo(utf8("after"));
        }
    }

    @Test
    void reads_whileAnotherConnectionHoldsWriteLock_neitherWaitNorFail() {
        try (Vault vault = Vault.builder(file).retries(0).open()) {
            long start = System.nanoTime();
            assertThat(vault.kv().get("k")).isEqualTo(utf8("before"));
            assertThat(vault.kv().keys()).containsExactly("big", "k");
            assertThat(vault.kv().get("big")).hasSize(10_000);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
