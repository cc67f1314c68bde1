package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Vault#copyTo(Vault)} and {@link Vault#kvStores()}. */
class VaultCopyTest {
    @TempDir
    Path dir;

    @Test
    void kvStores_listsEveryStoreByName() {
        try (Vault vault = Vault.open(dir.resolve("a.db"))) {
            vault.kv("zeta");
            vault.kv().put("k", new byte[] {1});
            vault.kv("alpha");
            assertThat(vault.kvStores()).containsExactly("alpha", "kvault", "zeta");
        }
    }

    @Test
    void copyTo_everyStoreAndColumn_copiesThemAndCountsTheBytes() {
        try (Vault source = Vault.open(dir.resolve("a.db"));
                Vault target = Vault.open(dir.resolve("b.db"))) {
            source.kv().put("small", new byte[10]);
            source.kv().put(new byte[] {(byte) 0xff, 0}, new byte[3]);
            source.kv("big").put("v", new byte[3 << 20]);
            source.column("n", ColumnType.I64).extend(1, 2, 3);
            source.column("s", ColumnType.STRING).extend(List.of("ab", "c"));

            long copied = source.copyTo(target);

            assertThat(copied).isEqualTo(10 + 3 + (3 << 20) + 3 * 8 + 3);
            assertThat(target.kvStores()).containsExactly("big", "kvault");
            assertThat(target.kv().get(new byte[] {(byte) 0xff, 0})).hasSize(3);
            assertThat(target.kv("big").get("v")).hasSize(3 << 20);
            assertThat(target.column("n", ColumnType.I64).getLongs(0, 3)).containsExactly(1, 2, 3);
            assertThat(target.column("s", ColumnType.STRING)).containsExactly("ab", "c");
        }
    }

    @Test
    void copyTo_targetWithAColumnOfTheSameName_throwsAndChangesNothing() {
        try (Vault source = Vault.open(dir.resolve("a.db"));
                Vault target = Vault.open(dir.resolve("b.db"))) {
            source.kv("s").put("k", new byte[1]);
            source.column("n", ColumnType.I64).append(1);
            target.column("n", ColumnType.F64).append(2.0);

            assertThatThrownBy(() -> source.copyTo(target))
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("column 'n'");
            assertThat(target.kvStores()).isEmpty();
            assertThat(target.column("n", ColumnType.F64)).containsExactly(2.0);
        }
    }

    @Test
    void copyTo_itself_throws() {
        try (Vault source = Vault.open(dir.resolve("a.db"))) {
            assertThatThrownBy(() -> source.copyTo(source)).isInstanceOf(InvalidArgumentException.class);
        }
    }
}
