package io.kohakuvault.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Formats the column benchmark's results as one Markdown table (aligned, so it also reads in a
 * terminal) and a line per target. It differs from the key-value {@link TablePrinter} where
 * columns need it: each workload names its operation (a long, a get, a slice, an element) and may
 * give a data rate, there is no {@code WITHOUT ROWID} baseline, and a target is either a ratio to
 * the workload's baseline ({@link Workload.Target}) or a plain speed ({@link Speed}).
 *
 * <p>Part of the column benchmark: {@code ./mvnw -q -Pbench verify -Dbench.only=columns} (see
 * {@link ColumnBenchmark}).
 */
final class ColumnTable {
    /** Numeric columns are right-aligned. */
    private static final boolean[] RIGHT = {false, false, false, true, true, true, true, true, true, true, false};

    /**
     * A goal on a case's own speed.
     *
     * @param subject the vault's case
     * @param minOpsPerSecond the slowest acceptable median
     * @param label how the table states it
     */
    record Speed(Case subject, double minOpsPerSecond, String label) {}

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> verdicts = new ArrayList<>();
    private int met;
    private int missed;

    /** @param ratioHeader the ratio column's heading, e.g. {@code "vs raw"} */
    ColumnTable(String ratioHeader) {
        header = new String[] {
            "workload",
            "side",
            "op",
            "ops/s (median)",
            "MB/s",
            "us/op",
            "spread",
            ratioHeader,
            "heap peak MiB",
            "alloc B/op",
            "target",
        };
    }

    /**
     * Adds a workload's rows. Ratios are paired: the median over rounds of the row's ops/s divided
     * by the baseline's ops/s of the same round.
     *
     * @param op what one operation is, e.g. {@code "long"}
     * @param bytesPerOp bytes of data one operation moves, for the MB/s column; 0 leaves it out
     * @param speeds the workload's goals on plain speed
     */
    void add(Workload workload, Map<Case, List<Sample>> samples, String op, double bytesPerOp, List<Speed> speeds) {
        List<Sample> base = samples.get(workload.baseline());
        boolean first = true;
        for (Case c : workload.cases()) {
            List<Sample> own = samples.get(c);
            if (own == null || own.isEmpty()) {
                continue;
            }
            Stats s = Stats.of(own);
            double ratio = Stats.pairedRatio(own, base);
            List<String> verdict = new ArrayList<>();
            Workload.Target target = workload.targetOf(c);
            if (target != null) {
                verdict.add(judge(workload, c, target.metBy(ratio), fmt("%.2f", ratio), target.label()));
            }
            for (Speed speed : speeds) {
                if (speed.subject() == c) {
                    boolean ok = s.medianOpsPerSecond() >= speed.minOpsPerSecond();
                    verdict.add(judge(workload, c, ok, fmt("%,.0f %s/s", s.medianOpsPerSecond(), op), speed.label()));
                }
            }
            rows.add(new String[] {
                first ? workload.title() : "",
                c.side(),
                op,
                fmt("%,.0f", s.medianOpsPerSecond()),
                bytesPerOp > 0 ? fmt("%,.0f", s.medianOpsPerSecond() * bytesPerOp / 1e6) : "-",
                fmt("%.3f", s.microsPerOp()),
                fmt("+-%.0f%%", s.spreadPercent() / 2),
                fmt("%.2f", ratio),
                fmt("%.1f", s.maxPeakHeapBytes() / (1024.0 * 1024.0)),
                fmt("%,.0f", s.medianAllocatedPerOp()),
                String.join("; ", verdict),
            });
            first = false;
        }
    }

    private String judge(Workload workload, Case c, boolean ok, String value, String label) {
        if (ok) {
            met++;
        } else {
            missed++;
        }
        verdicts.add(
                fmt("%-6s %s / %s: %s (target %s)", ok ? "MET" : "MISSED", workload.title(), c.side(), value, label));
        return label + (ok ? ": met" : ": MISSED");
    }

    String render() {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        out.append('|');
        for (int i = 0; i < header.length; i++) {
            out.append(' ')
                    .append(RIGHT[i] ? "-".repeat(width[i] - 1) + ":" : "-".repeat(width[i]))
                    .append(" |");
        }
        out.append('\n');
        for (String[] row : rows) {
            line(out, row, width);
        }
        if (met + missed > 0) {
            out.append('\n');
            for (String v : verdicts) {
                out.append(v).append('\n');
            }
            out.append(fmt("Targets: %d met, %d missed.%n", met, missed));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            out.append(' ').append(RIGHT[i] ? pad + cells[i] : cells[i] + pad).append(" |");
        }
        out.append('\n');
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
