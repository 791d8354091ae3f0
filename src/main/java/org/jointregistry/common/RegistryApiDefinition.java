package org.jointregistry.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The contract's title, the shared from/to parameters (their forms said
 * once, from the one parser's constants; the other forms are in the info
 * description, quarkus.smallrye-openapi.info-description) and the groups its
 * operations are listed under.
 */
@OpenAPIDefinition(
        // The SPDX identifier is what generators validate (OpenAPI 3.1 `license.identifier`); Quarkus's
        // info-license-* properties have no identifier, so the license lives here alone.
        info = @Info(title = "Joint Incident Registry API", version = "1.0.0",
                license = @License(name = "EUPL-1.2", identifier = "EUPL-1.2")),
        components = @Components(parameters = {
                @Parameter(name = Parameters.FROM, in = ParameterIn.QUERY, description = "Start of the period. "
                        + Parameters.PERIOD_FORMS, schema = @Schema(type = SchemaType.STRING,
                        pattern = Parameters.PERIOD_PATTERN), example = "2017-11-01"),
                @Parameter(name = Parameters.TO, in = ParameterIn.QUERY, description = "End of the period. "
                        + Parameters.PERIOD_FORMS, schema = @Schema(type = SchemaType.STRING,
                        pattern = Parameters.PERIOD_PATTERN), example = "2018-06-30")
        }),
        tags = {
                @Tag(name = "Caller", description = "Who is calling, on behalf of which organisation."),
                @Tag(name = "Taxonomy", description = "The codes the API accepts, with English and French labels."),
                @Tag(name = "Volunteers", description = "Pseudonymous volunteers of the caller's organisation."),
                @Tag(name = "Incidents", description = "Incidents of the caller's organisation: testimony that "
                        + "never leaves its tenant space."),
                @Tag(name = "Sync", description = "Idempotent writes, upserts, change feed, batch and CSV for partner "
                        + "tools that mirror their own records."),
                @Tag(name = "Aggregates", description = "Counts over all partners together; never a narrative, "
                        + "a pseudonym or an id; small cells suppressed."),
                @Tag(name = "Reports", description = "The joint report and its immutable, content-hashed snapshots.")
        })
public class RegistryApiDefinition extends Application {
}
