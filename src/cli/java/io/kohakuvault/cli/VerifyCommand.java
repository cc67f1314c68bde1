package io.kohakuvault.cli;

import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.VaultAccess;
import io.kohakuvault.internal.tools.VaultVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code verify FILE}: reads every value, blob chunk and column chunk, checks each checksum, and
 * names every damaged one on standard output; exit 1 when anything is damaged.
 */
@Command(
        name = "verify",
        description = "Reads every value, chunk and column chunk and checks its checksum;"
                + " names each damaged key or column chunk; exit 1 on damage.")
final class VerifyCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    VerifyCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = io.text();
        VaultVerifier.Summary summary;
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault();
                Progress progress = Progress.start(io, "verify", Files.size(file))) {
            summary = VaultVerifier.verify(VaultAccess.database(vault), new VaultVerifier.Listener() {
                @Override
                public void damaged(String where, String what) {
                    out.println("damaged: " + where + ": " + what);
                }

                @Override
                public void read(long bytes) {
                    progress.step(bytes);
                }
            });
        }
        out.printf(
                "checked %,d rows, %s%s%n",
                summary.rows(),
                Sizes.human(summary.bytes()),
                summary.unchecked() == 0
                        ? ""
                        : " (" + summary.unchecked() + " rows written before checksums were read unchecked)");
        if (summary.damaged() > 0) {
            throw CliException.notFound(file + " is damaged in " + summary.damaged() + " place"
                    + (summary.damaged() == 1 ? "" : "s") + " (listed on standard output)");
        }
        out.println("ok");
        return 0;
    }
}
