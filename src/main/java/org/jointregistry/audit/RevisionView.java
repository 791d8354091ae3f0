package org.jointregistry.audit;

import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;

@Schema(name = "Revision", description = "One entry of a record's append-only history.")
public record RevisionView(
        @Schema(minimum = "1", description = "1 for the creation, then one more per change; equals the record's version after it.",
                examples = "2")
        int revision,
        @Schema(description = "When the change was committed.") Instant at,
        @Schema(maxLength = BoundsFilter.USERNAME_MAX, description = "Username of whoever made the change.", examples = "utopia-56-reporter") String by,
        RevisionAction action,
        @Schema(description = "Fields changed; empty for a deletion.", maxItems = BoundsFilter.UNPAGED) List<FieldChange> changes) {
}
