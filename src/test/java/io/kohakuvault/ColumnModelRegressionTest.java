package io.kohakuvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Scripts that {@link ColumnModelTest} once shrank to, each replayed as a plain test, named for what broke. */
class ColumnModelRegressionTest extends VaultTestBase {

    /**
     * {@code failingTransaction[deleteAndRecreate()]}: after the rollback, {@code column(name, type)}
     * returned a second object for the column, whose cached appends the first one did not see.
     */
    @Test
    void column_afterRolledBackDeleteAndRecreate_returnsTheObjectInUse() {
        vault = Vault.builder(dir.resolve("v.db")).columnChunkSizes(ColumnFixtures.SMALL).open();
        LongColumn ids = vault.column("ids", ColumnType.I64);
        ids.extend(1L, 2L);
        assertThatThrownBy(() -> vault.transaction(() -> {
            vault.columns().deleteColumn("ids");
            vault.column("ids", ColumnType.I64).append(9L);
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(vault.column("ids", ColumnType.I64)).isSameAs(ids);
        assertThat(vault.columns().column("ids")).isSameAs(ids);
        assertThat(ids.getLongs(0, ids.length())).containsExactly(1L, 2L);
    }

    /** The same with the write-back cache on: an append cached by the object in use must be seen through column(name). */
    @Test
    void cachedAppend_afterRolledBackDeleteAndRecreate_isSeenThroughColumnByName() {
        vault = Vault.builder(dir.resolve("v.db")).columnChunkSizes(ColumnFixtures.SMALL).open()
                .withCache(ColumnFixtures.CACHE_CAPACITY, ColumnFixtures.CACHE_THRESHOLD);
        LongColumn ids = vault.column("ids", ColumnType.I64);
        ids.append(1L);
        assertThatThrownBy(() -> vault.transaction(() -> {
            vault.columns().deleteColumn("ids");
            vault.column("ids", ColumnType.I64);
            throw new IllegalStateException("roll back");
        })).isInstanceOf(IllegalStateException.class);
        ids.append(2L); // cached in the object in use

        LongColumn again = vault.column("ids", ColumnType.I64);
        assertThat(again.length()).isEqualTo(2);
        assertThat(again.getLongs(0, again.length())).containsExactly(1L, 2L);
    }
}
