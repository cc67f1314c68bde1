package io.kohakuvault.internal.column;

/**
 * A column's length and revision as its row in {@code vault_column} holds them, read inside some
 * connection's snapshot; what a write records when it commits.
 *
 * @param length elements committed
 * @param revision how many writes have committed to the column
 */
record StoredState(long length, long revision) {

    /** @return what a write that leaves the column with {@code newLength} elements records */
    StoredState afterWrite(long newLength) {
        return new StoredState(newLength, revision + 1);
    }
}
