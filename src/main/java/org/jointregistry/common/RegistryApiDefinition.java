package org.jointregistry.common;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The contract's title and the groups its operations are listed under. */
@OpenAPIDefinition(
        // The SPDX identifier is what generators validate (OpenAPI 3.1 `license.identifier`); Quarkus's
        // info-license-* properties have no identifier, so the license lives here alone.
        info = @Info(title = "Joint Incident Registry API", version = "1.0.0",
                license = @License(name = "EUPL-1.2", identifier = "EUPL-1.2")),
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
