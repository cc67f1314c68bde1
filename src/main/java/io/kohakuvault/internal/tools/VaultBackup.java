package io.kohakuvault.internal.tools;

import io.kohakuvault.VaultIoException;
import io.kohakuvault.internal.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;

/**
 * A consistent copy of a vault file while others read and write it, by SQLite's
 * {@code VACUUM INTO}: it copies the database as one read transaction sees it, so it is a
 * snapshot of one moment, and in WAL mode it neither waits for writers nor makes them wait. (The
 * online backup API, the alternative, restarts whenever another connection writes between its
 * steps, so under a steady writer it may never finish unless it copies everything in one step,
 * which is then what {@code VACUUM INTO} does, with free pages dropped.) The copy goes to a
 * temporary file beside the destination and is moved into place when complete, so an interrupted
 * backup never leaves half a file under the destination's name.
 */
public final class VaultBackup {
    /** SQLite's statement; jOOQ does not model it. The file name is bound, never spliced in. */
    private static final String VACUUM_INTO = "VACUUM INTO ?";

    private VaultBackup() {}

    /**
     * Writes a consistent copy of the vault to {@code dest}, which must not exist.
     *
     * @param db the vault's database (read-only is enough)
     * @param dest the new file
     * @throws VaultIoException when {@code dest} exists or cannot be written
     */
    public static void backup(Database db, Path dest) {
        if (Files.exists(dest)) {
            throw new VaultIoException("backup of vault " + db.options().location() + ": " + dest + " already exists");
        }
        // An absolute path that does not exist (checked above) is not a root: it has a parent.
        Path folder = Objects.requireNonNull(dest.toAbsolutePath().getParent());
        Path temp = folder.resolve("." + dest.getFileName() + ".part");
        try {
            Files.deleteIfExists(temp);
            db.read(
                    c -> {
                        var s = c.jdbc().prepareStatement(VACUUM_INTO);
                        try (s) {
                            s.setString(1, temp.toString());
                            s.execute();
                        }
                        return null;
                    },
                    () -> "back up vault " + db.options().location() + " to " + dest);
            Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VaultIoException(
                    "backup of vault " + db.options().location() + " to " + dest + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the failure that got here is the one to report
            }
        }
    }
}
