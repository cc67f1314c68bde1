package io.kohakuvault.internal.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Read-only channels on the files SQLite locks (the {@code -shm} file, the database file), one per
 * file in this process, shared by every vault on it and closed when the last one lets go.
 *
 * <p>Why not open and close a channel as needed: on Linux and other POSIX systems, closing any
 * descriptor of a file drops every lock this process holds on that file, SQLite's included
 * (https://www.sqlite.org/howtocorrupt.html, section 2.2). Closing a channel on the {@code -shm}
 * file right after mapping it dropped SQLite's lock that tells other processes the WAL-index is in
 * use; the next process to open the file then took itself for the first, truncated the
 * {@code -shm} file and rebuilt it under this process's connections (seen as a SIGBUS inside
 * SQLite). So a channel stays open while any vault of this process uses the file, and closes
 * only after the last one has closed its own connections.
 */
final class SharedChannels {
    private record Open(FileChannel channel, int users) {}

    private static final Map<Path, Open> OPEN = new HashMap<>();

    private SharedChannels() {}

    /**
     * Opens the channel on {@code file}, or shares the one already open.
     *
     * @param file an existing file
     * @return the key to {@link #release} it with, and the channel
     * @throws IOException when the file cannot be opened
     */
    static synchronized Map.Entry<Path, FileChannel> acquire(Path file) throws IOException {
        Path key = file.toRealPath();
        Open open = OPEN.get(key);
        if (open == null) {
            open = new Open(FileChannel.open(key, StandardOpenOption.READ), 0);
        }
        OPEN.put(key, new Open(open.channel(), open.users() + 1));
        return Map.entry(key, open.channel());
    }

    /**
     * Lets go of a channel from {@link #acquire}; the last user closes it. Call only once this
     * user's SQLite connections to the file are closed.
     *
     * @param key what {@link #acquire} returned
     */
    static synchronized void release(Path key) {
        Open open = OPEN.get(key);
        if (open == null) {
            return;
        }
        if (open.users() > 1) {
            OPEN.put(key, new Open(open.channel(), open.users() - 1));
            return;
        }
        OPEN.remove(key);
        try {
            open.channel().close();
        } catch (IOException e) {
            // nothing was written through it; the descriptor is gone either way
        }
    }
}
