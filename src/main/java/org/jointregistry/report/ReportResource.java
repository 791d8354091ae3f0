package org.jointregistry.report;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.common.Parameters;
import org.jointregistry.common.TimeSpan;
import org.jointregistry.tenant.Caller;
import org.jointregistry.tenant.Roles;

@Path("/api/v1/reports")
@Tag(name = "Reports", description = "The joint report and its frozen, hashed snapshots.")
@RolesAllowed({ Roles.REPORTER, Roles.COORDINATOR, Roles.ANALYST })
@Produces(MediaType.APPLICATION_JSON)
public class ReportResource {

    @Inject
    ReportService service;

    @Inject
    Caller caller;

    @Inject
    UriInfo uri;

    @GET
    @Path("joint")
    @Operation(summary = "The joint report", description = "Summary; by category group and category; by month; "
            + "by organisation, force, commune; by gender, with each category's share of incidents involving women "
            + "beside women's share of all volunteers involved; by nationality; complaint rate and complaints by "
            + "status and body. The rules and k that produced it are inside. Served as canonical JSON (keys sorted, "
            + "no whitespace): the same data always gives the same bytes.")
    @APIResponse(responseCode = "200", description = "The report.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = JointReport.class)))
    public Response joint(
            @QueryParam("from") @Parameter(ref = Parameters.FROM) String from,
            @QueryParam("to") @Parameter(ref = Parameters.TO) String to) {
        Parameters parameters = Parameters.query();
        TimeSpan.Days days = parameters.days(from, to);
        parameters.throwIfInvalid();
        return Response.ok(service.joint(days.first(), days.last()), MediaType.APPLICATION_JSON).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.COORDINATOR, Roles.ANALYST })
    @Operation(summary = "Freeze the joint report", description = "Stores the joint report of the period as an "
            + "immutable snapshot with the SHA-256 of its canonical JSON. Coordinators and analysts.")
    @APIResponse(responseCode = "201", description = "The snapshot; Location names it.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReportViews.Snapshot.class)))
    public Response freeze(ReportViews.SnapshotRequest request) {
        // The body's from/to take the query's forms, read by the same parser (errors: 422, as for any body).
        Parameters fields = Parameters.body();
        TimeSpan.Days days = request == null ? new TimeSpan.Days(null, null)
                : fields.days(request.from(), request.to());
        fields.throwIfInvalid();
        ReportViews.Snapshot snapshot = service.freeze(days.first(), days.last(), caller.username());
        return Response.created(uri.getAbsolutePathBuilder().path(snapshot.id().toString()).build())
                .entity(snapshot).build();
    }

    @GET
    @Operation(summary = "List snapshots", description = "Every frozen report, newest first, without documents.")
    public ReportViews.SnapshotList list() {
        return new ReportViews.SnapshotList(service.list());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Read a snapshot", description = "The frozen report exactly as stored: the same bytes "
            + "forever, whatever happens to incidents later.")
    public ReportViews.Snapshot get(@PathParam("id") UUID id) {
        return service.get(id);
    }

    @GET
    @Path("{id}/verify")
    @Operation(summary = "Verify a snapshot", description = "Recomputes the SHA-256 of the stored document and "
            + "compares it with the hash stored when it was frozen.")
    public ReportViews.Verification verify(@PathParam("id") UUID id) {
        return service.verify(id);
    }
}
