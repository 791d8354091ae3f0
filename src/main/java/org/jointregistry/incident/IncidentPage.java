package org.jointregistry.incident;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.Parameters;

@Schema(name = "IncidentPage", description = "One page of incidents, newest occurrence first.")
public record IncidentPage(
        @Schema(maxItems = IncidentFilter.MAX_LIMIT) List<IncidentView> items,
        @Schema(description = "Pass as `cursor` to read the next page; null on the last page.", nullable = true,
                maxLength = Parameters.VALUE_MAX)
        String nextCursor) {
}
