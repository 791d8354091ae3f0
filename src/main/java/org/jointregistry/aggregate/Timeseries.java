package org.jointregistry.aggregate;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;

/** Counts per day, ISO week or month, with every bucket of the range present (zero-filled). */
@Schema(name = "Timeseries", description = "A continuous series: one row per bucket of the range, zero-filled. "
        + "Each row has a property named after the interval (`\"month\": \"2018-03\"`).")
public record Timeseries(
        @Schema(examples = "month", enumeration = { "day", "week", "month" }) String interval,
        @Schema(description = "k: a count of 1 to k-1 distinct volunteers is never published.", examples = "3",
                minimum = "1")
        int minCellSize,
        @Schema(description = "The bound of the perturbation of the volunteers figures.", examples = "2",
                minimum = "0", maximum = "100")
        int maxPerturbation,
        @Schema(maxItems = BoundsFilter.UNPAGED) List<CountRow> rows,
        Counts.Total total) implements CsvTable {

    @Override
    public List<String> csvHeader() {
        return CsvTable.rowsHeader(List.of(interval));
    }

    @Override
    public List<List<?>> csvLines() {
        return CsvTable.rowsLines(rows, 1, total);
    }
}
