package io.kohakuvault.internal.column;

import io.kohakuvault.internal.db.VaultConnection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The element array of one column: fixed-size elements packed into chunk rows laid out by a
 * {@link ChunkLayout}. Every method runs inside the caller's write transaction and reads the
 * chunks it rewrites from a {@link ChunkSource}. Appends and in-place updates rewrite one chunk
 * (or as many as the appended elements fill); an insert or remove in the middle shifts every
 * later element by one, rewriting the chunks from there to the end, holding two at a time.
 */
final class ElementChunks {
    private final ChunkRows rows;
    private final ChunkLayout layout;
    private final int size;

    ElementChunks(ChunkRows rows, ChunkLayout layout, int elementSize) {
        this.rows = rows;
        this.layout = layout;
        this.size = elementSize;
    }

    ChunkLayout layout() {
        return layout;
    }

    /** @return the byte offset of element {@code index} in its chunk */
    int offsetInChunk(long index, long seq) {
        return (int) (index - layout.start(seq)) * size;
    }

    /**
     * Appends {@code elements} after the {@code length} elements there are.
     *
     * @param written receives the chunk that held elements before and was rewritten, if any, and
     *     the last chunk written: every chunk a cache may hold an older copy of
     */
    void append(VaultConnection c, ChunkSource source, long length, Elements elements, List<WrittenChunk> written)
            throws SQLException {
        long position = length;
        int done = 0;
        byte[] last = null;
        long lastSeq = -1;
        while (done < elements.count()) {
            long seq = layout.chunkOf(position);
            int kept = (int) (position - layout.start(seq));
            int take = Math.min(elements.count() - done, layout.capacity(seq) - kept);
            byte[] data = new byte[(kept + take) * size];
            if (kept > 0) {
                System.arraycopy(existing(source, seq, kept), 0, data, 0, kept * size);
            }
            System.arraycopy(elements.data(), elements.start(done), data, kept * size, take * size);
            rows.store(c, seq, data);
            position += take;
            done += take;
            if (kept > 0 && done < elements.count()) {
                written.add(new WrittenChunk(false, seq, data));
            }
            last = data;
            lastSeq = seq;
        }
        if (last != null) {
            written.add(new WrittenChunk(false, lastSeq, last));
        }
    }

    /** @return a copy of element {@code index}, read through {@code source} */
    byte[] read(ChunkSource source, long index) throws SQLException {
        long seq = layout.chunkOf(index);
        int offset = offsetInChunk(index, seq);
        byte[] chunk = source.chunk(false, seq);
        checkHolds(chunk, seq, offset + size);
        return Arrays.copyOfRange(chunk, offset, offset + size);
    }

    /** Replaces element {@code index} with {@code element}, rewriting its chunk. */
    void set(VaultConnection c, ChunkSource source, long index, byte[] element, List<WrittenChunk> written)
            throws SQLException {
        long seq = layout.chunkOf(index);
        int offset = offsetInChunk(index, seq);
        byte[] chunk = source.chunk(false, seq);
        checkHolds(chunk, seq, offset + size);
        byte[] data = chunk.clone();
        System.arraycopy(element, 0, data, offset, size);
        rows.store(c, seq, data);
        written.add(new WrittenChunk(false, seq, data));
    }

    /** Inserts {@code element} at {@code index}, shifting the {@code length - index} elements after it. */
    void insert(VaultConnection c, ChunkSource source, long length, long index, byte[] element) throws SQLException {
        byte[] carry = element;
        long seq = layout.chunkOf(index);
        int at = offsetInChunk(index, seq);
        long lastSeq = length == 0 ? -1 : layout.chunkOf(length - 1);
        while (true) {
            byte[] old = seq <= lastSeq ? source.chunk(false, seq) : new byte[0];
            int capacityBytes = layout.capacity(seq) * size;
            boolean full = old.length >= capacityBytes;
            int keep = full ? old.length - size : old.length;
            byte[] data = new byte[keep + size];
            System.arraycopy(old, 0, data, 0, at);
            System.arraycopy(carry, 0, data, at, size);
            System.arraycopy(old, at, data, at + size, keep - at);
            rows.store(c, seq, data);
            if (!full) {
                return;
            }
            carry = Arrays.copyOfRange(old, old.length - size, old.length);
            seq++;
            at = 0;
        }
    }

    /**
     * Removes element {@code index}, shifting the elements after it back by one.
     *
     * @return the removed element
     */
    byte[] remove(VaultConnection c, ChunkSource source, long length, long index) throws SQLException {
        long seq = layout.chunkOf(index);
        long lastSeq = layout.chunkOf(length - 1);
        int at = offsetInChunk(index, seq);
        byte[] chunk = source.chunk(false, seq);
        checkHolds(chunk, seq, at + size);
        byte[] removed = Arrays.copyOfRange(chunk, at, at + size);
        byte[] current = new byte[chunk.length - size];
        System.arraycopy(chunk, 0, current, 0, at);
        System.arraycopy(chunk, at + size, current, at, chunk.length - at - size);
        while (seq < lastSeq) {
            byte[] next = source.chunk(false, seq + 1);
            checkHolds(next, seq + 1, size);
            byte[] data = Arrays.copyOf(current, current.length + size);
            System.arraycopy(next, 0, data, current.length, size);
            rows.store(c, seq, data);
            current = Arrays.copyOfRange(next, size, next.length);
            seq++;
        }
        if (current.length == 0) {
            rows.deleteFrom(c, seq);
        } else {
            rows.store(c, seq, current);
        }
        return removed;
    }

    /** Deletes every chunk. */
    void clear(VaultConnection c) throws SQLException {
        rows.deleteFrom(c, 0);
    }

    private byte[] existing(ChunkSource source, long seq, int elements) throws SQLException {
        byte[] chunk = source.chunk(false, seq);
        checkHolds(chunk, seq, elements * size);
        return chunk;
    }

    private static void checkHolds(byte[] chunk, long seq, int bytes) {
        if (chunk.length < bytes) {
            throw new io.kohakuvault.KohakuVaultException("column chunk " + seq + " holds " + chunk.length
                    + " bytes where at least " + bytes + " were expected: the file is damaged");
        }
    }
}
