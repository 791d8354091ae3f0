package org.jointregistry.aggregate;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;
import org.jointregistry.common.Parameters;

/** A breakdown: one row per combination of the groupBy dimensions' values, and the exact total. */
@Schema(name = "Counts", description = "A breakdown of the counted incidents by one or more dimensions.")
public record Counts(
        @Schema(description = "The dimensions of each row, in order.", examples = "[\"category\", \"month\"]",
                maxItems = Parameters.VALUES_MAX)
        List<String> groupBy,
        @Schema(description = "k: rows with 1 to k-1 distinct volunteers are suppressed.", examples = "3",
                minimum = "1")
        int minCellSize,
        @Schema(maxItems = BoundsFilter.UNPAGED) List<CountRow> rows,
        Total total) implements CsvTable {

    /** Exact totals: each incident, event and volunteer counted once, never suppressed. */
    @Schema(name = "CountTotal", description = "Exact totals of the breakdown: each incident, event (occurrence) "
            + "and volunteer once.")
    public record Total(@Schema(examples = "646") long incidents, @Schema(examples = "601") long events,
            @Schema(examples = "33") long volunteers) {
    }

    @Override
    public List<String> csvHeader() {
        return CsvTable.rowsHeader(groupBy);
    }

    @Override
    public List<List<?>> csvLines() {
        return CsvTable.rowsLines(rows, groupBy.size(), total);
    }
}
