package io.kohakuvault.internal.column;

import io.kohakuvault.internal.db.VaultConnection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes of a variable-size column's elements: heap chunks whose capacities follow a
 * {@link ChunkLayout} in bytes. Elements are appended at the end of the last chunk while they
 * fit, never split: one that does not fit starts the next chunk, and one larger than a chunk's
 * capacity gets a chunk of its own, so any element is one chunk read away. Bytes of replaced or
 * removed elements stay where they are until the column is cleared or deleted.
 */
final class HeapChunks {
    private final ChunkRows rows;
    private final ChunkLayout layout;

    HeapChunks(ChunkRows rows, ChunkLayout layout) {
        this.rows = rows;
        this.layout = layout;
    }

    ChunkRows rows() {
        return rows;
    }

    /**
     * Appends each of {@code values} to the heap.
     *
     * @param written receives the heap chunk that held bytes before and was extended, if any, and
     *     the last heap chunk written: every chunk a cache may hold an older copy of
     * @return one index entry ({@link HeapRef}) per value, packed
     */
    Elements append(VaultConnection c, ChunkSource source, Elements values, List<WrittenChunk> written)
            throws SQLException {
        byte[] entries = new byte[values.count() * HeapRef.SIZE];
        ChunkRows.LastChunk last = rows.last(c);
        int seq = last == null ? -1 : (int) last.seq();
        int used = last == null ? 0 : (int) last.bytes();
        byte[] chunk = null; // the chunk being filled, once touched; its first `used` bytes count
        for (int i = 0; i < values.count(); i++) {
            int start = values.start(i);
            int length = values.end(i) - start;
            if (length == 0) {
                new HeapRef(0, 0, 0).write(entries, i * HeapRef.SIZE);
                continue;
            }
            if (seq < 0 || (long) used + length > Math.max(layout.capacity(seq), used)) {
                if (chunk != null) {
                    byte[] data = Arrays.copyOf(chunk, used);
                    rows.store(c, seq, data);
                    if (last != null && seq == last.seq()) {
                        written.add(new WrittenChunk(true, seq, data));
                    }
                }
                seq++;
                used = 0;
                chunk = new byte[Math.max(layout.capacity(seq), length)];
            } else if (chunk == null) {
                byte[] tail = source.chunk(true, seq);
                chunk = Arrays.copyOf(tail, Math.max(layout.capacity(seq), used));
            }
            System.arraycopy(values.data(), start, chunk, used, length);
            new HeapRef(seq, used, length).write(entries, i * HeapRef.SIZE);
            used += length;
        }
        if (chunk != null) {
            byte[] data = Arrays.copyOf(chunk, used);
            rows.store(c, seq, data);
            written.add(new WrittenChunk(true, seq, data));
        }
        return Elements.fixed(HeapRef.SIZE, entries);
    }

    /** Writes {@code value}, at most {@code ref.length()} bytes, over the element {@code ref} points at. */
    void overwrite(VaultConnection c, ChunkSource source, HeapRef ref, byte[] value, List<WrittenChunk> written)
            throws SQLException {
        if (value.length == 0) {
            return;
        }
        byte[] data = source.chunk(true, ref.seq()).clone();
        System.arraycopy(value, 0, data, ref.offset(), value.length);
        rows.store(c, ref.seq(), data);
        written.add(new WrittenChunk(true, ref.seq(), data));
    }

    /** @return the element {@code ref} points at, read through {@code source} */
    static byte[] read(ChunkSource source, HeapRef ref) throws SQLException {
        if (ref.length() == 0) {
            return new byte[0];
        }
        byte[] chunk = source.chunk(true, ref.seq());
        return Arrays.copyOfRange(chunk, ref.offset(), ref.offset() + ref.length());
    }

    /** Deletes every heap chunk. */
    void clear(VaultConnection c) throws SQLException {
        rows.deleteFrom(c, 0);
    }
}
