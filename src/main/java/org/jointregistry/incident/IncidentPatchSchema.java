package org.jointregistry.incident;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * The merge-patch body's schema, derived from {@code IncidentInput} so that the
 * two never disagree on a field: the same members, none required (a member left
 * out is kept). Members that null clears are nullable there already; null for
 * `occurredAt` or `categories` is refused with 422, as for PUT. Without a schema
 * of its own, a generated client sends the required members of IncidentInput
 * (`"occurredAt": null, "categories": []`) with every patch. Every array is
 * nullable here: the Java generator starts a non-nullable array at `[]` and
 * sends it, while a nullable one is left out until set.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class IncidentPatchSchema implements OASFilter {

    static final String NAME = "IncidentPatch";
    private static final String INPUT = "IncidentInput";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null
                || !openAPI.getComponents().getSchemas().containsKey(INPUT)) {
            return;
        }
        Schema input = openAPI.getComponents().getSchemas().get(INPUT);
        Schema patch = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("A JSON Merge Patch (RFC 7396) of an incident's writable fields: members sent replace, "
                        + "`null` clears, objects merge, members left out are kept. The fields are IncidentInput's.");
        input.getProperties().forEach((name, property) -> patch.addProperty(name, leftOutUntilSet(property)));
        openAPI.getComponents().addSchema(NAME, patch);
    }

    private static Schema leftOutUntilSet(Schema property) {
        List<Schema.SchemaType> type = property.getType();
        if (type == null || !type.contains(Schema.SchemaType.ARRAY) || type.contains(Schema.SchemaType.NULL)) {
            return property;
        }
        // A copy: the property object is IncidentInput's too.
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY, Schema.SchemaType.NULL))
                .items(property.getItems()).minItems(property.getMinItems()).maxItems(property.getMaxItems())
                .description(property.getDescription() + " Null is refused like an empty array; leave the "
                        + "member out to keep the current value.");
    }
}
