package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.VaultFixtures.Storage;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The write-back cache: reads see cached writes, nothing reaches the file (or the server) before a
 * flush, a flush commits everything at once. A second Vault on the same file or database plays
 * "what a crash would leave".
 */
@ParameterizedClass(name = "{0}")
@EnumSource(
        value = Storage.class,
        names = {"FILE", "POSTGRES"})
class KVaultCacheTest {
    @TempDir
    Path dir;

    /** Where the vault lives: a file, or the test server's database. */
    @Parameter
    Storage storage;

    private Vault vault;
    private Vault observer;

    @BeforeEach
    void open() {
        vault = storage.open(dir);
        observer = storage.open(dir);
    }

    @AfterEach
    void close() {
        observer.close();
        vault.close();
    }

    @Test
    void cachedWrites_areVisibleToReads_butNotInTheFileUntilFlushed() {
        KVault kv = vault.kv();
        kv.put("gone", utf8("x"));
        kv.enableCache(1 << 20, 1 << 19);
        kv.put("a", utf8("1"));
        kv.delete("gone");
        assertThat(kv.get("a")).isEqualTo(utf8("1"));
        assertThat(kv.exists("a")).isTrue();
        assertThat(kv.get("gone")).isNull();
        assertThat(kv.exists("gone")).isFalse();
        assertThat(observer.kv().get("a")).isNull();
        assertThat(observer.kv().get("gone")).isEqualTo(utf8("x"));

        assertThat(kv.flushCache()).isEqualTo(2);
        assertThat(observer.kv().get("a")).isEqualTo(utf8("1"));
        assertThat(observer.kv().exists("gone")).isFalse();
        assertThat(kv.flushCache()).isZero();
    }

    @Test
    void cache_reachingThreshold_flushesByItself() {
        KVault kv = vault.kv();
        kv.enableCache(1 << 20, 10_000);
        for (int i = 0; i < 200; i++) {
            kv.put("k" + i, bytes(100, i));
        }
        assertThat(observer.kv().size()).isGreaterThan(0);
        kv.flushCache();
        assertThat(observer.kv().size()).isEqualTo(200);
    }

    @Test
    void flush_ofManyMixedWrites_landsEveryOneExactly() {
        vault.close();
        vault = storage.builder(dir).chunkSize(4096).open();
        KVault kv = vault.kv();
        for (int i = 0; i < 300; i += 3) {
            kv.put("k" + i, utf8("before"));
        }
        kv.enableCache(64 << 20, 64 << 20);
        for (int i = 0; i < 1000; i++) {
            kv.put("k" + i, bytes(i % 10 == 0 ? 5000 + i : i % 200, i)); // some chunked, some empty
        }
        for (int i = 0; i < 1000; i += 7) {
            kv.delete("k" + i);
        }
        kv.put("k7", utf8("back"));
        assertThat(kv.flushCache()).isEqualTo(1000);
        KVault seen = observer.kv();
        for (int i = 0; i < 1000; i++) {
            byte[] expected = i == 7 ? utf8("back") : i % 7 == 0 ? null : bytes(i % 10 == 0 ? 5000 + i : i % 200, i);
            assertThat(seen.get("k" + i)).as("k" + i).isEqualTo(expected);
        }
        assertThat(seen.size()).isEqualTo(1000 - 143 + 1);
    }

    @Test
    void valueLargerThanCapacity_bypassesCache_andKeepsOrderWithCachedWrites() {
        KVault kv = vault.kv();
        kv.enableCache(1000, 1000);
        kv.put("k", utf8("small, cached"));
        byte[] big = bytes(5000, 1);
        kv.put("k", big);
        assertThat(observer.kv().get("k")).isEqualTo(big);
        assertThat(kv.get("k")).isEqualTo(big);
        kv.flushCache();
        assertThat(observer.kv().get("k")).isEqualTo(big);
    }

    @Test
    void putCopiesValue_evenWhenCached() {
        KVault kv = vault.kv();
        kv.enableCache(1 << 20, 1 << 20);
        byte[] value = {1, 2};
        kv.put("k", value);
        value[0] = 9;
        assertThat(kv.get("k")).containsExactly(1, 2);
        kv.get("k")[1] = 9;
        assertThat(kv.get("k")).containsExactly(1, 2);
    }

