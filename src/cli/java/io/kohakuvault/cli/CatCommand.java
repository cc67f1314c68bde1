package io.kohakuvault.cli;

import io.kohakuvault.Column;
import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.ColumnBlocks;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cat FILE COLUMN [--from I] [--to J]}: elements, one a line. */
@Command(name = "cat", description = "Elements of COLUMN, one a line (hex for bytes; text with \\n and \\\\ escaped).")
final class CatCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Parameters(index = "1", paramLabel = "COLUMN", description = "the column")
    String column;

    @Option(names = "--from", paramLabel = "I", defaultValue = "0", description = "the first index (default: 0)")
    long from;

    @Option(
            names = "--to",
            paramLabel = "J",
            defaultValue = "-1",
            description = "one past the last index (default: the length)")
    long to;

    CatCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault()) {
            VaultFiles.requireColumn(vault, file, column);
            Column<?> c = vault.columns().column(column);
            long length = c.length();
            long end = to < 0 ? length : to;
            if (from < 0 || from > end || end > length) {
                throw CliException.usage(
                        "range [" + from + ", " + end + ") is outside column '" + column + "' of length " + length);
            }
            PrintStream out = io.text();
            int block = ColumnBlocks.blockLength(c);
            for (long i = from; i < end; i += block) {
                for (Object element : ColumnBlocks.read(c, i, Math.min(end, i + block))) {
                    out.append(Elements.text(element)).append('\n');
                }
            }
        }
        return 0;
    }
}
