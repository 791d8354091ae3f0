package org.jointregistry.sync;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.DiscriminatorMapping;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jointregistry.incident.IncidentChanges.Tombstone;
import org.jointregistry.incident.IncidentView;
import org.jointregistry.common.Parameters;
import org.jointregistry.incident.IncidentFilter;

@Schema(name = "ChangesPage", description = "Incidents changed since the cursor, each once, in its current state.")
public record ChangesPage(
        @Schema(type = SchemaType.ARRAY, implementation = Change.class, maxItems = IncidentFilter.MAX_LIMIT,
                description = "Live incidents in full, "
                + "deleted ones as tombstones. Apply them in order, keyed by id: upsert an incident, remove a "
                + "tombstone.")
        List<Object> items,
        @Schema(maxLength = Parameters.VALUE_MAX, description = "Pass as `since` to read the changes after this page; always present (the same "
                + "cursor when nothing changed).")
        String nextCursor) {

    /** One item of the feed, for the OpenAPI document: generated clients pick the class by `kind`. */
    @Schema(name = "Change", oneOf = { IncidentView.class, Tombstone.class }, discriminatorProperty = "kind",
            discriminatorMapping = {
                    @DiscriminatorMapping(value = IncidentView.KIND, schema = IncidentView.class),
                    @DiscriminatorMapping(value = Tombstone.KIND, schema = Tombstone.class) })
    interface Change {
    }
}
