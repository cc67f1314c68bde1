package io.kohakuvault.bench;

import java.util.List;

/**
 * One row group of the table: the cases that do the same work, the raw baseline they are divided
 * by, the optional {@code WITHOUT ROWID} baseline, and the targets the vault's cases must meet.
 *
 * @param title the group's name in the table
 * @param cases every side, in the table's order
 * @param baseline the natural-schema raw sqlite-jdbc case: ratios are relative to it
 * @param baselineWithoutRowid the {@code WITHOUT ROWID} raw case, or null when there is none
 * @param targets the vault's cases and their goals
 */
record Workload(String title, List<Case> cases, Case baseline, Case baselineWithoutRowid, List<Target> targets) {

    /**
     * A goal for one case: its speed divided by the baseline's at least {@code minRatio}.
     *
     * @param subject the vault's case
     * @param minRatio the smallest acceptable ops/s ratio vault / raw
     * @param label how the table states it
     */
    record Target(Case subject, double minRatio, String label) {
        boolean metBy(double ratio) {
            return ratio >= minRatio;
        }
    }

    Target targetOf(Case c) {
        for (Target t : targets) {
            if (t.subject() == c) {
                return t;
            }
        }
        return null;
    }
}
