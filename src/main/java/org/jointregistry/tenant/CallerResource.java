package org.jointregistry.tenant;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.common.BoundsFilter;

@Path("/api/v1/me")
@Tag(name = "Caller")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class CallerResource {

    @Inject
    Caller caller;

    @Schema(name = "Me", description = "The authenticated caller as the registry sees it.")
    public record Me(
            @Schema(description = "Token subject (Keycloak user or service-account id).",
                    maxLength = BoundsFilter.USERNAME_MAX) String subject,
            @Schema(examples = "utopia-56-reporter", maxLength = BoundsFilter.USERNAME_MAX) String username,
            @Schema(description = "Aliases from the token's `organization` claim.", examples = "[\"utopia-56\"]",
                    maxItems = BoundsFilter.UNPAGED)
            List<String> organizations,
            @Schema(maxLength = BoundsFilter.ALIAS_MAX, description = "Organisation this request acts for; null when the token has several and "
                    + "X-Organization names none, or has none.", examples = "utopia-56", nullable = true)
            String activeOrganization,
            @Schema(description = "Realm roles.", examples = "[\"reporter\"]", maxItems = BoundsFilter.UNPAGED)
            Set<String> roles) {
    }

    @GET
    @Operation(operationId = "getMe", summary = "Who am I", description = "Subject, username, organisations, active organisation and "
            + "roles of the bearer token. Send X-Organization to choose among several organisations.")
    public Me me() {
        return new Me(caller.subject(), caller.username(), caller.organizations(),
                caller.activeOrganization().orElse(null), caller.roles());
    }
}
