package io.kohakuvault.cli;

import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.EntrySizes;
import io.kohakuvault.internal.tools.VaultAccess;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ls FILE [--store S] [--prefix P]}: keys in key order, one a line, each with its value's size. */
@Command(
        name = "ls",
        description = "Keys in key order, one a line: the value's size in bytes, a tab, the key"
                + " (0x and hex when it is not printable text).")
final class LsCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Option(
            names = "--store",
            paramLabel = "S",
            defaultValue = "kvault",
            description = "the key-value store (default: ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = "", description = "only keys that start with P")
    String prefix;

    LsCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault()) {
            VaultFiles.requireStore(vault, file, store);
            PrintStream out = io.text();
            EntrySizes.each(
                    VaultAccess.database(vault),
                    store,
                    prefix.getBytes(StandardCharsets.UTF_8),
                    (key, size) -> out.append(Long.toString(size))
                            .append('\t')
                            .append(KeyText.show(key))
                            .append('\n'));
        }
        return 0;
    }
}
