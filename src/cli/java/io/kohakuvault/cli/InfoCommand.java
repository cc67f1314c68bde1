package io.kohakuvault.cli;

import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.ColumnStats;
import io.kohakuvault.internal.tools.StoreCatalog;
import io.kohakuvault.internal.tools.VaultAccess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code info FILE}: schema version, size, stores with key counts and bytes, columns with type and length. */
@Command(name = "info", description = "Schema version, size, stores (keys, bytes) and columns (type, length).")
final class InfoCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    InfoCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault()) {
            var db = VaultAccess.database(vault);
            List<StoreCatalog.StoreStats> stores = StoreCatalog.stats(db);
            List<ColumnStats.Stats> columns = ColumnStats.all(db);
            PrintStream out = io.text();
            long size = Files.size(file);
            out.printf("file     %s%n", file);
            out.printf("schema   version %d%n", StoreCatalog.schemaVersion(db));
            out.printf("size     %s (%d bytes)%n", Sizes.human(size), size);
            out.printf("stores   %d%n", stores.size());
            int width = Math.max(
                    8, stores.stream().mapToInt(s -> s.name().length()).max().orElse(0));
            for (StoreCatalog.StoreStats s : stores) {
                out.printf(
                        "  %-" + width + "s  %,12d key%s  %12s%n",
                        s.name(),
                        s.keys(),
                        s.keys() == 1 ? " " : "s",
                        Sizes.human(s.bytes()));
            }
            out.printf("columns  %d%n", columns.size());
            int cwidth = Math.max(
                    8, columns.stream().mapToInt(c -> c.name().length()).max().orElse(0));
            for (ColumnStats.Stats c : columns) {
                out.printf(
                        "  %-" + cwidth + "s  %-10s %,12d elements  %12s%n",
                        c.name(),
                        c.dtype(),
                        c.length(),
                        Sizes.human(c.bytes()));
            }
        }
        return 0;
    }
}
