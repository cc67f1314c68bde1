package io.kohakuvault.cli;

import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.VaultAccess;
import io.kohakuvault.internal.tools.VaultBackup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code backup FILE DEST}: a consistent copy while others read and write the vault (SQLite's
 * {@code VACUUM INTO}: one snapshot; see {@link VaultBackup}). DEST must not exist.
 */
@Command(
        name = "backup",
        description = "Writes a consistent copy of FILE to DEST (which must not exist),"
                + " while others read and write FILE.")
final class BackupCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Parameters(index = "1", paramLabel = "DEST", description = "the copy to write")
    Path dest;

    BackupCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        VaultFiles.requireFile(file);
        VaultFiles.requireNew(dest);
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault()) {
            VaultBackup.backup(VaultAccess.database(vault), dest);
        }
        io.text().printf("backed up %s to %s (%s)%n", file, dest, Sizes.human(Files.size(dest)));
        return 0;
    }
}
