package org.jointregistry.audit;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "History", description = "A record's revisions, oldest first.")
public record HistoryView(List<RevisionView> items) {
}
