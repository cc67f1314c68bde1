package io.kohakuvault;

import static io.kohakuvault.TypedFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.kohakuvault.TypedFixtures.Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link TypedKVault} through the public API on real files: every method, caches on and off, transactions, bad input. */
class TypedKVaultTest extends VaultTestBase {

    private Vault open(boolean cached) {
        vault = Vault.open(dir.resolve("typed.db"));
        if (cached) {
            vault.withCache(1 << 20, 1 << 19);
        }
        return vault;
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(booleans = {false, true})
    void put_thenEveryRead_seesTheValue(boolean cached) {
        TypedKVault<Settings> kv = open(cached).kv("settings", Codec.json(Settings.class));
        kv.put("user:1", settings(1));
        kv.set("user:2", settings(2));
        kv.put("other", settings(3));

        assertThat(kv.get("user:1")).isEqualTo(settings(1));
        assertThat(kv.get("absent")).isNull();
        assertThat(kv.get("absent", settings(9))).isEqualTo(settings(9));
        assertThat(kv.get("user:2", settings(9))).isEqualTo(settings(2));
        assertThat(kv.require("user:2")).isEqualTo(settings(2));
        assertThat(kv.exists("user:1")).isTrue();
        assertThat(kv.contains("nope")).isFalse();
        assertThat(kv.size()).isEqualTo(3);
        assertThat(kv.keys()).containsExactly("other", "user:1", "user:2");
        assertThat(kv.keys("user:")).containsExactly("user:1", "user:2");
        assertThat(kv.values()).containsExactly(settings(3), settings(1), settings(2));
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, Settings> e : kv) {
            seen.add(e.getKey() + "=" + e.getValue().fontSize());
        }
        assertThat(seen).containsExactly("other=13", "user:1=11", "user:2=12");
        assertThat(kv.getAll(List.of("user:2", "absent", "other")))
                .containsExactly(entry("user:2", settings(2)), entry("other", settings(3)));
        assertThat(kv.delete("other")).isTrue();
        assertThat(kv.delete("other")).isFalse();
        assertThat(kv.size()).isEqualTo(2);
    }

    @Test
    void require_absentKey_throwsNotFound() {
        TypedKVault<String> kv = open(false).kv("s", Codec.STRING);
        assertThatThrownBy(() -> kv.require("missing"))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("missing");
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(booleans = {false, true})
    void putAll_thenReopen_valuesSurvive(boolean cached) {
        Map<String, Settings> all = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            all.put("k" + i, settings(i));
        }
        open(cached).kv("settings", Codec.cbor(Settings.class)).putAll(all);
        vault.close();
        vault = Vault.open(dir.resolve("typed.db"));
        TypedKVault<Settings> kv = vault.kv("settings").typed(Codec.cbor(Settings.class));
        assertThat(kv.asMap()).isEqualTo(all);
    }

    @Test
    void raw_seesEncodedBytes_andTypedSeesRawWrites() {
        TypedKVault<Long> kv = open(false).kv("counters", Codec.LONG);
        kv.put("a", 5L);
        assertThat(kv.raw()).isSameAs(vault.kv("counters"));
        assertThat(kv.raw().get("a")).containsExactly(5, 0, 0, 0, 0, 0, 0, 0);
        vault.kv("counters").put("b", new byte[] {7, 0, 0, 0, 0, 0, 0, 0});
        assertThat(kv.get("b")).isEqualTo(7L);
        TypedKVault<String> json = vault.kv("j", Codec.STRING);
        json.put("x", "{\"a\":1}");
        assertThat(vault.kv("j", Codec.json(Map.class)).get("x")).isEqualTo(Map.of("a", 1));
    }

