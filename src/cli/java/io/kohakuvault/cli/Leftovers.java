package io.kohakuvault.cli;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Lets SQLite remove the {@code -wal} and {@code -shm} files a read-only open left behind. */
final class Leftovers {
    private Leftovers() {}

    /**
     * Opens a connection, reads the file's header, and closes it: the last connection to close a
     * WAL database checkpoints it and deletes both files. SQLite decides under its own locks whether
     * it is the last, so files another process is using stay. Failures are ignored: this is tidying.
     *
     * @param file the vault file
     */
    static void tidy(Path file) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version");
        } catch (SQLException ignored) {
            // the -wal and -shm files stay; they harm nothing
        }
    }
}
