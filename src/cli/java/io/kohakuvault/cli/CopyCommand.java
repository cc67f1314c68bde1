package io.kohakuvault.cli;

import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.VaultCopier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code copy SOURCE TARGET}: every store and column of SOURCE into TARGET, through
 * {@link Vault#copyTo(Vault)}'s engine. TARGET is a vault file, created when missing; it must not
 * already hold a store or column of the same name.
 */
@Command(
        name = "copy",
        description = "Copies every store and column of SOURCE into TARGET (a vault file,"
                + " created when missing, holding none of their names).")
final class CopyCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "the vault file to copy")
    Path source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "the vault file to copy into")
    String target;

    CopyCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (target.startsWith("jdbc:")) {
            throw CliException.usage("copy to "
                    + target.substring(0, target.indexOf(':', 5) < 0 ? target.length() : target.indexOf(':', 5))
                    + " databases is not supported yet: TARGET must be a vault file");
        }
        Path to = Path.of(target);
        VaultFiles.requireFile(source);
        long copied;
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(source);
                Vault from = opened.vault()) {
            boolean created = !Files.exists(to);
            try (Vault into = VaultFiles.openOrCreate(to);
                    Progress progress = Progress.start(io, "copy", -1)) {
                copied = VaultCopier.copy(from, into, progress::step);
            } catch (RuntimeException e) {
                if (created) {
                    deleteQuietly(to);
                }
                throw e;
            }
        }
        io.text().printf("copied %s from %s to %s%n", Sizes.human(copied), source, to);
        return 0;
    }

    private static void deleteQuietly(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (java.io.IOException ignored) {
                // the failure that got here is the one to report
            }
        }
    }
}
