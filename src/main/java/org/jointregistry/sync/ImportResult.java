package org.jointregistry.sync;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;

@Schema(name = "ImportResult", description = "What a sheet import wrote (or, in a dry run, would write).")
public record ImportResult(
        @Schema(description = "True when nothing was written (`dryRun=true`).") boolean dryRun,
        @Schema(description = "Rows that created an incident.", examples = "12", minimum = "0") int created,
        @Schema(description = "Rows that replaced the live incident with their externalId (unchanged ones "
                + "included: they keep their version).", examples = "3") int replaced,
        @Schema(description = "The incidents' ids in row order; null in a dry run.", nullable = true,
                maxItems = BoundsFilter.UNPAGED)
        List<UUID> ids) {
}
