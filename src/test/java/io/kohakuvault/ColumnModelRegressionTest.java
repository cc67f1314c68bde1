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
        vault = Vault.builder(dir.resolve("v.db"))
                .columnChunkSizes(ColumnFixtures.SMALL)
                .open();
        LongColumn ids = vault.column("ids", ColumnType.I64);
        ids.extend(1L, 2L);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    vault.columns().deleteColumn("ids");
                    vault.column("ids", ColumnType.I64).append(9L);
                    throw new IllegalStateException("roll back");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(vault.column("ids", ColumnType.I64)).isSameAs(ids);
        assertThat(vault.columns().column("ids")).isSameAs(ids);
        assertThat(ids.getLongs(0, ids.length())).containsExactly(1L, 2L);
    }

    /** The same with the write-back cache on: an append cached by the object in use must be seen through column(name). */
    @Test
    void cachedAppend_afterRolledBackDeleteAndRecreate_isSeenThroughColumnByName() {
        vault = Vault.builder(dir.resolve("v.db"))
                .columnChunkSizes(ColumnFixtures.SMALL)
                .open()
                .withCache(ColumnFixtures.CACHE_CAPACITY, ColumnFixtures.CACHE_THRESHOLD);
        LongColumn ids = vault.column("ids", ColumnType.I64);
        ids.append(1L);
        assertThatThrownBy(() -> vault.transaction(() -> {
                    vault.columns().deleteColumn("ids");
                    vault.column("ids", ColumnType.I64);
                    throw new IllegalStateException("roll back");
                }))
                .isInstanceOf(IllegalStateException.class);
        ids.append(2L); // cached in the object in use

        LongColumn again = vault.column("ids", ColumnType.I64);
        assertThat(again.length()).isEqualTo(2);
        assertThat(again.getLongs(0, again.length())).containsExactly(1L, 2L);
    }

    /**
     * {@code transaction[transaction[deleteAndRecreate()], remove(out of range)]}: the failed
     * remove rolled back its own savepoint, and with it undid the column created in the inner
     * transaction that had already committed into the outer one: the new column object was dead.
     */
    @Test
    void columnCreatedInCommittedSavepoint_survivesLaterSavepointRollback() {
        vault = Vault.builder(dir.resolve("v.db"))
                .columnChunkSizes(ColumnFixtures.SMALL)
                .open();
        vault.column("ids", ColumnType.I64).extend(1L, 2L);
        LongColumn[] created = new LongColumn[1];
        vault.transaction(() -> {
            vault.transaction(() -> {
                vault.columns().deleteColumn("ids");
                created[0] = vault.column("ids", ColumnType.I64);
                created[0].append(7L);
            });
            assertThatThrownBy(() -> created[0].remove(5)).isInstanceOf(IndexOutOfBoundsException.class);
            created[0].append(8L);
        });

        assertThat(vault.column("ids", ColumnType.I64)).isSameAs(created[0]);
        assertThat(created[0].getLongs(0, created[0].length())).containsExactly(7L, 8L);
    }

    /** The same when the later savepoint is a user's nested transaction that fails and is caught. */
    @Test
    void columnCreatedInCommittedSavepoint_survivesLaterFailedNestedTransaction() {
        vault = Vault.builder(dir.resolve("v.db"))
                .columnChunkSizes(ColumnFixtures.SMALL)
                .open();
        LongColumn[] created = new LongColumn[1];
        vault.transaction(() -> {
            vault.transaction(() -> created[0] = vault.column("late", ColumnType.I64));
            try {
                vault.transaction(() -> {
                    throw new IllegalStateException("roll back the second savepoint only");
                });
            } catch (IllegalStateException expected) {
                // caught: the outer transaction goes on
            }
            created[0].append(1L);
        });

        assertThat(vault.columns().hasColumn("late")).isTrue();
        assertThat(vault.column("late", ColumnType.I64)).isSameAs(created[0]);
        assertThat(created[0].getLongs(0, created[0].length())).containsExactly(1L);
    }
}
