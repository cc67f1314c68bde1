package io.kohakuvault.cli;

import io.kohakuvault.Column;
import io.kohakuvault.Vault;
import io.kohakuvault.internal.tools.ColumnBlocks;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.Callable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code plot FILE COLUMN -o OUT.png}: a line chart of a numeric column. A long column is drawn
 * from the minimum and maximum of each of at most {@value #BUCKETS} equal runs of elements, so
 * spikes stay visible and memory stays bounded.
 */
@Command(name = "plot", description = "Draws a numeric COLUMN (i64, i32, f64, f32) as a line chart into a PNG.")
final class PlotCommand implements Callable<Integer> {
    static final int BUCKETS = 2000;
    private static final Set<String> NUMERIC = Set.of("i64", "i32", "f64", "f32");

    private final Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "the vault file")
    Path file;

    @Parameters(index = "1", paramLabel = "COLUMN", description = "the numeric column")
    String column;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "OUT.png",
            required = true,
            description = "the PNG file to write")
    Path output;

    PlotCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        try (VaultFiles.ReadOnly opened = VaultFiles.openToRead(file);
                Vault vault = opened.vault()) {
            VaultFiles.requireColumn(vault, file, column);
            Column<?> c = vault.columns().column(column);
            if (!NUMERIC.contains(c.type().dtype())) {
                throw CliException.usage(
                        "column '" + column + "' holds " + c.type().dtype() + ", not numbers");
            }
            XYChart chart = chart(c);
            Path folder = output.toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder)) {
                throw CliException.notFound("no such folder: " + output.getParent());
            }
            Path temp = Files.createTempFile(folder, "." + output.getFileName(), ".part");
            try {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
                }
                Files.move(temp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        io.text().printf("plotted column '%s' to %s%n", column, output);
        return 0;
    }

    private static XYChart chart(Column<?> c) {
        long length = c.length();
        long perBucket = Math.max(1, (length + BUCKETS - 1) / BUCKETS);
        int points = (int) ((length + perBucket - 1) / perBucket) * (perBucket == 1 ? 1 : 2);
        double[] xs = new double[Math.max(points, 0)];
        double[] ys = new double[xs.length];
        int n = 0;
        for (long from = 0; from < length; from += perBucket) {
            long to = Math.min(length, from + perBucket);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            long minAt = from;
            long maxAt = from;
            long i = from;
            for (Object e : ColumnBlocks.read(c, from, to)) {
                double v = ((Number) e).doubleValue();
                if (v < min) {
                    min = v;
                    minAt = i;
                }
                if (v > max) {
                    max = v;
                    maxAt = i;
                }
                i++;
            }
            if (perBucket == 1) {
                xs[n] = from;
                ys[n++] = min;
            } else {
                boolean minFirst = minAt <= maxAt;
                xs[n] = minFirst ? minAt : maxAt;
                ys[n++] = minFirst ? min : max;
                xs[n] = minFirst ? maxAt : minAt;
                ys[n++] = minFirst ? max : min;
            }
        }
        XYChart chart = new XYChartBuilder()
                .width(1000)
                .height(500)
                .title(c.name())
                .xAxisTitle("index")
                .yAxisTitle(c.type().dtype())
                .build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(0);
        if (n == 0) {
            xs = new double[] {0};
            ys = new double[] {0};
        }
        XYSeries series = chart.addSeries(c.name(), xs, ys);
        series.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        return chart;
    }
}
