package org.jointregistry.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suppression rules on hand-made breakdowns (k = 3), without a database. */
class SuppressionTest {

    private static final List<Dimension> ONE = List.of(Dimension.COMMUNE);
    private static final List<Dimension> TWO = List.of(Dimension.COMMUNE, Dimension.MONTH);

    @Test
    void noSmallCellNothingSuppressed() {
        List<CountRow> rows = List.of(row("A", 10, 5), row("B", 4, 3), row("C", 7, 0));
        assertEquals(List.of(false, false, false), suppressed(Suppression.apply(rows, 3)));
    }

    @Test
    void oneSmallCellTakesTheNextSmallestWithIt() {
        List<CountRow> rows = List.of(row("A", 10, 5), row("B", 4, 2), row("C", 6, 4), row("D", 5, 4));
        List<CountRow> out = Suppression.apply(rows, 3);
        // D and C both have 4 volunteers; D has fewer incidents.
        assertEquals(List.of(false, true, false, true), suppressed(out));
        assertEquals(null, out.get(3).incidents());
        assertEquals(10L, out.get(0).incidents());
    }

    @Test
    void twoSmallCellsNeedNoComplement() {
        List<CountRow> rows = List.of(row("A", 10, 5), row("B", 4, 2), row("C", 1, 1), row("D", 5, 4));
        assertEquals(List.of(false, true, true, false), suppressed(Suppression.apply(rows, 3)));
    }

    @Test
    void rowsWithoutVolunteersAreNeitherSmallNorAGoodComplement() {
        List<CountRow> rows = List.of(row("A", 2, 0), row("B", 4, 2), row("C", 9, 6), row("D", 0, 0));
        // A (no volunteer) stays, and is passed over for C; D is empty.
        assertEquals(List.of(false, true, true, false), suppressed(Suppression.apply(rows, 3)));
        // Only when nothing else is left does a volunteer-less row complement.
        rows = List.of(row("A", 2, 0), row("B", 4, 2), row("D", 0, 0));
        assertEquals(List.of(true, true, false), suppressed(Suppression.apply(rows, 3)));
    }

    @Test
    void kOfOneSuppressesNothing() {
        List<CountRow> rows = List.of(row("A", 1, 1), row("B", 4, 2));
        assertEquals(List.of(false, false), suppressed(Suppression.apply(rows, 1)));
    }

    @Test
    void withTwoDimensionsEverySliceIsABreakdown() {
        // month:        M1      M2      M3
        // commune A:   20/9    15/8    12/6
        // commune B:   10/5     2/1    11/7
        // commune C:    5/3     9/5     6/4
        List<CountRow> rows = List.of(
                row2("A", "M1", 20, 9), row2("A", "M2", 15, 8), row2("A", "M3", 12, 6),
                row2("B", "M1", 10, 5), row2("B", "M2", 2, 1), row2("B", "M3", 11, 7),
                row2("C", "M1", 5, 3), row2("C", "M2", 9, 5), row2("C", "M3", 6, 4));
        List<Boolean> out = suppressed(Suppression.apply(rows, 3));
        // B/M2 is small. Column M2 takes C/M2 (5 volunteers, against A/M2's 8), row B takes B/M1
        // (5, against B/M3's 7); row C now has one suppressed cell and takes C/M1 (3), which also
        // gives column M1 its second. Every row and column then has 0 or 2 suppressed cells.
        assertEquals(List.of(false, false, false, true, true, false, true, true, false), out);
    }

    private static CountRow row(String commune, long incidents, long volunteers) {
        return new CountRow(List.of(commune), ONE, incidents, incidents, volunteers, false);
    }

    private static CountRow row2(String commune, String month, long incidents, long volunteers) {
        return new CountRow(List.of(commune, month), TWO, incidents, incidents, volunteers, false);
    }

    private static List<Boolean> suppressed(List<CountRow> rows) {
        List<Boolean> flags = new ArrayList<>();
        rows.forEach(r -> flags.add(r.suppressed()));
        return flags;
    }
}
