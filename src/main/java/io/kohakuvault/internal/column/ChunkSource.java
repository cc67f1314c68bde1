package io.kohakuvault.internal.column;

import java.sql.SQLException;

/** Where a write finds the current data of the chunks it rewrites: the cache, or the file. */
@FunctionalInterface
interface ChunkSource {
    /**
     * @param heap true for a heap chunk, false for an element chunk
     * @param seq the chunk's number
     * @return its data, never to be modified; empty when there is no such chunk
     * @throws SQLException when SQLite fails
     */
    byte[] chunk(boolean heap, long seq) throws SQLException;
}
