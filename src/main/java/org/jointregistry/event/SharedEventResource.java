package org.jointregistry.event;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.common.Bodies;
import org.jointregistry.tenant.Roles;

@Path("/api/v1/incidents/{id}")
@Tag(name = "Shared events", description = "Linking the caller's incident, by consent, with partners' reports of "
        + "the same occurrence. A partner learns that the event exists, which organisations are in it and how many "
        + "reports it has; never another organisation's incident, id, fields or volunteers.")
@Produces(MediaType.APPLICATION_JSON)
public class SharedEventResource {

    @Inject
    SharedEventService events;

    @Inject
    LinkCodeRedemption redemption;

    @POST
    @Path("link-codes")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(operationId = "issueLinkCode", summary = "Issue a link code",
            description = "Coordinators only. A single-use code, valid 7 days, for a partner's coordinator to link "
                    + "one of their incidents into this incident's shared event (created now if the incident is in "
                    + "none: that changes the incident's `eventId`, version and history). The registry keeps only a "
                    + "hash of the code: it cannot be shown again.")
    @APIResponse(responseCode = "201", description = "The code.",
            content = @Content(schema = @Schema(implementation = LinkCodeView.class)))
    public Response issueLinkCode(@PathParam("id") UUID id) {
        return Response.status(Response.Status.CREATED).entity(events.issue(id)).build();
    }

    @PUT
    @Path("event")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(operationId = "joinSharedEvent", summary = "Join a shared event with a link code",
            description = "Coordinators only. The incident joins the event of the code, which is then used up. An "
                    + "unknown, used or expired code gets one and the same 422 (field `code`), as does the incident "
                    + "the code was issued for; failed codes are limited per organisation (429 with Retry-After).")
    @APIResponse(responseCode = "200", description = "The event the incident is now in.",
            content = @Content(schema = @Schema(implementation = SharedEventView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "429", ref = "TooManyRequests")
    public SharedEventView joinSharedEvent(@PathParam("id") UUID id, LinkCodeInput body) {
        return redemption.join(id, Bodies.required(body).code());
    }

    @GET
    @Path("event")
    @RolesAllowed({ Roles.REPORTER, Roles.COORDINATOR })
    @Operation(operationId = "getSharedEvent", summary = "Read the incident's shared event",
            description = "The partners in it, its number of reports and the caller's own incidents in it. 404 when "
                    + "the incident is in no event.")
    @APIResponse(responseCode = "200", description = "The event.",
            content = @Content(schema = @Schema(implementation = SharedEventView.class)))
    public SharedEventView getSharedEvent(@PathParam("id") UUID id) {
        return events.eventOf(id);
    }

    @DELETE
    @Path("event")
    @RolesAllowed(Roles.COORDINATOR)
    // As deleteIncident: a 204 has no body, so any Accept is fine (a generated client asks for problem+json only).
    @Produces(MediaType.WILDCARD)
    @Operation(operationId = "leaveSharedEvent", summary = "Leave the shared event",
            description = "Coordinators only. The incident leaves its event (its `eventId` becomes null, a new "
                    + "version); the event stays for the other reports. 404 when the incident is in no event.")
    @APIResponse(responseCode = "204", description = "Left.")
    public void leaveSharedEvent(@PathParam("id") UUID id) {
        events.leave(id);
    }
}
