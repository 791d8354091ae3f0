package org.jointregistry.common;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

/**
 * What a generated client is named after and shows: readable operation ids
 * (its method names) and parameter examples of the parameter's own shape. The
 * problem responses are {@link ProblemResponsesFilter}'s job.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OperationNamesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            if (!path.startsWith("/api/")) {
                return;
            }
            operation.setOperationId(readableOperationId(operation.getOperationId()));
            if (operation.getParameters() != null) {
                operation.getParameters().forEach(OperationNamesFilter::exampleAsArray);
            }
        }));
    }

    /** A repeatable parameter's example is one value in the code: the contract shows it as an array. */
    private static void exampleAsArray(Parameter parameter) {
        Schema schema = parameter.getSchema();
        if (schema != null && schema.getType() != null && schema.getType().contains(Schema.SchemaType.ARRAY)
                && parameter.getExample() != null && !(parameter.getExample() instanceof List)) {
            parameter.setExample(List.of(parameter.getExample()));
        }
    }

    /**
     * `IncidentResource_create` (the generator's class-method name) reads
     * `createIncident`; a method that already names its resource keeps its name.
     */
    private static String readableOperationId(String generated) {
        if (generated == null || !generated.contains("_")) {
            return generated;
        }
        String resource = generated.substring(0, generated.indexOf('_')).replace("Resource", "");
        String method = generated.substring(generated.indexOf('_') + 1);
        return method.toLowerCase().contains(resource.toLowerCase()) ? method : method + resource;
    }
}
