package org.jointregistry.aggregate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Small-cell suppression, after counting (contract §4).
 * <p>
 * Primary: a row whose distinct-volunteer count is 1 to k-1 loses its counts.
 * A row of 0 volunteers (incidents with no volunteer linked) singles out
 * nobody and stays.
 * <p>
 * Complementary: in a breakdown where exactly one row is suppressed, the next
 * smallest row is suppressed too, so that the exact total minus the other rows
 * cannot reveal it. "Next smallest" is the unsuppressed row with the fewest
 * volunteers, then fewest incidents, then first in row order, among rows that
 * involve volunteers; a row without volunteers is taken only when no such row
 * is left, because its counts are published unsuppressed in every other
 * breakdown and so protect little. Empty rows (zero-filled buckets) are never
 * taken.
 * <p>
 * With several dimensions, a breakdown is every slice of the table along one
 * dimension (the rows that share the values of all the other dimensions, whose
 * total the one-dimension breakdown of those dimensions publishes) as well as
 * the whole table against its total; the rule is applied to all of them until
 * nothing changes. With one dimension that is the table itself. The choice
 * is greedy (each breakdown in turn takes its next smallest row), so it may
 * withhold more than the fewest cells possible, never fewer than needed.
 */
public final class Suppression {

    private Suppression() {
    }

    public static List<CountRow> apply(List<CountRow> rows, int k) {
        List<CountRow> out = new ArrayList<>(rows);
        for (int i = 0; i < out.size(); i++) {
            Long volunteers = out.get(i).volunteers();
            if (volunteers != null && volunteers >= 1 && volunteers < k) {
                out.set(i, out.get(i).suppress());
            }
        }
        int dimensions = rows.isEmpty() ? 0 : rows.get(0).key().size();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int d = 0; d < dimensions && dimensions > 1; d++) {
                for (List<Integer> slice : slices(out, d)) {
                    changed |= complement(out, slice);
                }
            }
            // Only a cell alone in all its slices can still be the table's single suppressed cell.
            changed = changed || complement(out, indices(out.size()));
        }
        return out;
    }

    /** Suppresses the next smallest row of a breakdown that has exactly one suppressed row. */
    private static boolean complement(List<CountRow> rows, List<Integer> breakdown) {
        if (breakdown.stream().filter(i -> rows.get(i).suppressed()).count() != 1) {
            return false;
        }
        Optional<Integer> next = breakdown.stream()
                .filter(i -> !rows.get(i).suppressed() && rows.get(i).incidents() > 0)
                .min(Comparator.<Integer>comparingInt(i -> rows.get(i).volunteers() == 0 ? 1 : 0)
                        .thenComparingLong(i -> rows.get(i).volunteers())
                        .thenComparingLong(i -> rows.get(i).incidents())
                        .thenComparingInt(i -> i));
        next.ifPresent(i -> rows.set(i, rows.get(i).suppress()));
        return next.isPresent();
    }

    /** Row indices grouped by every key value except the one of dimension {@code d}. */
    private static List<List<Integer>> slices(List<CountRow> rows, int d) {
        Map<List<String>, List<Integer>> slices = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            List<String> rest = new ArrayList<>(rows.get(i).key());
            rest.remove(d);
            slices.computeIfAbsent(rest, r -> new ArrayList<>()).add(i);
        }
        return List.copyOf(slices.values());
    }

    private static List<Integer> indices(int size) {
        List<Integer> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(i);
        }
        return all;
    }
}
