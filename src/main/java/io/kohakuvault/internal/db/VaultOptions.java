package io.kohakuvault.internal.db;

import io.kohakuvault.Synchronous;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The validated options a vault was opened with; see {@code VaultBuilder} for each one's meaning.
 *
 * @param file the database file, or null for a private in-memory vault
 * @param chunkSize streaming chunk size in bytes; values larger than this are stored as chunk rows
 * @param retries retry attempts while the database is busy
 * @param backoffBase first retry delay; doubles each retry
 * @param table name of the default key-value store
 * @param walEnabled whether the file uses write-ahead logging
 * @param pageSize SQLite page size in bytes, applied to new files
 * @param mmapSize bytes of the file SQLite may memory-map
 * @param cacheKb SQLite page cache per connection, in KiB
 * @param readOnly whether the vault never writes the file
 * @param synchronous how hard SQLite syncs commits to disk
 * @param maxReaders most reader connections kept open
 * @param readCacheBytes bytes of column chunks kept in memory for reads
 * @param minColumnChunkBytes first chunk size of new columns
 * @param maxColumnChunkBytes largest chunk size of new columns
 * @param server the server database the vault lives in, or null for a file or in-memory vault
 */
public record VaultOptions(
        @Nullable Path file,
        int chunkSize,
        int retries,
        Duration backoffBase,
        String table,
        boolean walEnabled,
        int pageSize,
        long mmapSize,
        int cacheKb,
        boolean readOnly,
        Synchronous synchronous,
        int maxReaders,
        long readCacheBytes,
        int minColumnChunkBytes,
        int maxColumnChunkBytes,
        @Nullable ServerTarget server) {

    /** @return true for a private in-memory vault */
    public boolean inMemory() {
        return file == null && server == null;
    }

    /** @return the file's path, {@code :memory:}, or the server database (without its password), for messages */
    public String location() {
        if (server != null) {
            return server.shownAs();
        }
        return file == null ? ":memory:" : file.toString();
    }
}
