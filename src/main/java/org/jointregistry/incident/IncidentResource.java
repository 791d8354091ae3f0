package org.jointregistry.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.audit.HistoryView;
import org.jointregistry.common.Bodies;
import org.jointregistry.common.ETags.IfMatch;
import org.jointregistry.common.ETags;
import org.jointregistry.common.MergePatch;
import org.jointregistry.common.Parameters;
import org.jointregistry.tenant.Roles;

@Path("/api/v1/incidents")
@Tag(name = "Incidents", description = "The caller's organisation's incidents. Another organisation's incident "
        + "answers 404, exactly like an id that does not exist.")
@RolesAllowed({ Roles.REPORTER, Roles.COORDINATOR })
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class IncidentResource {

    /** Confidential records: no shared cache may keep them, a private one must revalidate. */

    @Inject
    IncidentService incidents;

    @Inject
    Idempotency idempotency;

    @POST
    @Operation(summary = "Record an incident", description = "The organisation comes from the token (and "
            + "X-Organization for tokens of several). Status defaults to `submitted`. Every invalid field is listed "
            + "in the 422 problem. Send an Idempotency-Key to make retries safe.")
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = IncidentView.class)),
            headers = { @Header(name = HttpHeaders.LOCATION, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "ValidationFailed")
    public Response createIncident(
            @Parameter(name = Idempotency.HEADER, in = ParameterIn.HEADER, description = Idempotency.DESCRIPTION,
                    schema = @Schema(type = SchemaType.STRING, maxLength = Idempotency.KEY_MAX))
            @HeaderParam(Idempotency.HEADER) String idempotencyKey,
            IncidentInput body, @Context UriInfo uri) {
        IncidentInput input = Bodies.required(body);
        return idempotency.respond(idempotencyKey, "POST /incidents", input, () -> {
            IncidentView created = incidents.create(input);
            return new Idempotency.Created(201, uri.getAbsolutePathBuilder().path(created.id().toString()).build(),
                    ETags.of(created.version()), created);
        });
    }

    @GET
    @Operation(summary = "List incidents", description = "Newest occurrence first (occurredAt descending, then id), "
            + "paged by keyset: pass `nextCursor` back as `cursor`. Repeating a filter matches any of its values.")
    @APIResponse(responseCode = "200", description = "One page.",
            content = @Content(schema = @Schema(implementation = IncidentPage.class)))
    public IncidentPage listIncidents(
            @Parameter(ref = Parameters.FROM) @QueryParam("from") String from,
            @Parameter(ref = Parameters.TO) @QueryParam("to") String to,
            @Parameter(description = "Category code; repeatable.") @QueryParam("category") List<String> category,
            @Parameter(description = "Status code; repeatable.") @QueryParam("status") List<String> status,
            @Parameter(description = "Commune, case-insensitive; repeatable.") @QueryParam("commune")
            List<String> commune,
            @Parameter(description = "Police force code; repeatable.") @QueryParam("force") List<String> force,
            @Parameter(description = "Page size, 1 to 500 (default 50).", schema = @Schema(type = SchemaType.INTEGER,
                    format = "int32", minimum = "1", maximum = "" + IncidentFilter.MAX_LIMIT, defaultValue = "" + IncidentFilter.DEFAULT_LIMIT))
            @QueryParam("limit") String limit,
            @Parameter(description = "`nextCursor` of the previous page.") @QueryParam("cursor") String cursor) {
        return incidents.list(IncidentFilter.parse(from, to, category, status, commune, force, limit, cursor));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read an incident", description = "With its ETag; send it back as If-None-Match to get 304 "
            + "while it is unchanged, and as If-Match to update it.")
    @APIResponse(responseCode = "200", description = "The incident.",
            content = @Content(schema = @Schema(implementation = IncidentView.class)),
            headers = @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag in If-None-Match; no body.",
            headers = @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)))
    public Response getIncident(@PathParam("id") UUID id,
            @Parameter(description = "ETag(s) of a cached copy.") @HeaderParam(HttpHeaders.IF_NONE_MATCH)
            String ifNoneMatch) {
        IncidentView incident = incidents.get(id);
        if (ETags.noneMatchHits(ifNoneMatch, incident.version())) {
            return Response.notModified().header(HttpHeaders.ETAG, ETags.of(incident.version())).build();
        }
        return withETag(Response.ok(), incident);
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace an incident", description = "Replaces every writable field (left-out fields "
            + "become empty, status `submitted`). Requires If-Match with the current ETag: 428 without it, 412 "
            + "when the incident changed meanwhile.")
    @APIResponse(responseCode = "200", description = "The incident as stored.",
            content = @Content(schema = @Schema(implementation = IncidentView.class)),
            headers = @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response replaceIncident(@PathParam("id") UUID id,
            @Parameter(description = "ETag of the version being replaced.", required = true)
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            IncidentInput body) {
        IfMatch precondition = IfMatch.required(ifMatch);
        return withETag(Response.ok(), incidents.replace(id, precondition, Bodies.required(body)));
    }

    @PATCH
    @Path("{id}")
    @Consumes(MergePatch.MEDIA_TYPE)
    @Operation(summary = "Update an incident by merge patch", description = "JSON Merge Patch (RFC 7396) over the "
            + "writable fields: members replace, `null` clears, objects merge. Requires If-Match like PUT.")
    @RequestBody(content = @Content(mediaType = MergePatch.MEDIA_TYPE,
            schema = @Schema(ref = IncidentPatchSchema.NAME)))
    @APIResponse(responseCode = "200", description = "The incident as stored.",
            content = @Content(schema = @Schema(implementation = IncidentView.class)),
            headers = @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response patchIncident(@PathParam("id") UUID id,
            @Parameter(description = "ETag of the version being changed.", required = true)
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            JsonNode body) throws JsonProcessingException {
        IfMatch precondition = IfMatch.required(ifMatch);
        return withETag(Response.ok(), incidents.patch(id, precondition, Bodies.required(body)));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.COORDINATOR)
    // A 204 has no body, so any Accept is fine: a generated client asks for the errors' problem+json only.
    @Produces(MediaType.WILDCARD)
    @Operation(summary = "Delete an incident", description = "Coordinators only. Leaves a tombstone: the incident "
            + "disappears from reads, its history (ending with the deletion) remains. If-Match is optional.")
    @APIResponse(responseCode = "204", description = "Deleted.")
    public void deleteIncident(@PathParam("id") UUID id,
            @Parameter(description = "ETag of the version being deleted (optional).")
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        incidents.delete(id, IfMatch.optional(ifMatch));
    }

    @GET
    @Path("{id}/history")
    @Operation(summary = "History of an incident", description = "Every revision, oldest first: who, when, what "
            + "(create, update, delete) and which fields changed with old and new values. The narrative "
            + "(`description`) is marked `redacted`, never quoted. Deleted incidents keep their history.")
    @APIResponse(responseCode = "200", description = "The revisions.",
            content = @Content(schema = @Schema(implementation = HistoryView.class)))
    public HistoryView getIncidentHistory(@PathParam("id") UUID id) {
        return incidents.history(id);
    }

    private static Response withETag(Response.ResponseBuilder response, IncidentView incident) {
        return response.entity(incident).header(HttpHeaders.ETAG, ETags.of(incident.version())).build();
    }
}
