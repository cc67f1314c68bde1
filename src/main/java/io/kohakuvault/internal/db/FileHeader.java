package io.kohakuvault.internal.db;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * Reads what an open needs to know from the first bytes of a SQLite file, before any connection
 * exists (https://www.sqlite.org/fileformat.html#the_database_header): whether it is a SQLite
 * file at all, and whether it is in WAL mode (its read and write versions, bytes 18 and 19, are
 * 2; a rollback journal's are 1).
 */
final class FileHeader {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int WRITE_VERSION = 18;
    private static final int READ_VERSION = 19;

    private FileHeader() {}

    /**
     * @param file a file that may exist
     * @return true when it is a SQLite file in WAL mode, false when in rollback-journal mode, null
     *     when it is missing, empty, unreadable or not a SQLite file (the connection will tell)
     */
    static @Nullable Boolean walMode(Path file) {
        ByteBuffer header = ByteBuffer.allocate(READ_VERSION + 1);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && channel.read(header) > 0) {
                // read on
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
        if (header.hasRemaining()) {
            return null;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (header.get(i) != MAGIC[i]) {
                return null;
            }
        }
        byte write = header.get(WRITE_VERSION);
        byte read = header.get(READ_VERSION);
        if (write == 2 && read == 2) {
            return true;
        }
        return (write == 1 && read == 1) ? false : null;
    }
}
