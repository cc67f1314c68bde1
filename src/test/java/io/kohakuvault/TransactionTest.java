package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.VaultFixtures.Storage;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** vault.transaction: all or nothing across stores, savepoints when nested, durable on return. */
class TransactionTest extends VaultTestBase {
    @ParameterizedTest
    @EnumSource(Storage.class)
    void transaction_commitsWritesAcrossStoresTogether(Storage storage) {
        vault = storage.open(dir);
        vault.transaction(() -> {
            vault.kv().put("a", utf8("1"));
            vault.kv("media").put("b", utf8("2"));
            vault.kv().delete("none");
        });
        assertThat(vault.kv().get("a")).isEqualTo(utf8("1"));
        assertThat(vault.kv("media").get("b")).isEqualTo(utf8("2"));
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void transaction_blockThrows_rollsBackAllAndRethrowsSameException(Storage storage) {
        vault = storage.open(dir);
        vault.kv().put("a", utf8("before"));
        RuntimeException failure = new IllegalArgumentException("user failure");
        assertThatThrownBy(() -> vault.transaction(() -> {
                    vault.kv().put("a", utf8("during"));
                    vault.kv("media").put("b", VaultFixtures.bytes(3 << 20, 1)); // chunked, rolled back too
                    vault.kv().delete("a");
                    throw failure;
                }))
                .isSameAs(failure);
        assertThat(vault.kv().get("a")).isEqualTo(utf8("before"));
        assertThat(vault.kv("media").exists("b")).isFalse();
        assertThat(Inspect.chunkRows(vault)).isZero();
    }

    @Test
    void transaction_readsInsideSeeOwnWrites() {
        vault = Storage.FILE.open(dir);
        String seen = vault.transactionResult(() -> {
            vault.kv().put("k", utf8("mine"));
            return new String(vault.kv().get("k"), java.nio.charset.StandardCharsets.UTF_8) + ":"
                    + vault.kv().size() + ":" + vault.kv().keys().iterator().next();
        });
        assertThat(seen).isEqualTo("mine:1:k");
    }

    @Test
    void nestedTransaction_failureCaughtByOuter_undoesOnlyInner() {
        vault = Storage.FILE.open(dir);
        vault.transaction(() -> {
            vault.kv().put("outer", utf8("o"));
            try {
                vault.transaction(() -> {
                    vault.kv().put("inner", utf8("i"));
                    throw new IllegalStateException("inner fails");
                });
            } catch (IllegalStateException expected) {
                // the outer block goes on
            }
            vault.kv().put("after", utf8("a"));
        });
        assertThat(vault.kv().exists("outer")).isTrue();
        assertThat(vault.kv().exists("inner")).isFalse();
        assertThat(vault.kv().exists("after")).isTrue();
    }

    @Test
    void transaction_isDurableWhenItReturns_visibleToAnotherVault() {
        Path file = dir.resolve("t.db");
        vault = Vault.open(file);
        vault.transaction(() -> vault.kv().put("k", utf8("v")));
        try (Vault other = Vault.open(file)) {
            assertThat(other.kv().get("k")).isEqualTo(utf8("v"));
        }
    }

    @Test
    void uncommittedWrites_areInvisibleToOtherThreads_whoReadWithoutWaiting() throws Exception {
        vault = Storage.FILE.open(dir);
        vault.kv().put("k", utf8("committed"));
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch read = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> vault.transaction(() -> {
            vault.kv().put("k", utf8("uncommitted"));
            written.countDown();
            await(read);
        }));
        await(written);
        // The writer holds the write lock and its transaction open: this read must not wait for it.
        byte[] seen = CompletableFuture.supplyAsync(() -> vault.kv().get("k")).get(5, TimeUnit.SECONDS);
        assertThat(seen).isEqualTo(utf8("committed"));
        read.countDown();
        writer.get(5, TimeUnit.SECONDS);
        assertThat(vault.kv().get("k")).isEqualTo(utf8("uncommitted"));
    }

