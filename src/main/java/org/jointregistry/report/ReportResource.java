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
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.aggregate.ParameterCheck;
import org.jointregistry.common.DateBounds;
import org.jointregistry.common.ParameterForms;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
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
            @QueryParam("from") @Parameter(description = "First Europe/Paris day (inclusive).",
                    example = "2017-11-01", schema = @Schema(type = SchemaType.STRING, pattern = ParameterForms.DAY))
            String from,
            @QueryParam("to") @Parameter(description = "Last Europe/Paris day (inclusive).",
                    example = "2018-06-30", schema = @Schema(type = SchemaType.STRING, pattern = ParameterForms.DAY))
            String to) {
        ParameterCheck check = new ParameterCheck();
        LocalDate fromDay = check.date("from", from);
        LocalDate toDay = check.date("to", to);
        check.period(fromDay, toDay);
        check.throwIfInvalid();
        return Response.ok(service.joint(fromDay, toDay), MediaType.APPLICATION_JSON).build();
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
        LocalDate from = request == null ? null : request.from();
        LocalDate to = request == null ? null : request.to();
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!DateBounds.supported(from)) {
            errors.add(new Problem.FieldError("from", DateBounds.MESSAGE));
        }
        if (!DateBounds.supported(to)) {
            errors.add(new Problem.FieldError("to", DateBounds.MESSAGE));
        }
        if (errors.isEmpty() && from != null && to != null && to.isBefore(from)) {
            errors.add(new Problem.FieldError("to", "must not be before from"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        ReportViews.Snapshot snapshot = service.freeze(from, to, caller.username());
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
