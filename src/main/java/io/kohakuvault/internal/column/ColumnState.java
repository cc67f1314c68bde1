package io.kohakuvault.internal.column;

/**
 * What one column holds, as this vault last knew it: an immutable snapshot, replaced whole.
 *
 * @param committed elements committed to the file
 * @param revision the column's committed revision those belong to
 * @param epoch names the chunk positions the cache holds for this column; a new epoch means
 *     chunks may have moved, and nothing cached under an older one is used again
 * @param pending appends waiting in the write-back cache, which follow the committed elements
 */
record ColumnState(long committed, long revision, long epoch, AppendBuffer pending) {

    /** @return committed and pending elements together */
    long length() {
        return committed + pending.count();
    }
}
