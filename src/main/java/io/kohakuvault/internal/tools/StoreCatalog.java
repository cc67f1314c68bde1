package io.kohakuvault.internal.tools;

import static io.kohakuvault.internal.schema.Tables.VAULT_KV_BLOB;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_ENTRY;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_STORE;
import static io.kohakuvault.internal.schema.Tables.VAULT_META;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.count;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.octetLength;
import static org.jooq.impl.DSL.sum;

import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.Sql;
import io.kohakuvault.internal.db.SqlText;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Field;

/** The key-value stores of a file, by name, with their key counts and bytes; and the schema version. */
public final class StoreCatalog {
    /**
     * One store's totals.
     *
     * @param name the store's name
     * @param keys how many keys it holds
     * @param bytes the sum of its values' sizes
     */
    public record StoreStats(String name, long keys, long bytes) {}

    /** The size of an entry's value: its inline bytes, or its blob's size. */
    static final Field<Long> VALUE_SIZE =
            coalesce(octetLength(VAULT_KV_ENTRY.VALUE.coerce(String.class)).cast(Long.class), VAULT_KV_BLOB.SIZE);

    private static final SqlText NAMES = SqlText.of(
            Sql.dsl().select(VAULT_KV_STORE.NAME).from(VAULT_KV_STORE).orderBy(VAULT_KV_STORE.NAME));

    private static final SqlText STATS = SqlText.of(Sql.dsl()
            .select(
                    VAULT_KV_STORE.NAME,
                    count(VAULT_KV_ENTRY.KEY),
                    coalesce(sum(VALUE_SIZE), inline(java.math.BigDecimal.ZERO)))
            .from(VAULT_KV_STORE)
            .leftJoin(VAULT_KV_ENTRY)
            .on(VAULT_KV_ENTRY.STORE_ID.eq(VAULT_KV_STORE.ID))
            .leftJoin(VAULT_KV_BLOB)
            .on(VAULT_KV_BLOB.STORE_ID.eq(VAULT_KV_ENTRY.STORE_ID))
            .and(VAULT_KV_BLOB.ID.eq(VAULT_KV_ENTRY.BLOB_ID))
            .groupBy(VAULT_KV_STORE.ID, VAULT_KV_STORE.NAME)
            .orderBy(VAULT_KV_STORE.NAME));

    private static final SqlText SCHEMA_VERSION = SqlText.of(
            Sql.dsl().select(VAULT_META.SCHEMA_VERSION).from(VAULT_META).where(VAULT_META.ID.eq(inline(1))));

    private StoreCatalog() {}

    /**
     * @param db the vault's database
     * @return every store's name, in name order
     */
    public static List<String> names(Database db) {
        return db.read(
                c -> {
                    List<String> names = new ArrayList<>();
                    try (ResultSet rows = c.prepared(NAMES).executeQuery()) {
                        while (rows.next()) {
                            names.add(rows.getString(1));
                        }
                    }
                    return names;
                },
                () -> "list the stores of vault " + db.options().location());
    }

    /**
     * @param db the vault's database
     * @return every store's totals, in name order, as committed (cached writes not counted)
     */
    public static List<StoreStats> stats(Database db) {
        return db.read(
                c -> {
                    List<StoreStats> stats = new ArrayList<>();
                    try (ResultSet rows = c.prepared(STATS).executeQuery()) {
                        while (rows.next()) {
                            stats.add(new StoreStats(rows.getString(1), rows.getLong(2), rows.getLong(3)));
                        }
                    }
                    return stats;
                },
                () -> "count the stores of vault " + db.options().location());
    }

    /**
     * @param db the vault's database
     * @return the schema version the file holds
     */
    public static int schemaVersion(Database db) {
        return db.read(
                c -> {
                    try (ResultSet rows = c.prepared(SCHEMA_VERSION).executeQuery()) {
                        return rows.next() ? rows.getInt(1) : 0;
                    }
                },
                () -> "read the schema version of vault " + db.options().location());
    }
}
