package org.jointregistry.replica;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

/** Documents X-Data-As-Of on the 2xx answers of the operations {@link DataAsOf#covers} names. */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class DataAsOfContract implements OASFilter {

    private static final String COMPONENT = "DataAsOf";
    private static final String DESCRIPTION = "Every write committed before this instant (RFC 3339, UTC, to the "
            + "millisecond) is in the answer. Figures may be read from a read replica: the instant is then the "
            + "last replicated heartbeat, at most registry.replica.max-lag (default 5 s) old, else the primary "
            + "answers. Writes acknowledged after it may be missing; a snapshot (POST /api/v1/reports) always "
            + "includes every write acknowledged before it.";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addHeader(COMPONENT, OASFactory.createHeader().description(DESCRIPTION)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("date-time")));
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (!DataAsOf.covers(method.name(), path) || operation.getResponses() == null) {
                return;
            }
            operation.getResponses().getAPIResponses().forEach((status, response) -> {
                if (status.startsWith("2")) {
                    response.addHeader(DataAsOf.HEADER, OASFactory.createHeader().ref(COMPONENT));
                }
            });
        }));
    }
}
