package org.jointregistry.tenant;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.common.BoundsFilter;

@Path("/api/v1/organizations")
@Tag(name = "Caller")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class OrganizationResource {

    @Schema(name = "Organization", description = "A partner organisation of the registry.")
    public record OrganizationView(
            @Schema(examples = "utopia-56", maxLength = BoundsFilter.ALIAS_MAX) String alias,
            @Schema(examples = "Utopia 56", maxLength = BoundsFilter.TEXT_MAX) String name) {
    }

    @Schema(name = "OrganizationList")
    public record OrganizationList(@Schema(maxItems = BoundsFilter.UNPAGED) List<OrganizationView> items) {
    }

    @GET
    @Operation(operationId = "listOrganizations", summary = "List partner organisations", description = "Every organisation known to the registry, "
            + "by alias. Aliases are the values of the token's `organization` claim and of X-Organization.")
    public OrganizationList list() {
        List<Organization> all = Organization.listAll(io.quarkus.panache.common.Sort.by("alias"));
        return new OrganizationList(all.stream().map(o -> new OrganizationView(o.alias, o.name)).toList());
    }
}
