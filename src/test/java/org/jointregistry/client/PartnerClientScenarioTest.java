package org.jointregistry.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jointregistry.client.api.AggregatesApi;
import org.jointregistry.client.api.IncidentsApi;
import org.jointregistry.client.api.ReportsApi;
import org.jointregistry.client.api.SharedEventsApi;
import org.jointregistry.client.api.SyncApi;
import org.jointregistry.client.api.VolunteersApi;
import org.jointregistry.client.model.BatchResult;
import org.jointregistry.client.model.Category;
import org.jointregistry.client.model.Change;
import org.jointregistry.client.model.ChangesPage;
import org.jointregistry.client.model.Counts;
import org.jointregistry.client.model.FieldChange;
import org.jointregistry.client.model.Gender;
import org.jointregistry.client.model.History;
import org.jointregistry.client.model.ImportResult;
import org.jointregistry.client.model.Incident;
import org.jointregistry.client.model.IncidentInput;
import org.jointregistry.client.model.IncidentPage;
import org.jointregistry.client.model.IncidentPatch;
import org.jointregistry.client.model.IncidentStatus;
import org.jointregistry.client.model.JointReport;
import org.jointregistry.client.model.LinkCode;
import org.jointregistry.client.model.LinkCodeRedemption;
import org.jointregistry.client.model.Location;
import org.jointregistry.client.model.PoliceForce;
import org.jointregistry.client.model.Problem;
import org.jointregistry.client.model.RevisionAction;
import org.jointregistry.client.model.SharedEvent;
import org.jointregistry.client.model.Snapshot;
import org.jointregistry.client.model.SnapshotRequest;
import org.jointregistry.client.model.SnapshotVerification;
import org.jointregistry.client.model.Summary;
import org.jointregistry.client.model.Timeseries;
import org.jointregistry.client.model.Tombstone;
import org.jointregistry.client.model.Volunteer;
import org.jointregistry.client.model.VolunteerInput;
import org.jointregistry.support.Api;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * A partner's integration, written as a partner would write it: only the Java
 * client generated from the committed contract (target/generated-clients/java,
 * by the openapi-generator-maven-plugin), against the real service, Keycloak
 * tokens and PostgreSQL. No request here is written by hand; what fails to
 * generate, compile or deserialise fails this test.
 */
@QuarkusTest
class PartnerClientScenarioTest {

    private static final String ORG = "refugee-info-bus";

    @TestHTTPResource("/")
    URI server;

    /** The one piece of set-up a partner writes: base URI and bearer token. */
    private ApiClient client(String token) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(server.toString().replaceAll("/$", ""));
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    private static IncidentInput input(String commune, String externalId, UUID volunteer) {
        return new IncidentInput()
                .externalId(externalId)
                .occurredAt(OffsetDateTime.parse("2018-03-14T18:30:00+01:00"))
                .location(new Location().commune(commune).site("quai"))
                .categories(List.of(Category.IDENTITY_CHECK, Category.BODY_SEARCH))
                .forces(List.of(PoliceForce.CRS))
                .officerCount(4)
                .volunteerIds(volunteer == null ? null : List.of(volunteer))
                .description("Stopped and searched on the quay.");
    }

