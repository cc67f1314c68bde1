package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.text;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kohakuvault.VaultFixtures.Storage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dict-like basics of KVault, on a file and in memory. */
class KVaultTest extends VaultTestBase {
    private KVault open(Storage storage) {
        vault = storage.open(dir);
        return vault.kv();
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void put_thenGet_returnsExactBytes(Storage storage) {
        KVault kv = open(storage);
        byte[] value = bytes(100, 1);
        kv.put("image:123", value);
        assertThat(kv.get("image:123")).isEqualTo(value);
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void put_existingKey_replacesValue(Storage storage) {
        KVault kv = open(storage);
        kv.put("k", utf8("old"));
        kv.put("k", utf8("new value"));
        assertThat(text(kv.get("k"))).isEqualTo("new value");
        assertThat(kv.size()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void get_absentKey_returnsNullOrFallback(Storage storage) {
        KVault kv = open(storage);
        assertThat(kv.get("missing")).isNull();
        assertThat(kv.get("missing", utf8("fallback"))).isEqualTo(utf8("fallback"));
        kv.put("present", utf8("v"));
        assertThat(kv.get("present", utf8("fallback"))).isEqualTo(utf8("v"));
    }

    @Test
    void require_absentKey_throwsNotFoundNamingKeyAndStore() {
        KVault kv = open(Storage.FILE);
        assertThatThrownBy(() -> kv.require("nope"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("'nope'")
                .hasMessageContaining("'kvault'");
    }

    @Test
    void stringAndByteKeys_withSameBytes_areTheSameKey() {
        KVault kv = open(Storage.FILE);
        kv.put("ключ", utf8("a"));
        assertThat(kv.get(utf8("ключ"))).isEqualTo(utf8("a"));
        kv.put(utf8("ключ"), utf8("b"));
        assertThat(kv.get("ключ")).isEqualTo(utf8("b"));
        assertThat(kv.exists(utf8("ключ"))).isTrue();
        assertThat(kv.delete(utf8("ключ"))).isTrue();
        assertThat(kv.exists("ключ")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void emptyKeyAndEmptyValue_areStored(Storage storage) {
        KVault kv = open(storage);
        kv.put("", new byte[0]);
        assertThat(kv.exists("")).isTrue();
        assertThat(kv.get("")).isNotNull().isEmpty();
        assertThat(kv.keys()).containsExactly("");
    }

    @Test
    void put_copiesArray_laterChangesDoNotReachStore() {
        KVault kv = open(Storage.FILE);
        byte[] value = {1, 2, 3};
        byte[] key = utf8("k");
        kv.put(key, value);
        value[0] = 9;
        key[0] = 'x';
        assertThat(kv.get("k")).containsExactly(1, 2, 3);
        byte[] read = kv.get("k");
        read[1] = 9;
        assertThat(kv.get("k")).containsExactly(1, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void delete_reportsWhetherKeyExisted(Storage storage) {
        KVault kv = open(storage);
        kv.put("k", utf8("v"));
        assertThat(kv.delete("k")).isTrue();
        assertThat(kv.delete("k")).isFalse();
        assertThat(kv.get("k")).isNull();
        assertThat(kv.contains("k")).isFalse();
    }

    @Test
    void namedStores_inOneFile_areIsolated() {
        vault = Storage.FILE.open(dir);
        KVault a = vault.kv();
        KVault media = vault.kv("media");
        a.put("k", utf8("default"));
        media.put("k", utf8("media"));
        assertThat(text(a.get("k"))).isEqualTo("default");
        assertThat(text(media.get("k"))).isEqualTo("media");
        media.clear();
        assertThat(media.size()).isZero();
        assertThat(a.size()).isEqualTo(1);
        assertThat(vault.kv("media")).isSameAs(media);
    }

    @Test
    void builderTable_namesDefaultStore() {
        try (Vault v = Vault.builder(dir.resolve("t.db")).table("blobs").open()) {
            v.kv().put("k", utf8("v"));
            assertThat(v.kv().name()).isEqualTo("blobs");
            assertThat(v.kv("blobs").get("k")).isEqualTo(utf8("v"));
            assertThat(v.kv("kvault").get("k")).isNull();
        }
    }

    @Test
    void storeNames_withSqlCharacters_areJustNames() {
        vault = Storage.FILE.open(dir);
        String name = "x'; DROP TABLE vault_kv_entry; --\"";
        vault.kv(name).put("k", utf8("v"));
        vault.kv().put("k", utf8("other"));
        assertThat(vault.kv(name).get("k")).isEqualTo(utf8("v"));
        assertThat(vault.kv().get("k")).isEqualTo(utf8("other"));
    }

    @Test
    void badStoreNames_throwInvalidArgument() {
        vault = Storage.FILE.open(dir);
        assertThatThrownBy(() -> vault.kv(""))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("store name");
        assertThatThrownBy(() -> vault.kv("x".repeat(256)))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("256 characters");
    }

    @Test
    void badKeysAndValues_throwInvalidArgument_andChangeNothing() {
        KVault kv = open(Storage.FILE);
        kv.put("keep", utf8("v"));
        assertThatThrownBy(() -> kv.put((String) null, utf8("v")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("key must not be null");
        assertThatThrownBy(() -> kv.put("k", null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'k'");
        assertThatThrownBy(() -> kv.put(new byte[65 * 1024], utf8("v")))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("66560 bytes");
        assertThatThrownBy(() -> kv.get((byte[]) null)).isInstanceOf(InvalidArgumentException.class);
        assertThat(kv.size()).isEqualTo(1);
        assertThat(kv.get("keep")).isEqualTo(utf8("v"));
    }

    @Test
    void keys_runInUnsignedByteOrder() {
        KVault kv = open(Storage.FILE);
        kv.put(new byte[] {(byte) 0xff}, utf8("ff"));
        kv.put(new byte[] {0x7f}, utf8("7f"));
        kv.put(new byte[] {(byte) 0x80}, utf8("80"));
        kv.put(new byte[] {}, utf8("empty"));
        kv.put(new byte[] {0x00}, utf8("00"));
        List<byte[]> keys = new ArrayList<>();
        kv.rawKeys().forEach(keys::add);
        assertThat(keys)
                .containsExactly(
                        new byte[] {}, new byte[] {0}, new byte[] {0x7f}, new byte[] {(byte) 0x80}, new byte[] {
                            (byte) 0xff
                        });
        List<String> values = new ArrayList<>();
        kv.values().forEach(v -> values.add(text(v)));
        assertThat(values).containsExactly("empty", "00", "7f", "80", "ff");
    }

    @Test
    void keysWithPrefix_returnOnlyThoseInOrder() {
        KVault kv = open(Storage.FILE);
        for (String k : List.of("image:2", "video:1", "image:10", "image:1", "imagf", "imag", "image;")) {
            kv.put(k, utf8(k));
        }
        assertThat(kv.keys("image:")).containsExactly("image:1", "image:10", "image:2");
        assertThat(kv.keys("")).hasSize(7);
        assertThat(kv.keys("zzz")).isEmpty();
        assertThat(kv.rawKeys(utf8("imag"))).hasSize(6);
    }

    @Test
    void keysWithPrefixOfFfBytes_stopAtTheEnd() {
        KVault kv = open(Storage.FILE);
        kv.put(new byte[] {(byte) 0xff, (byte) 0xff}, utf8("a"));
        kv.put(new byte[] {(byte) 0xff, (byte) 0xff, 1}, utf8("b"));
        kv.put(new byte[] {(byte) 0xfe}, utf8("c"));
        assertThat(kv.rawKeys(new byte[] {(byte) 0xff, (byte) 0xff})).hasSize(2);
    }

    @Test
    void rawKeys_roundTripNonUtf8Keys() {
        KVault kv = open(Storage.FILE);
        byte[] notUtf8 = {(byte) 0xc3, 0x28, (byte) 0xff};
        kv.put(notUtf8, utf8("v"));
        assertThat(kv.rawKeys()).containsExactly(notUtf8);
        assertThat(kv.get(kv.rawKeys().iterator().next())).isEqualTo(utf8("v"));
        assertThat(kv.keys().iterator().next()).contains("\uFFFD");
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void iteration_crossesPageBoundaries_inOrder(Storage storage) {
        KVault kv = open(storage);
        int n = 1300; // more than two pages of 512
        vault.transaction(() -> {
            for (int i = 0; i < n; i++) {
                kv.put(String.format("k%05d", i), utf8("v" + i));
            }
        });
        int i = 0;
        for (Map.Entry<String, byte[]> e : kv) {
            assertThat(e.getKey()).isEqualTo(String.format("k%05d", i));
            assertThat(text(e.getValue())).isEqualTo("v" + i);
            i++;
        }
        assertThat(i).isEqualTo(n);
        assertThat(kv.keys()).hasSize(n);
        assertThat(kv.size()).isEqualTo(n);
    }

    @Test
    void iteration_toleratesWritesDuringIt() {
        KVault kv = open(Storage.FILE);
        for (int i = 0; i < 1100; i++) {
            kv.put(String.format("k%05d", i), utf8("v"));
        }
        Iterator<String> keys = kv.keys().iterator();
        List<String> seen = new ArrayList<>();
        while (keys.hasNext()) {
            String k = keys.next();
            seen.add(k);
            if (k.equals("k00010")) {
                kv.delete("k00900");
                kv.put("k99999", utf8("late"));
            }
        }
        assertThat(seen).doesNotContain("k00900").contains("k99999").hasSize(1100);
    }

    @Test
    void iteration_overChunkedValues_returnsThemWhole() {
        vault = Vault.builder(dir.resolve("c.db")).chunkSize(1024).open();
        KVault kv = vault.kv();
        byte[] big = bytes(10_000, 3);
        kv.put("a", utf8("small"));
        kv.put("b", big);
        kv.put("c", utf8("small2"));
        List<byte[]> values = new ArrayList<>();
        kv.values().forEach(values::add);
        assertThat(values).containsExactly(utf8("small"), big, utf8("small2"));
    }

    @Test
    void asMap_isLiveMapView() {
        KVault kv = open(Storage.FILE);
        Map<String, byte[]> map = kv.asMap();
        assertThat(map.put("a", utf8("1"))).isNull();
        assertThat(map.put("a", utf8("2"))).isEqualTo(utf8("1"));
        kv.put("b", utf8("3"));
        assertThat(map).containsKeys("a", "b").hasSize(2);
        assertThat(map.get("b")).isEqualTo(utf8("3"));
        assertThat(map.get(42)).isNull();
        assertThat(map.remove("a")).isEqualTo(utf8("2"));
        assertThat(kv.exists("a")).isFalse();
        map.entrySet().removeIf(e -> e.getKey().equals("b"));
        assertThat(map).isEmpty();
        assertThat(kv.isEmpty()).isTrue();
    }

    @Test
    void data_survivesCloseAndReopen() {
        Path file = dir.resolve("p.db");
        byte[] big = bytes(3 << 20, 9);
        try (Vault v = Vault.open(file)) {
            v.kv().put("small", utf8("v"));
            v.kv().put("big", big);
            v.kv("media").put("m", utf8("mm"));
        }
        try (Vault v = Vault.open(file)) {
            assertThat(v.kv().get("small")).isEqualTo(utf8("v"));
            assertThat(v.kv().get("big")).isEqualTo(big);
            assertThat(v.kv("media").get("m")).isEqualTo(utf8("mm"));
        }
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void bigValues_replacedAndDeleted_leaveNoChunksBehind(Storage storage) {
        vault = storage.open(dir, b -> b.chunkSize(4096));
        KVault kv = vault.kv();
        kv.put("big", bytes(50_000, 1));
        assertThat(Inspect.chunkRows(vault)).isEqualTo(13);
        kv.put("big", bytes(9_000, 2));
        assertThat(Inspect.chunkRows(vault)).isEqualTo(3);
        kv.put("big", utf8("small now"));
        assertThat(Inspect.chunkRows(vault)).isZero();
        kv.put("big", bytes(9_000, 2));
        kv.delete("big");
        assertThat(Inspect.chunkRows(vault)).isZero();
        assertThat(Inspect.blobRows(vault)).isZero();
        kv.put("a", bytes(9_000, 2));
        kv.put("b", bytes(9_000, 2));
        kv.clear();
        assertThat(Inspect.chunkRows(vault)).isZero();
    }
}
