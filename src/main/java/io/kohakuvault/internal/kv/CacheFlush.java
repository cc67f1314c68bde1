package io.kohakuvault.internal.kv;

import io.kohakuvault.internal.db.Database;
import io.kohakuvault.internal.db.VaultConnection;
import java.io.ByteArrayInputStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Cached writes of one store on their way to the file: {@link #write} them in a transaction, then
 * {@link #complete} once it has committed.
 */
final class CacheFlush {
    private final KvStore store;
    private final WriteBackCache cache;
    private final WriteBackCache.Snapshot snapshot;
    private final List<WriteBackCache.Pending> writes;

    CacheFlush(KvStore store, WriteBackCache cache, WriteBackCache.Snapshot snapshot) {
        this.store = store;
        this.cache = cache;
        this.snapshot = snapshot;
        this.writes = snapshot.writes();
    }

    /**
     * Writes the cached writes in key order on the transaction's connection.
     *
     * @param conn the writer, inside a transaction
     * @throws SQLException when SQLite fails; the caller rolls back
     */
    public void write(VaultConnection conn) throws SQLException {
        int storeId = store.storeId();
        List<WriteBackCache.Pending> inline = new ArrayList<>(KvSql.ROWS_PER_PUT);
        for (WriteBackCache.Pending w : writes) {
            byte[] value = w.value();
            if (value == null) {
                EntryRows.remove(conn, storeId, w.key());
            } else if (value.length <= store.chunkSize()) {
                inline.add(w);
                if (inline.size() == KvSql.ROWS_PER_PUT) {
                    EntryRows.putInlineRows(conn, storeId, inline);
                    inline.clear();
                }
            } else {
                store.chunks()
                        .write(
                                conn,
                                storeId,
                                new ByteArrayInputStream(value),
                                value.length,
                                () -> store.describe("flush", w.key()),
                                EntryRows.target(conn, storeId, w.key()));
            }
        }
        for (WriteBackCache.Pending w : inline) {
            // Only puts go into inline: their values are not null.
            EntryRows.putInlineReplacing(conn, storeId, w.key(), Objects.requireNonNull(w.value()));
        }
    }

    /**
     * Forgets the written writes, once their transaction has committed, and records them in the
     * read cache. Call under the write lock, right after the commit.
     *
     * @param commitEpoch {@link Database#lastCommitEpoch()} of that commit
     * @return how many keys were written or deleted
     */
    public int complete(long commitEpoch) {
        int storeId = store.storeId();
        for (WriteBackCache.Pending w : writes) {
            byte[] value = w.value();
            // the cache's arrays are never changed: the read cache may keep them as they are
            store.values()
                    .written(
                            storeId,
                            w.key(),
                            commitEpoch,
                            value != null && value.length <= store.chunkSize() ? value : null);
        }
        cache.forget(snapshot);
        return writes.size();
    }
}
