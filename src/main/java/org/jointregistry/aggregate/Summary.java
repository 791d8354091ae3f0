package org.jointregistry.aggregate;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The counted set in a few figures: exact but for volunteers (perturbed). */
@Schema(name = "Summary", description = "Figures of the counted incidents: exact, but volunteers, which is "
        + "perturbed as in breakdowns.")
public record Summary(
        @Schema(description = "Counted incidents (reports), each once.", examples = "646") long incidents,
        @Schema(description = "Occurrences among them (contract §8): the counted incidents of one shared event "
                + "count once, an unlinked incident is its own.", examples = "601") long events,
        @Schema(description = "Shared events whose counted incidents come from two or more organisations.",
                examples = "41") long sharedEvents,
        @Schema(description = "Distinct volunteers involved in them, perturbed by at most the breakdowns' "
                + "maxPerturbation; null when 1 to k-1.", examples = "33", nullable = true) Long volunteers,
        @Schema(description = "Distinct organisations that recorded them.", examples = "4") long organizations,
        @Schema(description = "When the first counted incident occurred (Europe/Paris offset); null when none.",
                examples = "2017-11-01T08:40:00+01:00", nullable = true)
        OffsetDateTime firstOccurredAt,
        @Schema(description = "When the last counted incident occurred (Europe/Paris offset); null when none.",
                examples = "2018-06-30T19:15:00+02:00", nullable = true)
        OffsetDateTime lastOccurredAt,
        @Schema(description = "Incidents about which a complaint was lodged (status filed, dismissed or upheld).",
                examples = "12")
        long withComplaint,
        @Schema(description = "k: a count of 1 to k-1 distinct volunteers is never published.", examples = "3")
        int minCellSize,
        @Schema(description = "The bound of the perturbation of volunteers.", examples = "2")
        int maxPerturbation) implements CsvTable {

    @Override
    public List<String> csvHeader() {
        return List.of("incidents", "events", "sharedEvents", "volunteers", "organizations", "firstOccurredAt",
                "lastOccurredAt",
                "withComplaint", "minCellSize", "maxPerturbation");
    }

    @Override
    public List<List<?>> csvLines() {
        return List.of(Stream.of(incidents, events, sharedEvents, volunteers, organizations, firstOccurredAt,
                lastOccurredAt, withComplaint, minCellSize, maxPerturbation).toList());
    }
}
