package io.kohakuvault;

import static io.kohakuvault.VaultFixtures.bytes;
import static io.kohakuvault.VaultFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vault's one read cache ({@code readCacheBytes}): key-value values read or written recently
 * come from memory, never stale whoever commits, never more than its bound.
 */
class ReadCacheTest extends VaultTestBase {

    private Path file() {
        return dir.resolve("v.db");
    }

    @Test
    void get_afterOtherVaultWrites_seesEveryCommit() {
        vault = Vault.open(file());
        try (Vault other = Vault.open(file())) {
            KVault mine = vault.kv();
            KVault theirs = other.kv();
            for (int round = 0; round < 200; round++) {
                byte[] value = utf8("v" + round);
                if (round % 2 == 0) {
                    theirs.put("k", value);
                } else {
                    mine.put("k", value);
                }
                assertThat(mine.get("k")).as("round %d, mine", round).isEqualTo(value);
                assertThat(mine.get("k"))
                        .as("round %d, mine again (cached)", round)
                        .isEqualTo(value);
                assertThat(theirs.get("k")).as("round %d, theirs", round).isEqualTo(value);
                if (round % 10 == 9) {
                    theirs.delete("k");
                    assertThat(mine.get("k")).isNull();
                    assertThat(mine.exists("k")).isFalse();
                }
            }
        }
    }

    @Test
    void get_afterRawSqlChangedTheRow_seesTheChange() throws Exception {
        vault = Vault.open(file());
        KVault kv = vault.kv();
        kv.put("k", utf8("old"));
        assertThat(kv.get("k")).isEqualTo(utf8("old")); // now cached
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file())) {
            raw.createStatement().execute("PRAGMA busy_timeout = 5000");
            try (PreparedStatement s = raw.prepareStatement("UPDATE vault_kv_entry SET value = ?, checksum = 0")) {
                s.setBytes(1, utf8("new"));
                s.executeUpdate();
            }
        }
        assertThat(kv.get("k")).isEqualTo(utf8("new"));
    }

    @Test
    void transactionThatRollsBack_leavesNoTraceInTheCache() {
        vault = Vault.open(file());
        KVault kv = vault.kv();
        kv.put("k", utf8("committed"));
        assertThat(kv.get("k")).isEqualTo(utf8("committed"));
        assertThatThrownBy(() -> vault.transaction(() -> {
                    kv.put("k", utf8("rolled back"));
                    kv.put("other", utf8("rolled back"));
                    assertThat(kv.get("k")).isEqualTo(utf8("rolled back"));
                    kv.clear();
                    throw new IllegalStateException("boom");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(kv.get("k")).isEqualTo(utf8("committed"));
        assertThat(kv.get("other")).isNull();
        vault.transaction(() -> kv.put("k", utf8("second")));
        assertThat(kv.get("k")).isEqualTo(utf8("second"));
        try (Vault other = Vault.open(file())) {
            assertThat(other.kv().get("k")).isEqualTo(utf8("second"));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void writes_updateTheCache_clearAndDeleteEmptyIt(boolean writeBackCache) {
        vault = Vault.builder(file()).chunkSize(256).open();
        KVault kv = vault.kv();
        if (writeBackCache) {
            kv.enableCache(1 << 20, 1 << 20);
        }
        kv.put("a", utf8("1"));
        kv.put("big", bytes(1000, 7)); // chunked: never cached, always read whole
        kv.flushCache();
        assertThat(kv.get("a")).isEqualTo(utf8("1"));
        assertThat(kv.get("big")).isEqualTo(bytes(1000, 7));
        kv.put("a", utf8("2"));
        kv.flushCache();
        assertThat(kv.get("a")).isEqualTo(utf8("2"));
        kv.delete("a");
        kv.flushCache();
        assertThat(kv.get("a")).isNull();
        kv.put("b", utf8("3"));
        kv.flushCache();
        assertThat(kv.getAll(List.of("a", "b", "big")).keySet()).containsExactly("b", "big");
        kv.clear();
        assertThat(kv.get("b")).isNull();
        assertThat(kv.get("big")).isNull();
        byte[] got = kv.get("missing");
        assertThat(got).isNull();
    }

    @Test
    void get_returnsAFreshCopy_thatCallersMayChange() {
        vault = Vault.open(file());
        KVault kv = vault.kv();
        byte[] value = utf8("value");
        kv.put("k", value);
        value[0] = 'X'; // put copied it
        byte[] first = kv.get("k");
        first[0] = 'Y';
        assertThat(kv.get("k")).isEqualTo(utf8("value"));
        assertThat(kv.getAll(List.of("k")).get("k")).isEqualTo(utf8("value"));
    }

    @Test
    void readCache_neverHoldsMoreThanReadCacheBytes() {
        long bound = 256 << 10;
        vault = Vault.builder(file()).readCacheBytes(bound).open();
        KVault kv = vault.kv();
        LongColumn column = vault.column("c", ColumnType.I64);
        long[] longs = new long[200_000];
        Random random = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            kv.put("k" + i, bytes(1 + random.nextInt(3000), i));
        }
        column.extend(longs);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 2_000; i++) {
                kv.get("k" + random.nextInt(2_000));
                column.getLong(random.nextInt(longs.length));
                assertThat(vault.database().readCache().weightedBytes()).isLessThanOrEqualTo(bound);
            }
            column.getLongs(0, longs.length);
            assertThat(vault.database().readCache().weightedBytes()).isLessThanOrEqualTo(bound);
        }
        assertThat(vault.database().readCache().weightedBytes()).isGreaterThan(bound / 2); // it is used
    }

    @Test
    void readCacheBytesZero_cachesNothing_andStillAnswers() {
        vault = Vault.builder(file()).readCacheBytes(0).open();
        KVault kv = vault.kv();
        kv.put("k", utf8("v"));
        assertThat(kv.get("k")).isEqualTo(utf8("v"));
        assertThat(vault.database().readCache().weightedBytes()).isZero();
    }
}
