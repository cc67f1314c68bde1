package io.kohakuvault.internal.kv;

import io.kohakuvault.internal.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** The keys of a store that start with a prefix, in unsigned byte order, a page at a time. */
final class KeyPages extends Pages<byte[]> {
    private final Database database;
    private final IntSupplier storeId;
    private final byte[] prefix;
    private final Supplier<String> what;

    KeyPages(Database database, IntSupplier storeId, byte[] prefix, Supplier<String> what) {
        this.database = database;
        this.storeId = storeId;
        this.prefix = prefix;
        this.what = what;
    }

    @Override
    byte @Nullable [] readPage(byte @Nullable [] after, ArrayDeque<byte[]> sink) {
        int store = storeId.getAsInt();
        return database.read(
                conn -> {
                    PreparedStatement s = conn.prepared(after == null ? KvSql.KEYS_FROM : KvSql.KEYS_AFTER);
                    s.setInt(1, store);
                    s.setBytes(2, after == null ? prefix : after);
                    s.setInt(3, PAGE_ROWS);
                    byte[] last = null;
                    long bytes = 0;
                    try (ResultSet rows = s.executeQuery()) {
                        while (bytes < PAGE_BYTES && rows.next()) {
                            byte[] key = rows.getBytes(1);
                            if (!KeyCodec.startsWith(key, prefix)) {
                                stop(); // sorted: every later key is past the prefix too
                                break;
                            }
                            sink.addLast(key);
                            last = key;
                            bytes += key.length;
                        }
                    }
                    return last;
                },
                what);
    }
}
