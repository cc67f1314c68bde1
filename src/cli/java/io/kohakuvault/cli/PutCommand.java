package io.kohakuvault.cli;

import io.kohakuvault.KVault;
import io.kohakuvault.Vault;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code put FILE KEY IN}: the file IN (or standard input for {@code -}) as the value of KEY, streamed. */
@Command(
        name = "put",
        description = "Stores the file IN (or standard input for -) as the value of KEY; streams,"
                + " whatever its size. Creates FILE when it does not exist.")
final class PutCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Parameters(index = "1", paramLabel = "KEY", description = "the key")
    String key;

    @Parameters(index = "2", paramLabel = "IN", description = "the file to store, or - for standard input")
    String input;

    @Option(
            names = "--store",
            paramLabel = "S",
            defaultValue = "kvault",
            description = "the key-value store (default: ${DEFAULT-VALUE})")
    String store;

    PutCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        Path in = input.equals("-") ? null : Path.of(input);
        if (in != null) {
            VaultFiles.requireFile(in);
        }
        try (Vault vault = VaultFiles.openOrCreate(file)) {
            KVault kv = vault.kv(store);
            if (in == null) {
                try (Progress progress = Progress.start(io, "put", -1)) {
                    kv.putFile(key, new Counting(io.in(), progress));
                }
            } else {
                long size = Files.size(in);
                try (Progress progress = Progress.start(io, "put", size);
                        InputStream stream = new Counting(Files.newInputStream(in), progress)) {
                    kv.putFile(key, stream, size);
                }
            }
        }
        return 0;
    }

    /** Tells the progress bar of every byte read. */
    private static final class Counting extends FilterInputStream {
        private final Progress progress;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                progress.step(n);
            }
            return n;
        }
    }
}
