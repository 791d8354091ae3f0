package org.jointregistry.audit;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.common.BoundsFilter;

@Schema(name = "History", description = "A record's revisions, oldest first.")
public record HistoryView(@Schema(maxItems = BoundsFilter.UNPAGED) List<RevisionView> items) {
}
