package io.kohakuvault.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Formats the results as one Markdown table (aligned, so it also reads in a terminal) and a line
 * per target saying whether it held.
 */
final class TablePrinter {
    private static final String[] HEADER = {
        "workload",
        "side",
        "ops/s (median)",
        "us/op",
        "spread",
        "vs raw",
        "vs raw WR",
        "heap peak MiB",
        "alloc B/op",
        "target",
    };
    /** Numeric columns are right-aligned. */
    private static final boolean[] RIGHT = {false, false, true, true, true, true, true, true, true, false};

    private final List<String[]> rows = new ArrayList<>();
    private final List<String> verdicts = new ArrayList<>();
    private int met;
    private int missed;

    /**
     * Adds a workload's rows. Ratios are paired: the median over rounds of the row's ops/s divided
     * by the baseline's ops/s of the same round.
     */
    void add(Workload workload, Map<Case, List<Sample>> samples) {
        List<Sample> base = samples.get(workload.baseline());
        List<Sample> wr = workload.baselineWithoutRowid() == null ? null : samples.get(workload.baselineWithoutRowid());
        boolean first = true;
        for (Case c : workload.cases()) {
            List<Sample> own = samples.get(c);
            if (own == null || own.isEmpty()) {
                continue;
            }
            Stats s = Stats.of(own);
            double ratio = Stats.pairedRatio(own, base);
            String ratioWr = wr == null ? "-" : fmt("%.2f", Stats.pairedRatio(own, wr));
            Workload.Target target = workload.targetOf(c);
            String verdict = "";
            if (target != null) {
                boolean ok = target.metBy(ratio);
                verdict = target.label() + (ok ? ": met" : ": MISSED");
                if (ok) {
                    met++;
                } else {
                    missed++;
                }
                verdicts.add(fmt(
                        "%-6s %s / %s: %.2f (target %s)",
                        ok ? "MET" : "MISSED", workload.title(), c.side(), ratio, target.label()));
            }
            rows.add(new String[] {
                first ? workload.title() : "",
                c.side(),
                fmt("%,.0f", s.medianOpsPerSecond()),
                fmt("%.2f", s.microsPerOp()),
                fmt("+-%.0f%%", s.spreadPercent() / 2),
                fmt("%.2f", ratio),
                ratioWr,
                fmt("%.1f", s.maxPeakHeapBytes() / (1024.0 * 1024.0)),
                fmt("%,.0f", s.medianAllocatedPerOp()),
                verdict,
            });
            first = false;
        }
    }

    String render() {
        int[] width = new int[HEADER.length];
        for (int i = 0; i < HEADER.length; i++) {
            width[i] = HEADER[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, HEADER, width);
        String[] rule = new String[HEADER.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = RIGHT[i] ? "-".repeat(width[i] - 1) + ":" : "-".repeat(width[i]);
        }
        out.append('|');
        for (String r : rule) {
            out.append(' ').append(r).append(" |");
        }
        out.append('\n');
        for (String[] row : rows) {
            line(out, row, width);
        }
        out.append('\n');
        for (String v : verdicts) {
            out.append(v).append('\n');
        }
        out.append(fmt("Targets: %d met, %d missed.%n", met, missed));
        return out.toString();
    }

    private static void line(StringBuilder out, String[] cells, int[] width) {
        out.append('|');
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            String pad = " ".repeat(width[i] - cell.length());
            out.append(' ').append(RIGHT[i] ? pad + cell : cell + pad).append(" |");
        }
        out.append('\n');
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
