package io.kohakuvault.internal.kv;

import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.db.Database;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Streams one value: from memory when it was inline, else one chunk row at a time, each chunk in
 * its own short read (no connection is held between reads). Blobs are never changed and their
 * ids never reused, so the stream either returns exactly the value it opened or fails with
 * {@link VaultIoException} once the value was replaced or deleted, or the vault closed.
 */
final class ValueInputStream extends InputStream {
    private final Database database;
    private final @Nullable ChunkedValues chunks;
    private final int storeId;
    private final int blobId;
    private final int chunkCount;
    /** The blob's recorded size: the chunks must add up to it. */
    private final long size;

    private final Supplier<String> what;
    private byte @Nullable [] current;
    private int position;
    private int nextSeq;
    /** Bytes of the chunks read so far. */
    private long chunkBytes;

    private boolean closed;

    private ValueInputStream(
            Database database,
            @Nullable ChunkedValues chunks,
            byte @Nullable [] inline,
            int storeId,
            int blobId,
            ChunkedValues.BlobInfo blob,
            Supplier<String> what) {
        this.database = database;
        this.chunks = chunks;
        this.current = inline;
        this.storeId = storeId;
        this.blobId = blobId;
        this.chunkCount = blob.chunkCount();
        this.size = blob.size();
        this.what = what;
    }

    /** @return a stream over a value already in memory (it is not copied) */
    static ValueInputStream ofBytes(Database database, byte[] value, Supplier<String> what) {
        return new ValueInputStream(database, null, value, 0, 0, new ChunkedValues.BlobInfo(0, 0), what);
    }

    /** @return a stream over the chunks of a blob of store {@code storeId}, read one chunk at a time */
    static ValueInputStream ofBlob(
            Database database,
            ChunkedValues chunks,
            int storeId,
            int blobId,
            ChunkedValues.BlobInfo blob,
            Supplier<String> what) {
        return new ValueInputStream(database, chunks, null, storeId, blobId, blob, what);
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new VaultIoException(what.get() + ": the stream is closed");
        }
        database.ensureOpen();
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        byte[] chunk = Objects.requireNonNull(current);
        int n = Math.min(len, chunk.length - position);
        System.arraycopy(chunk, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length - position;
    }

    @Override
    public void close() {
        closed = true;
        current = null;
    }

    /** @return false at the end of the value; otherwise {@code current} has unread bytes */
    private boolean fill() {
        while (current == null || position == current.length) {
            if (nextSeq >= chunkCount) {
                if (chunks != null && chunkBytes != size) {
                    throw new VaultIoException(what.get() + ": the stored value is damaged: its chunks hold "
                            + chunkBytes + " of its " + size + " bytes");
                }
                return false;
            }
            byte[] chunk = Objects.requireNonNull(chunks).readChunk(storeId, blobId, nextSeq, what);
            if (chunk == null) {
                throw new VaultIoException(what.get() + ": the value was replaced or deleted while it was being read");
            }
            nextSeq++;
            chunkBytes += chunk.length;
            current = chunk;
            position = 0;
        }
        return true;
    }
}
