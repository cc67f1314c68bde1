package io.kohakuvault.internal.tools;

import static io.kohakuvault.internal.schema.Tables.VAULT_KV_BLOB;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_ENTRY;
import static io.kohakuvault.internal.schema.Tables.VAULT_KV_STORE;
import static org.jooq.impl.DSL.val;

import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.Sql;
import io.kohakuvault.internal.db.SqlText;
import io.kohakuvault.internal.kv.KeyCodec;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** The keys of one store, in key order, each with its value's size, read as one stream of rows. */
public final class EntrySizes {
    /** What receives each key and the size of its value. */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param key the key as stored
         * @param size its value's size in bytes
         */
        void entry(byte[] key, long size);
    }

    private static final SqlText ENTRIES = SqlText.of(Sql.dsl()
            .select(VAULT_KV_ENTRY.KEY, StoreCatalog.VALUE_SIZE)
            .from(VAULT_KV_ENTRY)
            .join(VAULT_KV_STORE)
            .on(VAULT_KV_STORE.ID.eq(VAULT_KV_ENTRY.STORE_ID))
            .leftJoin(VAULT_KV_BLOB)
            .on(VAULT_KV_BLOB.STORE_ID.eq(VAULT_KV_ENTRY.STORE_ID))
            .and(VAULT_KV_BLOB.ID.eq(VAULT_KV_ENTRY.BLOB_ID))
            .where(VAULT_KV_STORE.NAME.eq(val((String) null, VAULT_KV_STORE.NAME)))
            .and(VAULT_KV_ENTRY.KEY.ge(val((byte[]) null, VAULT_KV_ENTRY.KEY)))
            .orderBy(VAULT_KV_ENTRY.KEY));

    private EntrySizes() {}

    /**
     * Hands every key of {@code store} that starts with {@code prefix} to {@code sink}, in unsigned
     * byte order, holding one row in memory at a time.
     *
     * @param db the vault's database
     * @param store the store's name
     * @param prefix the keys' prefix; empty for all
     * @param sink what receives them
     */
    public static void each(Database db, String store, byte[] prefix, Sink sink) {
        db.read(
                c -> {
                    PreparedStatement s = c.prepared(ENTRIES);
                    s.setString(1, store);
                    s.setBytes(2, prefix);
                    try (ResultSet rows = s.executeQuery()) {
                        while (rows.next()) {
                            byte[] key = rows.getBytes(1);
                            if (!KeyCodec.startsWith(key, prefix)) {
                                break;
                            }
                            sink.entry(key, rows.getLong(2));
                        }
                    }
                    return null;
                },
                () -> "list store '" + store + "' of vault " + db.options().location());
    }
}
