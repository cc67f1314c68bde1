package io.kohakuvault.cli;

import io.kohakuvault.Column;
import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.ColumnBlocks;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code export FILE COLUMN... --csv OUT}: the columns side by side as RFC 4180 CSV, a header row
 * of their names, a row per index; a shorter column leaves its cells empty past its end.
 */
@Command(name = "export", description = "Writes COLUMNs side by side to OUT as CSV (header: the column names).")
final class ExportCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COLUMN", description = "the columns")
    List<String> columns;

    @Option(names = "--csv", paramLabel = "OUT", required = true, description = "the CSV file to write")
    Path csv;

    ExportCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault()) {
            List<Column<?>> open = new ArrayList<>();
            long rows = 0;
            for (String name : columns) {
                VaultFiles.requireColumn(vault, file, name);
                Column<?> c = vault.columns().column(name);
                open.add(c);
                rows = Math.max(rows, c.length());
            }
            Path folder = csv.toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw CliException.notFound("no such folder: " + csv.getParent());
            }
            Path temp = Files.createTempFile(folder, "." + csv.getFileName(), ".part");
            try {
                try (Writer writer = Files.newBufferedWriter(temp, StandardCharsets.UTF_8);
                        CSVPrinter printer = new CSVPrinter(
                                writer,
                                CSVFormat.RFC4180
                                        .builder()
                                        .setHeader(columns.toArray(String[]::new))
                                        .get());
                        Progress progress = Progress.start(io, "export", -1)) {
                    write(open, rows, printer, progress);
                }
                Files.move(temp, csv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return 0;
    }

    private static void write(List<Column<?>> open, long rows, CSVPrinter printer, Progress progress)
            throws IOException {
        int block = open.stream().mapToInt(ColumnBlocks::blockLength).min().orElse(1);
        List<String> row = new ArrayList<>(open.size());
        for (long from = 0; from < rows; from += block) {
            long to = Math.min(rows, from + block);
            List<List<?>> blocks = new ArrayList<>();
            for (Column<?> c : open) {
                long end = Math.min(to, c.length());
                blocks.add(from < end ? ColumnBlocks.read(c, from, end) : List.of());
            }
            for (int i = 0; i < to - from; i++) {
                row.clear();
                for (List<?> b : blocks) {
                    row.add(i < b.size() ? Elements.cell(b.get(i)) : "");
                }
                printer.printRecord(row);
            }
            progress.step(to - from);
        }
    }
}
