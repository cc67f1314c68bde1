package io.kohakuvault.internal.db;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Notices commits to the vault file by any connection, in this process or another, without
 * running a statement: it reads the few bytes SQLite itself changes on every commit, through a
 * read-only memory map. A cache of file contents asks {@link #version()} before trusting itself,
 * for the price of a few memory reads.
 *
 * <ul>
 *   <li>In WAL mode it watches the WAL-index header, the first 48 bytes of the {@code -shm} file
 *       (see https://www.sqlite.org/walformat.html): every commit rewrites it (the frame count
 *       and the checksum change; a WAL reset changes the salts). A reader sees a commit only once
 *       this header says so, so a check after the header changed cannot miss it.</li>
 *   <li>With a rollback journal it watches the file change counter at offset 24 of the database
 *       header, which every write transaction increments.</li>
 *   <li>An in-memory vault has no other connection: its version never changes.</li>
 *   <li>If the bytes cannot be mapped, every call reports a change: caches then check the file
 *       on every use, slower but never stale.</li>
 * </ul>
 *
 * <p>SQLite truncates the {@code -shm} file only when it opens it with no other connection
 * attached, which cannot happen while this vault's own connection is open, as long as this
 * process keeps SQLite's locks on it: the channel the map comes from is therefore never closed
 * while the vault is open ({@link SharedChannels}).
 */
public final class CommitWatch {
    /** Bytes of the WAL-index header's first copy. */
    private static final int WAL_INDEX_HEADER_BYTES = 48;
    /**
     * Offsets of the 8-byte words of the WAL-index header compared: {@code mxFrame} and
     * {@code nPage} (the log's length, which every commit grows) and the header's checksum, which
     * covers every field before it, the salts a log reset changes included.
     */
    private static final int[] WATCHED_WORDS = {16, 40};
    /** Offset of {@code mxFrame} in the WAL-index header: the frames in the WAL, a 32-bit unsigned number. */
    private static final int MX_FRAME_OFFSET = 16;
    /** Offset and size of the database header's file change counter. */
    private static final int CHANGE_COUNTER_OFFSET = 24;

    private final @Nullable MappedByteBuffer bytes;
    private final int length;
    private final AtomicLong unwatched = new AtomicLong();
    private volatile Seen seen;
    /** The shared channel the map came from, until {@link #close()}; see {@link SharedChannels}. */
    private volatile @Nullable Path channelKey;

    /** The watched bytes as last read, and the version they were given. */
    @SuppressWarnings("ArrayRecordComponent") // compared word by word with Arrays.equals where needed
    private record Seen(long[] words, long version) {}

    private CommitWatch(@Nullable MappedByteBuffer bytes, int length, @Nullable Path channelKey) {
        this.bytes = bytes;
        this.length = length;
        this.channelKey = channelKey;
        this.seen = new Seen(read(), 0);
    }

    /**
     * @param file the vault file, or null for an in-memory vault
     * @param wal whether the file is in WAL mode
     * @return a watch over the file; call once it is open in its journal mode
     */
    static CommitWatch open(@Nullable Path file, boolean wal) {
        if (file == null) {
            return new CommitWatch(null, 0, null);
        }
        if (wal) {
            return mapped(Path.of(file + "-shm"), 0, WAL_INDEX_HEADER_BYTES);
        }
        return mapped(file, CHANGE_COUNTER_OFFSET, Integer.BYTES);
    }

    private static CommitWatch mapped(Path file, int offset, int length) {
        try {
            if (Files.size(file) >= offset + length) {
                // The channel stays open until close(): closing it would drop SQLite's locks (SharedChannels).
                Map.Entry<Path, FileChannel> shared = SharedChannels.acquire(file);
                try {
                    MappedByteBuffer bytes = shared.getValue().map(FileChannel.MapMode.READ_ONLY, offset, length);
                    return new CommitWatch(bytes, length, shared.getKey());
                } catch (IOException | UnsupportedOperationException e) {
                    SharedChannels.release(shared.getKey());
                    throw e;
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            // fall through: unwatched
        }
        return unwatched();
    }

    /**
     * @return a watch that reports a change on every call: for a database whose commits cannot be
     *     watched in memory (a server), so that caches check the database on every use
     */
    public static CommitWatch unwatched() {
        return new CommitWatch(null, -1, null);
    }

    /** @return whether the watch sees commits in memory; false when every call reports a change */
    public boolean watched() {
        return length >= 0;
    }

    /**
     * Lets go of the watched file. Call after every SQLite connection of this vault is closed:
     * the last vault of this process on the file closes its channel, which drops this process's
     * locks on it.
     */
    void close() {
        Path key = channelKey;
        if (key != null) {
            channelKey = null;
            SharedChannels.release(key);
        }
    }

    /**
     * @return a number that changes whenever any connection has committed to the file since the
     *     last call saw it; equal numbers mean no commit in between
     */
    public long version() {
        if (bytes == null) {
            return length < 0 ? unwatched.incrementAndGet() : 0;
        }
        Seen last = seen;
        long[] words = last.words();
        for (int i = 0; i < words.length; i++) {
            if (word(i) != words[i]) {
                return changed();
            }
        }
        return last.version();
    }

    private synchronized long changed() {
        long[] now = read();
        if (!Arrays.equals(now, seen.words())) {
            seen = new Seen(now, seen.version() + 1);
        }
        return seen.version();
    }

    private long word(int i) {
        MappedByteBuffer mapped = bytes;
        if (mapped == null) {
            return 0;
        }
        return length == Integer.BYTES ? mapped.getInt(0) : mapped.getLong(WATCHED_WORDS[i]);
    }

    /**
     * @return how many frames the WAL holds now ({@code mxFrame} of the WAL-index header, which
     *     drops to 0 when the WAL restarts); 0 when the file is not watched in WAL mode
     */
    public long walFrames() {
        MappedByteBuffer mapped = bytes;
        if (mapped == null || length != WAL_INDEX_HEADER_BYTES) {
            return 0;
        }
        int raw = mapped.getInt(MX_FRAME_OFFSET); // the WAL-index is in the machine's byte order
        return Integer.toUnsignedLong(
                ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? raw : Integer.reverseBytes(raw));
    }

    private long[] read() {
        long[] words = new long[bytes == null ? 0 : length == Integer.BYTES ? 1 : WATCHED_WORDS.length];
        for (int i = 0; i < words.length; i++) {
            words[i] = word(i);
        }
        return words;
    }
}
