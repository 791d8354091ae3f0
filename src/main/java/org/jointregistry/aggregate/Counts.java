package org.jointregistry.aggregate;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;
import org.jointregistry.common.Parameters;

/** A breakdown: one row per combination of the groupBy dimensions' values, and the total. */
@Schema(name = "Counts", description = "A breakdown of the counted incidents by one or more dimensions. Every "
        + "volunteers figure is perturbed by at most maxPerturbation, and so are the incidents and events of a "
        + "breakdown by gender or nationality; the other incidents and events are exact.")
public record Counts(
        @Schema(description = "The dimensions of each row, in order.", examples = "[\"category\", \"month\"]",
                maxItems = Parameters.VALUES_MAX)
        List<String> groupBy,
        @Schema(description = "k: a count of 1 to k-1 distinct volunteers is never published, and a row by gender "
                + "or nationality about so few volunteers is suppressed.", examples = "3", minimum = "1")
        int minCellSize,
        @Schema(description = "The bound of the perturbation: a perturbed figure is within this of the true count "
                + "(and never below k for volunteers, below 1 for incidents and events).", examples = "2",
                minimum = "0", maximum = "100")
        int maxPerturbation,
        @Schema(maxItems = BoundsFilter.UNPAGED) List<CountRow> rows,
        Total total) implements CsvTable {

    /** Totals: each incident, event and volunteer counted once; incidents and events exact. */
    @Schema(name = "CountTotal", description = "Totals of the breakdown: each incident, event (occurrence) "
            + "and volunteer once. Incidents and events are exact; volunteers are perturbed.")
    public record Total(@Schema(examples = "646") long incidents, @Schema(examples = "601") long events,
            @Schema(description = "Distinct volunteers, perturbed; null when 1 to k-1.", examples = "33",
                    nullable = true) Long volunteers) {
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
