package io.kohakuvault.cli;

import io.kohakuvault.KVault;
import io.kohakuvault.Vault;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get FILE KEY [-o OUT]}: the value, streamed to OUT or standard output. */
@Command(
        name = "get",
        description = "Writes the value of KEY to OUT, or to standard output; streams, whatever its size.")
final class GetCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Parameters(index = "1", paramLabel = "KEY", description = "the key")
    String key;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "OUT",
            description = "the file to write (replaced only when KEY exists)")
    Path output;

    @Option(
            names = "--store",
            paramLabel = "S",
            defaultValue = "kvault",
            description = "the key-value store (default: ${DEFAULT-VALUE})")
    String store;

    GetCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault()) {
            VaultFiles.requireStore(vault, file, store);
            KVault kv = vault.kv(store);
            if (!kv.exists(key)) {
                throw CliException.notFound("key '" + key + "' does not exist in store '" + store + "' of " + file);
            }
            try (Progress progress = Progress.start(io, "get", -1)) {
                if (output == null) {
                    io.text().flush();
                    kv.getToFile(key, new Counting(io.out(), progress));
                } else {
                    writeFile(kv, progress);
                }
            }
        }
        return 0;
    }

    /** To a temporary file beside OUT, moved into place once whole. */
    private void writeFile(KVault kv, Progress progress) throws IOException {
        Path folder = output.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw CliException.notFound("no such folder: " + output.getParent());
        }
        Path temp = Files.createTempFile(folder, "." + output.getFileName(), ".part");
        try {
            try (OutputStream out = new Counting(Files.newOutputStream(temp), progress)) {
                kv.getToFile(key, out);
            }
            Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Tells the progress bar of every byte written. */
    private static final class Counting extends FilterOutputStream {
        private final Progress progress;

        Counting(OutputStream out, Progress progress) {
            super(out);
            this.progress = progress;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            progress.step(len);
        }
    }
}