    @Test
    void put_unencodableValue_throwsInvalidArgumentNamingKey_andWritesNothing() {
        TypedKVault<Object> kv = open(false).kv("o", Codec.json(Object.class));
        kv.put("k", "old");
        assertThatThrownBy(() -> kv.put("k", new TypedFixtures.Unwritable()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining("json(Object)");
        assertThat(kv.get("k")).isEqualTo("old");
        assertThatThrownBy(() -> kv.putAll(Map.of("a", "fine", "b", new TypedFixtures.Unwritable())))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'b'");
        assertThat(kv.exists("a")).isFalse();
    }

    @Test
    void put_nullValue_throwsInvalidArgument() {
        TypedKVault<String> kv = open(false).kv("s", Codec.STRING);
        assertThatThrownBy(() -> kv.put("k", null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'k'");
    }

    @Test
    void get_undecodableBytes_throwsNamingKeyAndCodec_andChangesNothing() {
        open(false).kv("s").put("bad", "{broken".getBytes(StandardCharsets.UTF_8));
        TypedKVault<Settings> kv = vault.kv("s", Codec.json(Settings.class));
        assertThatThrownBy(() -> kv.get("bad"))
                .isInstanceOf(KohakuVaultException.class)
                .isNotInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("'bad'")
                .hasMessageContaining("json(Settings)");
        assertThatThrownBy(() -> kv.iterator().next())
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining("'bad'");
        assertThat(vault.kv("s").get("bad")).isEqualTo("{broken".getBytes(StandardCharsets.UTF_8));
        TypedKVault<Long> longs = vault.kv("s", Codec.LONG);
        assertThatThrownBy(() -> longs.require("bad"))
                .isInstanceOf(KohakuVaultException.class)
                .hasMessageContaining("long");
    }

    @ParameterizedTest(name = "cache {0}")
    @ValueSource(booleans = {false, true})
    void transaction_thatThrows_rollsBackTypedWrites(boolean cached) {
        TypedKVault<Settings> kv = open(cached).kv("settings", Codec.json(Settings.class));
        kv.put("kept", settings(1));
        assertThatThrownBy(() -> vault.transaction(() -> {
                    kv.put("kept", settings(2));
                    kv.put("new", settings(3));
                    assertThat(kv.get("new")).isEqualTo(settings(3));
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(kv.get("kept")).isEqualTo(settings(1));
        assertThat(kv.exists("new")).isFalse();
    }

    @Test
    void asMap_putAndRemove_returnOldValues() {
        Map<String, Integer> map = open(false).kv("ints", Codec.INT).asMap();
        assertThat(map.put("a", 1)).isNull();
        assertThat(map.put("a", 2)).isEqualTo(1);
        assertThat(map.get("a")).isEqualTo(2);
        assertThat(map.remove("a")).isEqualTo(2);
        assertThat(map).isEmpty();
    }

    @Test
    void twoVaults_oneFile_seeEachOthersTypedWrites() {
        open(false);
        try (Vault other = Vault.open(dir.resolve("typed.db"))) {
            TypedKVault<Settings> mine = vault.kv("settings", Codec.json(Settings.class));
            TypedKVault<Settings> theirs = other.kv("settings", Codec.json(Settings.class));
            mine.put("a", settings(1));
            assertThat(theirs.get("a")).isEqualTo(settings(1));
            theirs.put("a", settings(2));
            assertThat(mine.get("a")).isEqualTo(settings(2));
        }
    }

    @Test
    void everyBuiltInCodec_roundTripsThroughAStore() {
        open(false);
        vault.kv("s", Codec.STRING).put("k", "text ✓");
        vault.kv("l", Codec.LONG).put("k", -1L);
        vault.kv("i", Codec.INT).put("k", 42);
        vault.kv("d", Codec.DOUBLE).put("k", 0.1);
        vault.kv("b", Codec.BYTES).put("k", new byte[] {1, 2});
        vault.kv("c", Codec.cbor(Object.class)).put("k", Map.of("n", List.of(1, 2)));
        vault.close();
        vault = Vault.open(dir.resolve("typed.db"));
        assertThat(vault.kv("s", Codec.STRING).get("k")).isEqualTo("text ✓");
        assertThat(vault.kv("l", Codec.LONG).get("k")).isEqualTo(-1L);
        assertThat(vault.kv("i", Codec.INT).get("k")).isEqualTo(42);
        assertThat(vault.kv("d", Codec.DOUBLE).get("k")).isEqualTo(0.1);
        assertThat(vault.kv("b", Codec.BYTES).get("k")).containsExactly(1, 2);
        assertThat(vault.kv("c", Codec.cbor(Object.class)).get("k")).isEqualTo(Map.of("n", List.of(1, 2)));
    }
}
