package org.jointregistry.report;

import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Variant;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jointregistry.common.Parameters;
import org.jointregistry.common.RegistryClock;
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
    RegistryClock clock;

    @Inject
    Caller caller;

    @Inject
    UriInfo uri;

    @Inject
    ReportDocuments documents;

    @Context
    HttpServerResponse vertx;

    /** The representations of a report, JSON first: it is what a client gets unless it asks otherwise. */
    private static final List<Variant> REPRESENTATIONS = Variant.mediaTypes(MediaType.APPLICATION_JSON_TYPE,
            MediaType.TEXT_HTML_TYPE, MediaType.valueOf(ReportDocuments.PDF)).build();

    static final String DOCUMENT_FORMS = " Also served as a printable document: `Accept: text/html` (one page, "
            + "charts as inline SVG, its own Content-Security-Policy) or `Accept: application/pdf`, in English or "
            + "French (`lang`, else `Accept-Language`), with the SHA-256 of the bytes served in `Repr-Digest`.";

    @GET
    @Path("joint")
    @Operation(summary = "The joint report", description = "Summary; by category group and category; by month; "
            + "by organisation, force, commune; by gender, with each category's share of incidents involving women "
            + "beside women's share of all volunteers involved; by nationality; complaint rate and complaints by "
            + "status and body. The rules and k that produced it are inside. Served as canonical JSON (keys sorted, "
            + "no whitespace): the same data always gives the same bytes." + DOCUMENT_FORMS)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, ReportDocuments.PDF })
    @APIResponse(responseCode = "200", description = "The report.", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JointReport.class)),
        @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING, format = "binary")),
        @Content(mediaType = ReportDocuments.PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    public Response joint(
            @QueryParam("from") @Parameter(ref = Parameters.FROM) String from,
            @QueryParam("to") @Parameter(ref = Parameters.TO) String to,
            @QueryParam("lang") @Parameter(description = LANG, example = "fr") String lang,
            @Context HttpHeaders headers, @Context Request request) {
        Parameters parameters = Parameters.query();
        TimeSpan.Days days = parameters.days(from, to);
        ReportLanguage language = ReportLanguage.choose(lang, headers, parameters);
        parameters.throwIfInvalid();
        String document = service.joint(days.first(), days.last());
        MediaType type = request.selectVariant(REPRESENTATIONS).getMediaType();
        if (MediaType.APPLICATION_JSON_TYPE.equals(type)) {
            return Response.ok(document, MediaType.APPLICATION_JSON).build();
        }
        return rendered(type, document, language, null, clock.now(), "joint-report");
    }

    static final String LANG = "Language of the HTML or PDF document: en or fr (default: the first of "
            + "Accept-Language, else en). Codes and figures are the same in both; JSON is not translated.";

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
            + "forever, whatever happens to incidents later. As HTML or PDF, the frozen document with its SHA-256, "
            + "creation time and the commands that check it; the PDF of a snapshot is dated when it was frozen and "
            + "is the same bytes every time." + DOCUMENT_FORMS)
    @Produces({ MediaType.APPLICATION_JSON, MediaType.TEXT_HTML, ReportDocuments.PDF })
    @APIResponse(responseCode = "200", description = "The snapshot.", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON,
                schema = @Schema(implementation = ReportViews.Snapshot.class)),
        @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING, format = "binary")),
        @Content(mediaType = ReportDocuments.PDF, schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    public Response get(@PathParam("id") UUID id,
            @QueryParam("lang") @Parameter(description = LANG, example = "fr") String lang,
            @Context HttpHeaders headers, @Context Request request) {
        Parameters parameters = Parameters.query();
        ReportLanguage language = ReportLanguage.choose(lang, headers, parameters);
        parameters.throwIfInvalid();
        ReportViews.Snapshot snapshot = service.get(id);
        MediaType type = request.selectVariant(REPRESENTATIONS).getMediaType();
        if (MediaType.APPLICATION_JSON_TYPE.equals(type)) {
            return Response.ok(snapshot, MediaType.APPLICATION_JSON).build();
        }
        ReportPage.Snapshot proof = new ReportPage.Snapshot(snapshot.id().toString(), snapshot.sha256(),
                snapshot.createdAt().toString(), verifyCommands(snapshot.id()));
        return rendered(type, snapshot.document(), language, proof, snapshot.createdAt(),
                "joint-report-" + snapshot.id());
    }

    /**
     * The commands a reader runs to check a snapshot: recompute the hash of the
     * document member (the last member of the stored envelope, served byte for
     * byte) and ask the registry to recompute it. $API and $TOKEN as in the README.
     */
    static List<String> verifyCommands(UUID id) {
        return List.of("curl -s -H \"Authorization: Bearer $TOKEN\" \"$API/reports/" + id + "\" | sed -e 's/^.*\"document\"://' -e 's/}$//' | sha256sum",
                "curl -s -H \"Authorization: Bearer $TOKEN\" \"$API/reports/" + id + "/verify\"");
    }

    private Response rendered(MediaType type, String document, ReportLanguage language, ReportPage.Snapshot proof,
            Instant createdAt, String name) {
        boolean html = MediaType.TEXT_HTML_TYPE.equals(type);
        byte[] body = html ? documents.html(document, language, proof).getBytes(StandardCharsets.UTF_8)
                : documents.pdf(document, language, proof, createdAt);
        Response.ResponseBuilder response = Response.ok(body, html ? "text/html; charset=UTF-8" : ReportDocuments.PDF)
                .header("Repr-Digest", ReportDocuments.reprDigest(body))
                .header("Content-Language", language.code())
                .header("Vary", "Accept, Accept-Language");
        if (html) {
            // The service-wide deny-all policy is set on every response before routing; the page replaces it
            // with its own, as strict but for its one stylesheet (two policies would both apply).
            vertx.headers().remove("Content-Security-Policy");
            response.header("Content-Security-Policy", ReportDocuments.CONTENT_SECURITY_POLICY);
        } else {
            response.header("Content-Disposition", "inline; filename=\"" + name + "-" + language.code() + ".pdf\"");
        }
        return response.build();
    }

    @GET
    @Path("{id}/verify")
    @Operation(summary = "Verify a snapshot", description = "Recomputes the SHA-256 of the stored document and "
            + "compares it with the hash stored when it was frozen.")
    public ReportViews.Verification verify(@PathParam("id") UUID id) {
        return service.verify(id);
    }
}
