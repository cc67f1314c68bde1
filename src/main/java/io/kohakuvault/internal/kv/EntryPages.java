package io.kohakuvault.internal.kv;

import io.kohakuvault.internal.db.Checksum;
import io.kohakuvault.internal.db.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.AbstractMap;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The keys and values of a store in key order, a page at a time. A page ends after
 * {@link #PAGE_ROWS} rows, after {@link #PAGE_BYTES} bytes, or right after a chunked value.
 */
final class EntryPages extends Pages<Map.Entry<byte[], byte[]>> {
    private final Database database;
    private final IntSupplier storeId;
    private final ChunkedValues chunks;
    private final Supplier<String> what;

    EntryPages(Database database, IntSupplier storeId, ChunkedValues chunks, Supplier<String> what) {
        this.database = database;
        this.storeId = storeId;
        this.chunks = chunks;
        this.what = what;
    }

    @Override
    byte @Nullable [] readPage(byte @Nullable [] after, ArrayDeque<Map.Entry<byte[], byte[]>> sink) {
        int store = storeId.getAsInt();
        return database.read(
                conn -> {
                    PreparedStatement s = conn.prepared(after == null ? KvSql.ENTRIES_FROM : KvSql.ENTRIES_AFTER);
                    s.setInt(1, store);
                    s.setBytes(2, after == null ? new byte[0] : after);
                    s.setInt(3, PAGE_ROWS);
                    byte[] last = null;
                    long bytes = 0;
                    try (ResultSet rows = s.executeQuery()) {
                        while (bytes < PAGE_BYTES && rows.next()) {
                            byte[] key = rows.getBytes(1);
                            byte[] value = rows.getBytes(2);
                            int blobId = rows.getInt(3);
                            long checksum = Checksum.read(rows, 4);
                            boolean chunked = value == null;
                            if (chunked) {
                                Checksum.verify(checksum, Checksum.ofBlobEntry(key, blobId), what);
                                value = chunks.readWhole(conn, store, blobId, what);
                            } else {
                                Checksum.verify(checksum, Checksum.ofInlineEntry(key, value), what);
                            }
                            sink.addLast(new AbstractMap.SimpleImmutableEntry<>(key, value));
                            last = key;
                            bytes += key.length + value.length;
                            if (chunked) {
                                break;
                            }
                        }
                    }
                    return last;
                },
                what);
    }
}
