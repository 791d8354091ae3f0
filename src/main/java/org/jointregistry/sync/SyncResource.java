package org.jointregistry.sync;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.SystemException;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
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
import org.jointregistry.common.Bodies;
import org.jointregistry.common.ETags.IfMatch;
import org.jointregistry.common.ETags;
import org.jointregistry.common.Parameters;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.incident.Idempotency;
import org.jointregistry.incident.IncidentChanges;
import org.jointregistry.incident.IncidentFilter;
import org.jointregistry.incident.IncidentInput;
import org.jointregistry.incident.IncidentService.Upserted;
import org.jointregistry.incident.IncidentService;
import org.jointregistry.incident.IncidentView;
import org.jointregistry.limits.Expensive;
import org.jointregistry.tenant.Roles;
import org.jointregistry.tenant.TenantContext;

/** What partner tools sync with: upsert by their own id, change feed, batch, CSV import and export. */
@Path("/api/v1/incidents")
@Tag(name = "Sync", description = "For partner tools that mirror or feed the registry: upsert by the partner's own "
        + "id, change feed, batch create, CSV import and export. All within the caller's organisation.")
@RolesAllowed({ Roles.REPORTER, Roles.COORDINATOR })
public class SyncResource {

    static final int BATCH_MAX = 1000;
    static final int CHANGES_DEFAULT_LIMIT = 100;
    static final String CSV = "text/csv";

    @Inject
    IncidentService incidents;

    @Inject
    IncidentChanges changes;

    @Inject
    ChangeCursors cursors;

    @Inject
    Idempotency idempotency;

    @Inject
    IncidentImport sheets;

    @Inject
    IncidentExport export;

    @Inject
    TenantContext tenant;

