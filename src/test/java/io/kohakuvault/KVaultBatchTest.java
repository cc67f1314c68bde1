package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.VaultFixtures.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The batch calls {@code getAll} and {@code putAll}: the same answers as one call per key, atomically. */
class KVaultBatchTest extends VaultTestBase {

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void getAll_mixOfPresentAbsentChunkedAndCached_returnsPresentOnesInOrder(boolean cacheOn) {
        vault = Vault.builder(dir.resolve("v.db")).chunkSize(64).open();
        KVault kv = vault.kv();
        kv.put("small", utf8("s"));
        kv.put("big", bytes(1000, 3)); // chunked
        kv.put("gone", utf8("x"));
        if (cacheOn) {
            kv.enableCache(1 << 20, 1 << 20);
            kv.put("cached", utf8("c"));
            kv.delete("gone"); // a cached delete hides the stored value
        } else {
            kv.delete("gone");
        }
        List<String> asked = List.of("missing", "big", "small", "gone", "cached", "small");
        Map<String, byte[]> got = kv.getAll(asked);
        List<String> expected = new ArrayList<>(List.of("big", "small"));
        if (cacheOn) {
            expected.add("cached");
        }
        assertThat(got.keySet()).containsExactlyElementsOf(expected);
        assertThat(got.get("big")).isEqualTo(bytes(1000, 3));
        assertThat(got.get("small")).isEqualTo(utf8("s"));
        got.get("small")[0] = 'z'; // fresh copies
        assertThat(kv.get("small")).isEqualTo(utf8("s"));
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void getAll_emptyAndManyKeys_matchesGetPerKey(Storage storage) {
        vault = storage.open(dir);
        KVault kv = vault.kv();
        assertThat(kv.getAll(List.of())).isEmpty();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            keys.add("key:" + i);
            if (i % 3 != 0) {
                kv.put("key:" + i, bytes(10 + i % 50, i));
            }
        }
        Map<String, byte[]> got = kv.getAll(keys);
        assertThat(got).hasSize(666);
        for (String k : keys) {
            assertThat(got.get(k)).isEqualTo(kv.get(k));
        }
    }

    /** Batches of every size around the statements' key counts (8, 32, 128), with repeats and chunked values. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 8, 9, 31, 32, 33, 127, 128, 129, 257, 300})
    void getAll_batchesAroundStatementSizes_matchGetPerKey(int size) {
        vault = Vault.builder(dir.resolve("v.db")).chunkSize(64).open();
        KVault kv = vault.kv();
        for (int i = 0; i < 400; i++) {
            if (i % 4 != 1) {
                kv.put("k" + i, bytes(i % 5 == 0 ? 200 : 12, i)); // every fifth chunked
            }
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            keys.add("k" + (i * 37 % 400));
        }
        if (size > 2) {
            keys.add(keys.get(size / 2)); // a repeat
        }
        Map<String, byte[]> got = kv.getAll(keys);
        for (String k : keys) {
            assertThat(got.get(k)).as(k).isEqualTo(kv.get(k));
        }
        assertThat(got.keySet()).allSatisfy(k -> assertThat(kv.exists(k)).isTrue());
    }

    @Test
    void getAll_nullCollectionOrKey_throwsInvalidArgument() {
        vault = Vault.open(dir.resolve("v.db"));
        assertThatThrownBy(() -> vault.kv().getAll(null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> vault.kv().getAll(Arrays.asList("a", null)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("key");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void putAll_thenReopen_storesEveryEntry(boolean cacheOn) {
        vault = Vault.builder(dir.resolve("v.db")).chunkSize(64).open();
        KVault kv = vault.kv();
        if (cacheOn) {
            kv.enableCache(1 << 20, 1 << 20);
            kv.put("a", utf8("cached, then replaced by putAll"));
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            entries.put("k" + i, bytes(i % 7 == 0 ? 500 : 20, i)); // some chunked
        }
        entries.put("a", utf8("from putAll"));
        kv.putAll(entries);
        try (Vault other = Vault.open(dir.resolve("v.db"))) { // durable and visible at once, whatever the cache
            assertThat(other.kv().size()).isEqualTo(301);
            assertThat(other.kv().get("a")).isEqualTo(utf8("from putAll"));
        }
        vault.close();
        vault = Vault.open(dir.resolve("v.db"));
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            assertThat(vault.kv().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void putAll_nullValue_throwsAndStoresNothing() {
        vault = Vault.open(dir.resolve("v.db"));
        KVault kv = vault.kv();
        kv.put("keep", utf8("v"));
        Map<String, byte[]> entries = new HashMap<>();
        entries.put("a", utf8("1"));
        entries.put("bad", null);
        assertThatThrownBy(() -> kv.putAll(entries))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'bad'");
        assertThatThrownBy(() -> kv.putAll(null)).isInstanceOf(InvalidArgumentException.class);
        assertThat(kv.size()).isEqualTo(1);
        kv.putAll(Map.of()); // nothing to do
        assertThat(kv.size()).isEqualTo(1);
    }

    @Test
    void putAll_insideFailingTransaction_isRolledBackWithIt() {
        vault = Vault.open(dir.resolve("v.db"));
        KVault kv = vault.kv();
        assertThatThrownBy(() -> vault.transaction(() -> {
                    kv.putAll(Map.of("a", utf8("1"), "b", utf8("2")));
                    assertThat(kv.getAll(List.of("a", "b"))).hasSize(2); // the block sees its own writes
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(kv.size()).isZero();
    }

    @Test
    void putAll_afterClose_throwsVaultIo() {
        vault = Vault.open(dir.resolve("v.db"));
        KVault kv = vault.kv();
        vault.close();
        assertThatThrownBy(() -> kv.putAll(Map.of("a", utf8("1"))))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> kv.getAll(List.of("a")))
                .isInstanceOf(VaultIoException.class)
                .hasMessageContaining("closed");
    }
}
