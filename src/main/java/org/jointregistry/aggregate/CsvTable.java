package org.jointregistry.aggregate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A response that also has a `text/csv` form with the same numbers. Breakdowns
 * are written one line per row with a leading `kind` column (`row`, then one
 * `total` line); suppressed counts are empty cells, like "not recorded" values.
 * k travels in the X-Min-Cell-Size header.
 */
public interface CsvTable {

    /** k of the suppression applied to the rows. */
    int minCellSize();

    List<String> csvHeader();

    List<List<String>> csvLines();

    static List<String> rowsHeader(List<String> dimensions) {
        List<String> header = new ArrayList<>();
        header.add("kind");
        header.addAll(dimensions);
        header.addAll(List.of("incidents", "events", "volunteers", "suppressed"));
        return header;
    }

    static List<List<String>> rowsLines(List<CountRow> rows, int dimensions, Counts.Total total) {
        List<List<String>> lines = new ArrayList<>();
        for (CountRow row : rows) {
            List<String> line = new ArrayList<>();
            line.add("row");
            line.addAll(row.key());
            line.add(text(row.incidents()));
            line.add(text(row.events()));
            line.add(text(row.volunteers()));
            line.add(String.valueOf(row.suppressed()));
            lines.add(line);
        }
        List<String> last = new ArrayList<>();
        last.add("total");
        last.addAll(Collections.nCopies(dimensions, null));
        last.addAll(List.of(String.valueOf(total.incidents()), String.valueOf(total.events()),
                String.valueOf(total.volunteers()), "false"));
        lines.add(last);
        return lines;
    }

    static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