    @PUT
    @Path("external/{externalId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace an incident by your own id", description = "The natural sync call: "
            + "creates the incident with this externalId (201) or replaces the live one (200, every writable field, "
            + "as PUT /incidents/{id}). If-Match is optional here; when sent, it must name the current version "
            + "(412 otherwise, and when there is nothing to replace). The body's externalId may be left out; if "
            + "present it must equal the path's. Repeating the same PUT changes nothing: same version, no new "
            + "revision, no change-feed entry.")
    @APIResponse(responseCode = "200", description = "Replaced (or unchanged).",
            content = @Content(schema = @Schema(implementation = IncidentView.class)),
            headers = @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "201", description = "Created.",
            content = @Content(schema = @Schema(implementation = IncidentView.class)),
            headers = { @Header(name = HttpHeaders.LOCATION, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.ETAG, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "422", ref = "ValidationFailed")
    public Response upsert(
            @Parameter(schema = @Schema(type = SchemaType.STRING, maxLength = IncidentInput.EXTERNAL_ID_MAX))
            @PathParam("externalId") String externalId,
            @Parameter(description = "ETag of the version being replaced (optional).")
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            IncidentInput body, @Context UriInfo uri) {
        // Checked before the service looks the id up: a NUL byte in it would fail the query (a 500).
        Parameters parameters = Parameters.query();
        String id = parameters.exact("externalId", externalId);
        parameters.throwIfInvalid();
        Upserted result = incidents.upsert(id, IfMatch.optional(ifMatch), Bodies.required(body));
        IncidentView incident = result.incident();
        Response.ResponseBuilder response = result.created()
                ? Response.created(uri.getBaseUriBuilder().path("api/v1/incidents").path(incident.id().toString())
                        .build())
                : Response.ok();
        return response.entity(incident).header(HttpHeaders.ETAG, ETags.of(incident.version())).build();
    }

    @GET
    @Path("changes")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change feed", description = "Every incident created, updated or deleted since the "
            + "cursor, oldest change first, each incident once per page in its current state. Start without "
            + "`since`, then pass each page's `nextCursor`; follow it until `items` is empty, and later resume from "
            + "the last cursor. A client that applies every page ends with exactly the organisation's current "
            + "incidents, even while others write: a change gets its number once committed, so a change committed "
            + "later never lands before a cursor already handed out. Cursors are opaque, signed and bound to your "
            + "organisation: a changed or foreign cursor answers 400.")
    @APIResponse(responseCode = "200", description = "One page of changes.",
            content = @Content(schema = @Schema(implementation = ChangesPage.class)))
    public ChangesPage changes(
            @Parameter(description = "`nextCursor` of the previous page; left out, the feed starts at the "
                    + "beginning.") @QueryParam("since") String since,
            @Parameter(description = "Changes per page, 1 to 500 (default 100).", schema = @Schema(
                    type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "" + IncidentFilter.MAX_LIMIT,
                    defaultValue = "" + CHANGES_DEFAULT_LIMIT))
            @QueryParam("limit") String limit) {
        Parameters parameters = Parameters.query();
        int size = parameters.integer("limit", limit, 1, IncidentFilter.MAX_LIMIT, CHANGES_DEFAULT_LIMIT);
        IncidentChanges.Position position = parameters.opaque("since", since, cursors::read,
                "is not a cursor the change feed gave your organisation").orElse(IncidentChanges.Position.START);
        parameters.throwIfInvalid();
        IncidentChanges.Page page = changes.since(position, size);
        return new ChangesPage(page.items(), cursors.encode(page.last()));
    }

    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record up to 1,000 incidents at once", description = "All or nothing, in one "
            + "transaction: any invalid item answers 422 listing every error with its item's index "
            + "(`[5].categories[0]`), and nothing is written; an externalId repeated or already used answers 409 "
            + "the same way. More than 1,000 items answer 413. Honours Idempotency-Key like POST /incidents.")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = IncidentInput.class,
            maxItems = BATCH_MAX)))
    @APIResponse(responseCode = "201", description = "All created.",
            content = @Content(schema = @Schema(implementation = BatchResult.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", description = "More than 1,000 items.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", ref = "ValidationFailed")
    public Response batch(
            @Parameter(name = Idempotency.HEADER, in = ParameterIn.HEADER, description = Idempotency.DESCRIPTION,
                    schema = @Schema(type = SchemaType.STRING, maxLength = Idempotency.KEY_MAX))
            @HeaderParam(Idempotency.HEADER) String key,
            List<IncidentInput> body) {
        List<IncidentInput> items = Bodies.required(body);
        if (items.size() > BATCH_MAX) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "A batch holds at most " + BATCH_MAX
                    + " incidents; this one has " + items.size() + ": split it.");
        }
        return idempotency.respond(key, "POST /incidents/batch", items, () -> new Idempotency.Created(201, null,
                null, new BatchResult(incidents.createAll(items).stream().map(IncidentView::id).toList())));
    }

    @POST
    @Path("import")
    @Consumes(CSV)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a CSV sheet", description = "One incident per row, all rows or none, in one "
            + "transaction. UTF-8 with or without byte order mark; comma or semicolon separated (detected from "
            + "the header row); RFC 4180 quoting, line breaks allowed inside quoted cells. The header row names "
            + "the columns, in any order, case-insensitive: externalId, occurredAt, commune, site, latitude, "
            + "longitude, categories, forces, officerCount, volunteers, description, complaintStatus, complaintBody, "
            + "complaintFiledOn, complaintReference, status (occurredAt and categories required; an unknown column "
            + "answers 422 with the allowed ones). Multi-valued cells (categories, forces, volunteers) separate "
            + "values with `|`; volunteers are named by pseudonym; occurredAt is ISO 8601 "
            + "(2018-03-14T18:30:00+01:00) or dd/MM/yyyy HH:mm in Europe/Paris time; complaintFiledOn is "
            + "2018-03-20 or 20/03/2018; a decimal comma is accepted. A leading apostrophe in a text cell is "
            + "removed (the export's formula escape). A row with an externalId creates or replaces that incident; "
            + "one without creates one. Errors name the row, counting the header as row 1 (a quoted multi-line "
            + "cell stays one row), and the column: `[5].categories[1]`. At most 10,000 rows.")
    // Text, not `format: binary`: CSV is UTF-8 text, and the Java client generated for a binary body serialises
    // the File it takes as JSON; a string body is sent as it is by every generator partners use.
    @RequestBody(content = @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "200", description = "Imported (or, with dryRun, would import).",
            content = @Content(schema = @Schema(implementation = ImportResult.class)))
    @APIResponse(responseCode = "400", description = "Not UTF-8, not well-formed CSV, or empty.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", description = "More than 10,000 rows.",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", ref = "ValidationFailed")
    public ImportResult importSheet(
            @Parameter(description = "Validate everything, write nothing: true or false (default).",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @QueryParam("dryRun") String dryRun,
            byte[] body) throws SystemException {
        Parameters parameters = Parameters.query();
        boolean validateOnly = parameters.flag("dryRun", dryRun, false);
        parameters.throwIfInvalid();
        return sheets.run(body == null ? new byte[0] : body, validateOnly);
    }

    @GET
    @Path("export")
    @Produces(CSV)
    @Operation(summary = "Export as a CSV sheet", description = "The incidents the same filters as the list select, "
            + "in the list's order, streamed: UTF-8 without byte order mark, comma-separated, CRLF, the import's "
            + "columns, so the file re-imports to the same incidents. Text cells starting with =, +, -, @, tab, "
            + "CR or an apostrophe are prefixed with an apostrophe, so that spreadsheets do not run them as "
            + "formulas; the import removes it again. Number cells are never prefixed.")
    @APIResponse(responseCode = "200", description = "The sheet.",
            content = @Content(mediaType = CSV))
    @Expensive
    public Response exportSheet(
            @Parameter(ref = Parameters.FROM) @QueryParam("from") String from,
            @Parameter(ref = Parameters.TO) @QueryParam("to") String to,
            @Parameter(description = "As in the list; repeatable.") @QueryParam("category") List<String> category,
            @Parameter(description = "As in the list; repeatable.") @QueryParam("status") List<String> status,
            @Parameter(description = "As in the list; repeatable.") @QueryParam("commune") List<String> commune,
            @Parameter(description = "As in the list; repeatable.") @QueryParam("force") List<String> force) {
        IncidentFilter filter = IncidentFilter.parse(from, to, category, status, commune, force, null, null);
        tenant.organization(); // a token without a usable organisation fails here, before streaming starts
        StreamingOutput sheet = out -> export.write(filter, out);
        return Response.ok(sheet, CSV + ";charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"incidents.csv\"").build();
    }
}
