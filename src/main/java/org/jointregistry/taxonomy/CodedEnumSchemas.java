package org.jointregistry.taxonomy;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.media.Schema;

/**
 * Lists taxonomy enums in the OpenAPI document by their API codes
 * (`identity_check`), as Jackson writes and reads them: the scanner cannot see
 * the `@JsonValue` that {@link Coded} inherits, and would list the constant
 * names (`IDENTITY_CHECK`) instead.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class CodedEnumSchemas implements OASFilter {

    private static final List<Class<? extends Coded>> CODED = List.of(Category.class, CategoryGroup.class,
            ComplaintBody.class, ComplaintStatus.class, Gender.class, IncidentStatus.class, PoliceForce.class);

    @Override
    public Schema filterSchema(Schema schema) {
        List<Object> values = schema.getEnumeration();
        if (values != null) {
            for (Class<? extends Coded> type : CODED) {
                Coded[] constants = type.getEnumConstants();
                if (Arrays.stream(constants).map(c -> ((Enum<?>) c).name()).toList().equals(values)) {
                    schema.setEnumeration(Arrays.stream(constants).<Object>map(Coded::code).toList());
                }
            }
        }
        return schema;
    }
}