    @Test
    void transactionResult_returnsBlockValue() {
        vault = Storage.MEMORY.open(dir);
        int n = vault.transactionResult(() -> {
            vault.kv().put("x", utf8("1"));
            return 42;
        });
        assertThat(n).isEqualTo(42);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void transaction_smallPutsHeldBack_areSeenByItsOwnReadsInOrder() {
        vault = Storage.FILE.open(dir);
        KVault kv = vault.kv();
        kv.put("gone", utf8("x"));
        vault.transaction(() -> {
            kv.put("a", utf8("1"));
            assertThat(kv.get("a")).isEqualTo(utf8("1"));
            kv.put("a", utf8("2"));
            kv.put("b", utf8("3"));
            kv.delete("b");
            kv.put("gone", utf8("back"));
            kv.delete("gone");
            assertThat(kv.exists("b")).isFalse();
            assertThat(kv.exists("gone")).isFalse();
            kv.put("c", utf8("4"));
            assertThat(kv.size()).isEqualTo(2);
            assertThat(kv.keys()).containsExactly("a", "c");
            kv.put("d", VaultFixtures.bytes(3 << 20, 1)); // chunked: written after the held-back puts
            kv.put("d", utf8("small again"));
        });
        assertThat(kv.get("a")).isEqualTo(utf8("2"));
        assertThat(kv.exists("b")).isFalse();
        assertThat(kv.exists("gone")).isFalse();
        assertThat(kv.get("d")).isEqualTo(utf8("small again"));
        assertThat(Inspect.chunkRows(vault)).isZero();
    }

    @Test
    void transaction_withMoreHeldBackThanItsBound_stillRollsBackWhole() {
        vault = Storage.FILE.open(dir);
        KVault kv = vault.kv();
        assertThatThrownBy(() -> vault.transaction(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        kv.put("k" + i, VaultFixtures.bytes(1000, i)); // 20 MB: written early, twice
                    }
                    throw new IllegalStateException("changed my mind");
                }))
                .hasMessage("changed my mind");
        assertThat(kv.size()).isZero();
        vault.transaction(() -> {
            for (int i = 0; i < 20_000; i++) {
                kv.put("k" + i, VaultFixtures.bytes(1000, i));
            }
        });
        assertThat(kv.size()).isEqualTo(20_000);
        assertThat(kv.get("k12345")).isEqualTo(VaultFixtures.bytes(1000, 12345));
    }

    @Test
    void nestedTransaction_failing_discardsOnlyItsOwnHeldBackPuts() {
        vault = Storage.FILE.open(dir);
        KVault kv = vault.kv();
        vault.transaction(() -> {
            kv.put("outer-before", utf8("1"));
            try {
                vault.transaction(() -> {
                    kv.put("inner", utf8("2"));
                    throw new IllegalStateException("inner");
                });
            } catch (IllegalStateException expected) {
                // go on
            }
            kv.put("outer-after", utf8("3"));
        });
        assertThat(kv.keys()).containsExactly("outer-after", "outer-before");
    }

    @Test
    void cacheInsideTransaction_flushIsANoOp_andOtherThreadsCachedWritesSurviveItsRollback() {
        vault = Storage.FILE.open(dir);
        KVault kv = vault.kv();
        kv.enableCache(1 << 20, 1 << 20);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    CompletableFuture.runAsync(() -> kv.put("cached", utf8("c")))
                            .join(); // another thread's write
                    kv.put("in-tx", utf8("t"));
                    assertThat(vault.flushCache()).isZero();
                    assertThat(kv.flushCache()).isZero();
                    assertThat(kv.get("cached")).isEqualTo(utf8("c"));
                    throw new IllegalStateException("roll back");
                }))
                .hasMessage("roll back");
        assertThat(kv.exists("in-tx")).isFalse();
        assertThat(kv.flushCache()).isEqualTo(1);
        assertThat(kv.get("cached")).isEqualTo(utf8("c"));
        assertThatThrownBy(() -> vault.transaction(kv::disableCache))
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining("inside a transaction");
    }

    @Test
    void storeCreatedInRolledBackTransaction_isMadeAgainOnNextUse_neverSharedWithAnother() {
        // Regression: the rolled-back store kept its id; the next new store got the same id and
        // saw the first store's later writes.
        Path file = dir.resolve("stores.db");
        vault = Vault.open(file);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    vault.kv("media").put("a", utf8("rolled back"));
                    throw new IllegalStateException("no");
                }))
                .hasMessage("no");
        vault.kv("media").put("b", utf8("kept"));
        try (Vault other = Vault.open(file)) {
            assertThat(other.kv("other").keys()).isEmpty();
            assertThat(other.kv("media").keys()).containsExactly("b");
        }
    }
}
