package org.jointregistry.sync;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "BatchResult", description = "The incidents a batch created.")
public record BatchResult(@Schema(description = "Their ids, in the order of the request's items.",
        maxItems = SyncResource.BATCH_MAX) List<UUID> ids) {
}