    private static String header(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    @Test
    void aPartnerToolDoesItsWholeJobThroughTheGeneratedClient() throws ApiException, IOException {
        ApiClient reporter = client(Tokens.reporter(ORG));
        ApiClient coordinator = client(Tokens.coordinator(ORG));
        ApiClient syncClient = client(Tokens.syncClient(ORG));
        IncidentsApi incidents = new IncidentsApi(reporter);
        SyncApi sync = new SyncApi(reporter);
        String commune = Api.unique("Gravelines");

        // The change feed, caught up before anything of this scenario is written.
        String cursor = null;
        ChangesPage feed;
        do {
            feed = sync.changesSync(500, cursor, null);
            cursor = feed.getNextCursor();
        } while (!feed.getItems().isEmpty());

        Volunteer volunteer = new VolunteersApi(coordinator).createVolunteer(
                new VolunteerInput().pseudonym(Api.unique("Kite")).gender(Gender.FEMALE).nationality("GB"), null);
        assertNotNull(volunteer.getId());

        // Create with an Idempotency-Key, and retry it: one incident.
        String key = UUID.randomUUID().toString();
        ApiResponse<Incident> created = incidents.createIncidentWithHttpInfo(
                input(commune, null, volunteer.getId()), key, null);
        assertEquals(201, created.getStatusCode());
        Incident incident = created.getData();
        assertEquals("\"1\"", header(created.getHeaders(), "ETag"));
        assertEquals(List.of(volunteer.getId()), incident.getVolunteerIds());
        ApiResponse<Incident> replayed = incidents.createIncidentWithHttpInfo(
                input(commune, null, volunteer.getId()), key, null);
        assertEquals(incident.getId(), replayed.getData().getId());
        assertEquals("true", header(replayed.getHeaders(), "Idempotent-Replayed"));

        // Conditional GET: the generated client reports a 304 as an ApiException with that code.
        ApiResponse<Incident> read = incidents.getIncidentWithHttpInfo(incident.getId(), null, null);
        String etag = header(read.getHeaders(), "ETag");
        ApiException notModified = assertThrows(ApiException.class,
                () -> incidents.getIncident(incident.getId(), etag, null));
        assertEquals(304, notModified.getCode());

        // PUT and merge patch, each with If-Match; the patch sends only what it sets.
        Incident replaced = incidents.replaceIncident(incident.getId(), etag,
                input(commune, null, volunteer.getId()).officerCount(6), null);
        assertEquals(2, replaced.getVersion());
        assertEquals(6, replaced.getOfficerCount());
        Incident patched = incidents.patchIncident(incident.getId(), "\"2\"",
                new IncidentPatch().status(IncidentStatus.VERIFIED), null);
        assertEquals(IncidentStatus.VERIFIED, patched.getStatus());
        assertEquals(6, patched.getOfficerCount());
        assertEquals(replaced.getCategories(), patched.getCategories());
        Incident cleared = incidents.patchIncident(incident.getId(), "\"3\"",
                new IncidentPatch().officerCount(null), null);
        assertNull(cleared.getOfficerCount());
        assertEquals(IncidentStatus.VERIFIED, cleared.getStatus());
        ApiException stale = assertThrows(ApiException.class, () -> incidents.patchIncident(incident.getId(),
                "\"1\"", new IncidentPatch().status(IncidentStatus.SUBMITTED), null));
        assertEquals(412, stale.getCode());

        // History: create, update, update, update, with old and new values.
        History history = incidents.getIncidentHistory(incident.getId(), null);
        assertEquals(List.of(RevisionAction.CREATE, RevisionAction.UPDATE, RevisionAction.UPDATE,
                RevisionAction.UPDATE), history.getItems().stream().map(r -> r.getAction()).toList());
        FieldChange officers = history.getItems().get(1).getChanges().stream()
                .filter(c -> c.getField().equals("officerCount")).findFirst().orElseThrow();
        assertEquals(4, ((Number) officers.getFrom()).intValue());
        assertEquals(6, ((Number) officers.getTo()).intValue());

        // Upsert by the partner's own id: created by a user, replaced by the sync service account.
        String externalId = Api.unique("RIB");
        ApiResponse<Incident> upserted = sync.upsertSyncWithHttpInfo(externalId,
                input(commune, null, null), null, null);
        assertEquals(201, upserted.getStatusCode());
        ApiResponse<Incident> resynced = new SyncApi(syncClient).upsertSyncWithHttpInfo(externalId,
                input(commune, externalId, null).officerCount(2), null, null);
        assertEquals(200, resynced.getStatusCode());
        assertEquals(upserted.getData().getId(), resynced.getData().getId());
        assertEquals(2, resynced.getData().getVersion());

        // Batch: all created, in order.
        BatchResult batch = sync.batchSync(List.of(input(commune, null, null), input(commune, null, null)),
                UUID.randomUUID().toString(), null);
        assertEquals(2, batch.getIds().size());

        // The list, filtered and paged by nextCursor: every incident of the commune exactly once.
        Set<UUID> expected = new HashSet<>(List.of(incident.getId(), upserted.getData().getId()));
        expected.addAll(batch.getIds());
        List<UUID> listed = new ArrayList<>();
        String page = null;
        do {
            IncidentPage one = incidents.listIncidents(List.of("identity_check"), List.of(commune), page, null, 3,
                    null, "2018-01-01", "2018-12-31", null);
            assertTrue(one.getItems().size() <= 3);
            one.getItems().forEach(i -> listed.add(i.getId()));
            page = one.getNextCursor();
        } while (page != null);
        assertEquals(expected.size(), listed.size(), listed.toString());
        assertEquals(expected, new HashSet<>(listed));

        // The problem body of a 422, read as the contract's Problem.
        ApiException invalid = assertThrows(ApiException.class,
                () -> incidents.createIncident(input(commune, null, null).categories(List.of()), null, null));
        assertEquals(422, invalid.getCode());
        Problem problem = reporter.getObjectMapper().readValue(invalid.getResponseBody(), Problem.class);
        assertEquals("/problems/validation-failed", problem.getType());
        assertEquals(422, problem.getStatus());
        assertEquals(List.of("categories"), problem.getErrors().stream().map(e -> e.getField()).toList());

        // CSV export of the commune, and a sheet imported (dry run, then for real).
        List<String> sheet = Files.readAllLines(sync.exportSheetSync(null, List.of(commune), null, null, null, null,
                null).toPath(), StandardCharsets.UTF_8);
        assertTrue(sheet.get(0).startsWith("externalId,occurredAt,commune"), sheet.get(0));
        assertEquals(expected.size(), sheet.size() - 1, String.join("\n", sheet));
        String importId = Api.unique("RIB-CSV");
        String csv = "externalId,occurredAt,commune,categories,forces,officerCount\r\n"
                + importId + ",14/03/2018 18:30," + commune + ",identity_check|fine,crs,3\r\n";
        ImportResult dryRun = sync.importSheetSync(csv, true, null);
        assertEquals(true, dryRun.getDryRun());
        assertEquals(1, dryRun.getCreated());
        ImportResult imported = sync.importSheetSync(csv, false, null);
        assertEquals(1, imported.getCreated());
        assertEquals(0, imported.getReplaced());
        expected.addAll(imported.getIds());

        // Delete (a coordinator), then the change feed: the scenario's incidents and one tombstone.
        new IncidentsApi(coordinator).deleteIncident(batch.getIds().get(0), null, null);
        ApiException gone = assertThrows(ApiException.class,
                () -> incidents.getIncident(batch.getIds().get(0), null, null));
        assertEquals(404, gone.getCode());
        // A mirror applies the pages in order, keyed by id: an incident may come again on a later page.
        Map<UUID, Incident> live = new HashMap<>();
        Map<UUID, Tombstone> tombstones = new HashMap<>();
        do {
            feed = sync.changesSync(2, cursor, null);
            for (Change change : feed.getItems()) {
                if (change.getActualInstance() instanceof Tombstone tombstone) {
                    live.remove(tombstone.getId());
                    tombstones.put(tombstone.getId(), tombstone);
                } else {
                    Incident item = assertInstanceOf(Incident.class, change.getActualInstance());
                    tombstones.remove(item.getId());
                    live.put(item.getId(), item);
                }
            }
            cursor = feed.getNextCursor();
        } while (!feed.getItems().isEmpty());
        assertEquals(Set.of(batch.getIds().get(0)), tombstones.keySet());
        assertTrue(tombstones.get(batch.getIds().get(0)).getDeleted());
        Set<UUID> expectedLive = new HashSet<>(expected);
        expectedLive.remove(batch.getIds().get(0));
        assertEquals(expectedLive, live.keySet());

        // Every aggregate endpoint, the joint report, a snapshot and its verification, as an analyst.
        ApiClient analyst = client(Tokens.analyst());
        AggregatesApi aggregates = new AggregatesApi(analyst);
        Summary summary = aggregates.summaryAggregate(null, null, List.of(commune), null, null, null, null, null,
                null);
        assertEquals((long) expectedLive.size(), summary.getIncidents());
        Counts counts = aggregates.countsAggregate(List.of("category"), null, null, List.of(commune), null,
                null, null, null, null, null);
        assertEquals((long) expectedLive.size(), counts.getTotal().getIncidents());
        assertFalse(counts.getRows().isEmpty());
        Timeseries months = aggregates.timeseriesAggregate(null, null, List.of(commune), null, "month", null,
                null, null, null, null);
        // One month; its row names a single volunteer, so it is suppressed, and the total stays exact.
        assertEquals(1, months.getRows().size());
        assertEquals((long) expectedLive.size(), months.getTotal().getIncidents());
        ReportsApi reports = new ReportsApi(analyst);
        JointReport joint = reports.jointReport(null, "2018-01-01", "2018-12-31", null);
        assertNotNull(joint.getSummary());
        Snapshot snapshot = reports.freezeReport(new SnapshotRequest().from("2018-01-01").to("2018-12-31"),
                null);
        assertEquals(snapshot.getSha256(), reports.getReport(snapshot.getId(), null, null).getSha256());
        SnapshotVerification verification = reports.verifyReport(snapshot.getId(), null);
        assertTrue(verification.getValid());
        assertEquals(snapshot.getSha256(), verification.getRecomputedSha256());
        assertTrue(reports.listReport(null).getItems().stream().anyMatch(s -> s.getId().equals(snapshot.getId())));

        // A shared event (contract §8): this partner's coordinator issues a code for its report of an
        // occurrence; another partner's coordinator redeems it on its own report; each reads the event,
        // seeing its own report only; the other leaves. The figures count the occurrence once meanwhile.
        String partner = "utopia-56";
        String elsewhere = Api.unique("Loon-Plage");
        Incident theirs = new IncidentsApi(client(Tokens.reporter(partner))).createIncident(
                input(elsewhere, null, null), null, null);
        SharedEventsApi ourEvents = new SharedEventsApi(coordinator);
        SharedEventsApi theirEvents = new SharedEventsApi(client(Tokens.coordinator(partner)));
        LinkCode code = ourEvents.issueLinkCode(incident.getId(), null);
        assertTrue(code.getExpiresAt().isAfter(OffsetDateTime.now()), code.getExpiresAt().toString());
        SharedEvent joined = theirEvents.joinSharedEvent(theirs.getId(), new LinkCodeRedemption().code(code.getCode()),
                null);
        assertEquals(List.of(ORG, partner), joined.getOrganizations());
        assertEquals(2L, joined.getReports());
        assertEquals(List.of(theirs.getId()), joined.getOwnIncidentIds());
        SharedEvent seen = ourEvents.getSharedEvent(incident.getId(), null);
        assertEquals(joined.getId(), seen.getId());
        assertEquals(List.of(incident.getId()), seen.getOwnIncidentIds());
        assertEquals(joined.getId(), incidents.getIncident(incident.getId(), null, null).getEventId());
        Summary both = aggregates.summaryAggregate(null, null, List.of(commune, elsewhere), null, null, null, null,
                null, null);
        assertEquals(expectedLive.size() + 1L, both.getIncidents());
        assertEquals((long) expectedLive.size(), both.getEvents());
        assertEquals(1L, both.getSharedEvents());
        theirEvents.leaveSharedEvent(theirs.getId(), null);
        ApiException left = assertThrows(ApiException.class, () -> theirEvents.getSharedEvent(theirs.getId(), null));
        assertEquals(404, left.getCode());
        SharedEvent after = ourEvents.getSharedEvent(incident.getId(), null);
        assertEquals(List.of(ORG), after.getOrganizations());
        assertEquals(1L, after.getReports());
        Summary apart = aggregates.summaryAggregate(null, null, List.of(commune, elsewhere), null, null, null, null,
                null, null);
        assertEquals(expectedLive.size() + 1L, apart.getEvents());
        assertEquals(0L, apart.getSharedEvents());
    }
}
