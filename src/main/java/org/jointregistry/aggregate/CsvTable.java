package org.jointregistry.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A response that also has a `text/csv` form with the same numbers. Breakdowns
 * are written one line per row with a leading `kind` column (`row`, then one
 * `total` line); suppressed counts are empty cells, like "not recorded" values.
 * k travels in the X-Min-Cell-Size header, the perturbation's bound in
 * X-Max-Perturbation.
 */
public interface CsvTable {

    /** k of the suppression applied to the rows. */
    int minCellSize();

    /** The bound of the perturbation of the figures it perturbs. */
    int maxPerturbation();

    List<String> csvHeader();

    /** Dimension values as text, counts as numbers (see {@link org.jointregistry.common.Csv}). */
    List<List<?>> csvLines();

    static List<String> rowsHeader(List<String> dimensions) {
        List<String> header = new ArrayList<>();
        header.add("kind");
        header.addAll(dimensions);
        header.addAll(List.of("incidents", "events", "volunteers", "suppressed"));
        return header;
    }

    static List<List<?>> rowsLines(List<CountRow> rows, int dimensions, Counts.Total total) {
        List<List<?>> lines = new ArrayList<>();
        for (CountRow row : rows) {
            List<Object> line = new ArrayList<>();
            line.add("row");
            line.addAll(row.key());
            line.add(row.incidents());
            line.add(row.events());
            line.add(row.volunteers());
            line.add(row.suppressed());
            lines.add(line);
        }
        List<Object> last = new ArrayList<>();
        last.add("total");
        last.addAll(Collections.nCopies(dimensions, null));
        last.addAll(Arrays.asList(total.incidents(), total.events(), total.volunteers(), false));
        lines.add(last);
        return lines;
    }
}