    @Test
    void disableCache_andClose_flush() {
        KVault kv = vault.kv();
        kv.enableCache(1 << 20, 1 << 20);
        kv.put("a", utf8("1"));
        kv.disableCache();
        assertThat(observer.kv().get("a")).isEqualTo(utf8("1"));
        kv.put("b", utf8("2"));
        assertThat(observer.kv().get("b")).isEqualTo(utf8("2"));

        kv.enableCache(1 << 20, 1 << 20);
        kv.put("c", utf8("3"));
        vault.close();
        assertThat(observer.kv().get("c")).isEqualTo(utf8("3"));
    }

    @Test
    void vaultWithCache_coversEveryStore_andFlushCountsThemAll() {
        vault.withCache(1 << 20, 1 << 20);
        vault.kv().put("a", utf8("1"));
        KVault media = vault.kv("media");
        assertThat(media.isCacheEnabled()).isTrue();
        media.put("m", utf8("2"));
        media.delete("m2");
        assertThat(observer.kv("media").exists("m")).isFalse();
        assertThat(vault.flushCache()).isEqualTo(3);
        assertThat(observer.kv().get("a")).isEqualTo(utf8("1"));
        assertThat(observer.kv("media").get("m")).isEqualTo(utf8("2"));
    }

    @Test
    void sizeKeysAndStreams_seeCachedWrites() throws Exception {
        KVault kv = vault.kv();
        kv.put("old", utf8("o"));
        kv.enableCache(1 << 20, 1 << 20);
        kv.put("new", utf8("n"));
        kv.delete("old");
        assertThat(kv.size()).isEqualTo(1);
        assertThat(kv.keys()).containsExactly("new");
        kv.put("streamed", utf8("s"));
        try (var in = kv.openStream("streamed")) {
            assertThat(in.readAllBytes()).isEqualTo(utf8("s"));
        }
        kv.delete("streamed");
        assertThatThrownBy(() -> kv.openStream("streamed")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void transaction_flushesCacheFirst_andWritesStraightThrough() {
        KVault kv = vault.kv();
        kv.enableCache(1 << 20, 1 << 20);
        kv.put("cached", utf8("c"));
        vault.transaction(() -> {
            assertThat(observer.kv().get("cached")).isEqualTo(utf8("c"));
            kv.put("inside", utf8("i"));
        });
        assertThat(observer.kv().get("inside")).isEqualTo(utf8("i"));
        assertThat(kv.flushCache()).isZero();
    }

    @Test
    void failedTransaction_doesNotLoseWritesCachedBeforeIt() {
        KVault kv = vault.kv();
        kv.enableCache(1 << 20, 1 << 20);
        kv.put("cached", utf8("c"));
        assertThatThrownBy(() -> vault.transaction(() -> {
                    kv.put("inside", utf8("i"));
                    throw new IllegalStateException("no");
                }))
                .hasMessage("no");
        assertThat(observer.kv().get("cached")).isEqualTo(utf8("c"));
        assertThat(observer.kv().exists("inside")).isFalse();
    }

    @Test
    void clear_dropsCachedWritesToo() {
        KVault kv = vault.kv();
        kv.put("stored", utf8("s"));
        kv.enableCache(1 << 20, 1 << 20);
        kv.put("cached", utf8("c"));
        kv.clear();
        assertThat(kv.size()).isZero();
        assertThat(kv.flushCache()).isZero();
        assertThat(observer.kv().size()).isZero();
    }

    @Test
    void badCacheSizes_throwInvalidArgument() {
        assertThatThrownBy(() -> vault.kv().enableCache(0, 0)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> vault.withCache(100, -200))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("threshold -200");
    }

    @Test
    void enableCache_thresholdAboveCapacity_flushesWhenFull() {
        KVault kv = vault.kv();
        kv.enableCache(1_000, 1_000_000);
        for (int i = 0; i < 20; i++) {
            kv.put("k" + i, new byte[100]); // about 170 bytes each with the overhead: full after a few
        }
        assertThat(observer.kv().size()).isGreaterThan(0).isLessThan(20); // the capacity made it flush
        kv.flushCache();
        assertThat(observer.kv().size()).isEqualTo(20);
    }
}
