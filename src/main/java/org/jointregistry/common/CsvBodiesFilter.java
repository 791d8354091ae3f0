package org.jointregistry.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Objects;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Every `text/csv` response is a binary string in the contract, so that
 * generated clients hand it over as a file, bytes or a Blob instead of parsing
 * CSV as JSON (the schema the framework infers for an endpoint that serves
 * both, or a plain string, which the Java client reads as a JSON string).
 * CSV request bodies stay plain strings (see SyncResource.importSheet).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class CsvBodiesFilter implements OASFilter {

    static final String CSV = "text/csv";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().values().stream()
                .flatMap(item -> item.getOperations().values().stream())
                .filter(operation -> operation.getResponses() != null)
                .flatMap(operation -> operation.getResponses().getAPIResponses().values().stream())
                .map(response -> response.getContent())
                .filter(Objects::nonNull)
                .filter(content -> content.hasMediaType(CSV))
                .forEach(content -> content.getMediaType(CSV).setSchema(OASFactory.createSchema()
                        .addType(Schema.SchemaType.STRING).format("binary")));
    }
}
