package io.kohakuvault.internal.column;

/**
 * A chunk a write left behind, offered to the cache once the write commits.
 *
 * @param heap true for a heap chunk, false for an element chunk
 * @param seq the chunk's number
 * @param data its new data, never modified afterwards
 */
@SuppressWarnings("ArrayRecordComponent") // a holder handed from a write to the cache, never compared
record WrittenChunk(boolean heap, long seq, byte[] data) {}
