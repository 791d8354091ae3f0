package org.jointregistry.event;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;

@Schema(name = "SharedEvent", description = "The shared event an incident is in, as its organisation may see it: "
        + "which partners have reports in it and how many, and which of the reports are its own. Nothing of another "
        + "organisation's reports appears.")
public record SharedEventView(
        @Schema(required = true) UUID id,
        @Schema(maxItems = BoundsFilter.UNPAGED, description = "Aliases of the organisations with a report in the event, sorted.",
                examples = "[\"help-refugees\", \"utopia-56\"]", required = true)
        List<String> organizations,
        @Schema(description = "Reports (incidents, not deleted) in the event, all organisations together.",
                examples = "3", required = true)
        long reports,
        @Schema(description = "The caller's organisation's own incidents in the event, sorted.", required = true,
                maxItems = BoundsFilter.UNPAGED)
        List<UUID> ownIncidentIds) {
}
