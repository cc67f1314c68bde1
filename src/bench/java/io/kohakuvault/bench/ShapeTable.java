package io.kohakuvault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The shapes benchmark's report: one line per row with the vault's rate, raw sqlite-jdbc's, the
 * best peer's (name and rate), vault / raw and vault / best peer (each the median over rounds of
 * the per-round ratio), and the heap peak beside each rate; then the chart of the two ratios.
 */
final class ShapeTable {
    /**
     * One row of the table.
     *
     * @param label the row's short name (also the chart's category)
     * @param shape what exactly it does, in words
     * @param unit what is counted, e.g. {@code "gets"}
     * @param vault the vault's case
     * @param raw raw sqlite-jdbc's case, the ceiling
     * @param peers the peers' cases that do the same work (may be empty)
     * @param self another case of the vault to compare with (e.g. single gets beside getAll), or null
     * @param selfLabel how the note names that comparison
     */
    record Row(
            String label,
            String shape,
            String unit,
            Case vault,
            Case raw,
            List<Case> peers,
            Case self,
            String selfLabel) {
        Row(String label, String shape, String unit, Case vault, Case raw, List<Case> peers) {
            this(label, shape, unit, vault, raw, peers, null, null);
        }
    }

    /** A row's numbers. */
    record Result(
            Row row, Stats vault, Stats raw, String peerName, Stats peer, double vsRaw, double vsPeer, String note) {}

    private final List<Result> results = new ArrayList<>();

    void add(Row row, Map<Case, List<Sample>> samples) {
        List<Sample> v = samples.get(row.vault());
        List<Sample> r = samples.get(row.raw());
        Case best = null;
        double bestRate = -1;
        for (Case p : row.peers()) {
            double rate = Stats.of(samples.get(p)).medianOpsPerSecond();
            if (rate > bestRate) {
                bestRate = rate;
                best = p;
            }
        }
        String note = "";
        if (row.self() != null) {
            note = fmt("%.2fx %s", Stats.pairedRatio(v, samples.get(row.self())), row.selfLabel());
        }
        results.add(new Result(
                row,
                Stats.of(v),
                Stats.of(r),
                best == null ? null : best.side(),
                best == null ? null : Stats.of(samples.get(best)),
                Stats.pairedRatio(v, r),
                best == null ? Double.NaN : Stats.pairedRatio(v, samples.get(best)),
                note));
    }

    List<Result> results() {
        return results;
    }

    String render() {
        String[] header = {
            "#", "row", "KohakuVault", "raw sqlite-jdbc", "best peer", "vault / raw", "vault / best peer", "note"
        };
        boolean[] right = {true, false, true, true, true, true, true, false};
        List<String[]> rows = new ArrayList<>();
        int i = 0;
        for (Result r : results) {
            i++;
            rows.add(new String[] {
                String.valueOf(i),
                r.row().label(),
                rate(r.vault(), r.row().unit()),
                rate(r.raw(), r.row().unit()),
                r.peer() == null
                        ? "-"
                        : r.peerName() + " " + rate(r.peer(), r.row().unit()),
                fmt("%.2f", r.vsRaw()),
                Double.isNaN(r.vsPeer()) ? "-" : fmt("%.2f", r.vsPeer()),
                r.note(),
            });
        }
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (String[] row : rows) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width, right);
        out.append('|');
        for (int c = 0; c < header.length; c++) {
            out.append(' ')
                    .append(right[c] ? "-".repeat(width[c] - 1) + ":" : "-".repeat(width[c]))
                    .append(" |");
        }
        out.append('\n');
        for (String[] row : rows) {
            line(out, row, width, right);
        }
        out.append("\nShapes:\n");
        i = 0;
        for (Result r : results) {
            out.append(++i)
                    .append(". ")
                    .append(r.row().label())
                    .append(": ")
                    .append(r.row().shape())
                    .append('\n');
        }
        return out.toString();
    }

    /** @return e.g. {@code "215,000 gets/s (51 MiB)"}: the median rate and the largest heap peak */
    private static String rate(Stats s, String unit) {
        double r = s.medianOpsPerSecond();
        String n = r >= 1e7 ? fmt("%.1fM", r / 1e6) : fmt("%,.0f", r);
        return fmt("%s %s/s (%.0f MiB)", n, unit, s.maxPeakHeapBytes() / (1024.0 * 1024.0));
    }

    private static void line(StringBuilder out, String[] cells, int[] width, boolean[] right) {
        out.append('|');
        for (int c = 0; c < cells.length; c++) {
            String pad = " ".repeat(width[c] - cells[c].length());
            out.append(' ').append(right[c] ? pad + cells[c] : cells[c] + pad).append(" |");
        }
        out.append('\n');
    }

    /** Writes the bar chart of vault / raw and vault / best peer per row, log scale, a line at 1.0. */
    void chart(Path png, String title) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<String> labels = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        List<Double> peer = new ArrayList<>();
        int i = 0;
        for (Result r : results) {
            labels.add(++i + ". " + r.row().label());
            raw.add(r.vsRaw());
            peer.add(Double.isNaN(r.vsPeer()) ? 0.0 : r.vsPeer());
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(1600)
                .height(900)
                .title(title)
                .yAxisTitle("ratio, log scale (black line: 1.0; above it the vault is faster)")
                .build();
        Styler.LegendPosition legend = Styler.LegendPosition.InsideNE;
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLabelRotation(50);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setYAxisDecimalPattern("0.###");
        double min = 1;
        double max = 1;
        for (List<Double> series : List.of(raw, peer)) {
            for (Double d : series) {
                if (d != null && d > 0) {
                    min = Math.min(min, d);
                    max = Math.max(max, d);
                }
            }
        }
        chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max))));
        chart.addSeries("vault / raw sqlite-jdbc", labels, raw);
        chart.addSeries("vault / best peer", labels, peer);
        chart.addAnnotation(new AnnotationLine(1.0, false, false));
        chart.getStyler().setAnnotationLineColor(java.awt.Color.BLACK);
        chart.getStyler().setAnnotationLineStroke(new java.awt.BasicStroke(2f));
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
