package org.jointregistry.volunteer;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.common.Bodies;
import org.jointregistry.common.ETags.IfMatch;
import org.jointregistry.common.ETags;
import org.jointregistry.common.Parameters;
import org.jointregistry.tenant.Roles;
import org.jointregistry.common.BoundsFilter;

@Path("/api/v1/volunteers")
@Tag(name = "Volunteers", description = "The caller's organisation's pseudonymous volunteers.")
@RolesAllowed({ Roles.REPORTER, Roles.COORDINATOR })
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VolunteerResource {

    @Inject
    VolunteerService volunteers;

    @Schema(name = "VolunteerList")
    public record VolunteerList(@Schema(maxItems = BoundsFilter.UNPAGED) List<VolunteerView> items) {
    }

    @POST
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Record a volunteer", description = "Coordinators only. The pseudonym must be unique "
            + "within the organisation (409 otherwise).")
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = VolunteerView.class)),
            headers = { @Header(name = HttpHeaders.LOCATION, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response createVolunteer(VolunteerInput body, @Context UriInfo uri) {
        VolunteerView created = volunteers.create(Bodies.required(body));
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .header(HttpHeaders.ETAG, ETags.of(created.version()))
                .entity(created).build();
    }

    @GET
    @Operation(summary = "List volunteers", description = "All volunteers of the caller's organisation, by pseudonym.")
    public VolunteerList listVolunteers() {
        return new VolunteerList(volunteers.list());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a volunteer", description = "With its ETag, to send back as If-Match when "
            + "replacing or deleting it.")
    @APIResponse(responseCode = "200", description = "The volunteer.",
            content = @Content(schema = @Schema(implementation = VolunteerView.class)),
            headers = @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)))
    public Response getVolunteer(@PathParam("id") UUID id) {
        VolunteerView volunteer = volunteers.get(id);
        return Response.ok(volunteer).header(HttpHeaders.ETAG, ETags.of(volunteer.version())).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Roles.COORDINATOR)
    @Operation(summary = "Replace a volunteer", description = "Coordinators only. If-Match is optional here; "
            + "when sent, a stale ETag answers 412.")
    @APIResponse(responseCode = "200", description = "The volunteer as stored.",
            content = @Content(schema = @Schema(implementation = VolunteerView.class)),
            headers = @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response replaceVolunteer(@PathParam("id") UUID id,
            @Parameter(description = "ETag of the version being replaced.") @HeaderParam(HttpHeaders.IF_MATCH)
            String ifMatch,
            VolunteerInput body) {
        VolunteerView volunteer = volunteers.replace(id, IfMatch.optional(ifMatch), Bodies.required(body));
        return Response.ok(volunteer).header(HttpHeaders.ETAG, ETags.of(volunteer.version())).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.COORDINATOR)
    // A 204 has no body, so any Accept is fine: a generated client asks for the errors' problem+json only.
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "Delete a volunteer", description = "Coordinators only. A volunteer still named by "
            + "incidents is refused with 409 unless `detach=true`, which removes it from those incidents in the "
            + "same transaction (each incident records a revision).")
    @APIResponse(responseCode = "204", description = "Deleted.")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public void deleteVolunteer(@PathParam("id") UUID id,
            @Parameter(description = "ETag of the version being deleted (optional).")
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Parameter(description = "Remove the volunteer from the incidents that name it: true or false "
                    + "(default).", schema = @Schema(type = SchemaType.BOOLEAN)) @QueryParam("detach") String detach) {
        Parameters parameters = Parameters.query();
        boolean detaching = parameters.flag("detach", detach, false);
        parameters.throwIfInvalid();
        volunteers.delete(id, IfMatch.optional(ifMatch), detaching);
    }
}
