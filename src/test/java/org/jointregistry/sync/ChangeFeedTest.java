package org.jointregistry.sync;

import static org.hamcrest.Matchers.equalTo;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jointregistry.support.Contract;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** GET /incidents/changes: a mirror that follows it ends with exactly the current incidents. */
@QuarkusTest
class ChangeFeedTest {

    private static final String ORG = "refugee-womens-centre";
    private static final String CHANGES = INCIDENTS + "/changes";

    /** A partner tool's mirror: id → version of the live incidents it has been told about. */
    private static final class Mirror {
        final Map<String, Integer> incidents = new HashMap<>();
        String cursor;

        /** Reads one page and applies it; returns how many items it had. */
        int follow(String token, int limit) {
            var request = as(token).queryParam("limit", limit);
            if (cursor != null) {
                request.queryParam("since", cursor);
            }
            JsonPath page = request.get(CHANGES).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            for (Map<String, Object> item : items) {
                if (Boolean.TRUE.equals(item.get("deleted"))) {
                    incidents.remove((String) item.get("id"));
                } else {
                    incidents.put((String) item.get("id"), (Integer) item.get("version"));
                }
            }
            cursor = page.getString("nextCursor");
            assertTrue(cursor != null && !cursor.isEmpty());
            return items.size();
        }

        void catchUp(String token) {
            while (follow(token, 500) > 0) {
                // next page
            }
        }
    }

    /** The live incidents as the list shows them: id → version. */
    private static Map<String, Integer> current(String token) {
        Map<String, Integer> live = new HashMap<>();
        String cursor = null;
        do {
            var request = as(token).queryParam("limit", 500);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get(INCIDENTS).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            items.forEach(item -> live.put((String) item.get("id"), (Integer) item.get("version")));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return live;
    }

    @Test
    void aMirrorPagingWhileOthersWriteEndsWithTheCurrentSet() throws Exception {
        String reporter = Tokens.reporter(ORG);
        String coordinator = Tokens.coordinator(ORG);
        Mirror mirror = new Mirror();
        mirror.catchUp(reporter);

        String commune = unique("Feed");
        ExecutorService writers = Executors.newFixedThreadPool(3);
        List<Future<?>> writing = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            writing.add(writers.submit(() -> {
                for (int i = 0; i < 8; i++) {
                    String id = createIncident(reporter, incident(commune));
                    if (i % 2 == 0) {
                        as(reporter).header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                                .body(Map.of("officerCount", i)).patch(INCIDENTS + "/" + id).then().statusCode(200);
                    }
                    if (i % 3 == 0) {
                        as(coordinator).delete(INCIDENTS + "/" + id).then().statusCode(204);
                    }
                }
            }));
        }
        // Page with a small limit while the writers run.
        while (writing.stream().anyMatch(f -> !f.isDone())) {
            mirror.follow(reporter, 3);
        }
        for (Future<?> done : writing) {
            done.get();
        }
        writers.shutdown();

        while (mirror.follow(reporter, 3) > 0) {
            // the pages written after the writers' last check
        }
        assertEquals(current(reporter), mirror.incidents);
        // 24 created by the writers, 9 of them deleted.
        assertEquals(15, as(reporter).queryParam("commune", commune).get(INCIDENTS).then().statusCode(200)
                .extract().jsonPath().getList("items").size());
    }

    @Test
    void aLaterWriterWaitsForTheEarlierOneSoNoChangeIsSkipped() throws Exception {
        String reporter = Tokens.reporter(ORG);
        Mirror mirror = new Mirror();
        mirror.catchUp(reporter);
        UUID early = UUID.randomUUID();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection db = Db.app()) {
            db.setAutoCommit(false);
            // An earlier transaction writes an incident and its revision, and stays open.
            db.createStatement().execute("SELECT set_config('app.organization', '" + ORG + "', true)");
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO incident (organization, id, "
                    + "occurred_at, occurred_offset_secs, categories, status, created_by, updated_by) VALUES "
                    + "(?, ?, now(), 0, '{fine}', 'submitted', 'test', 'test')")) {
                insert.setString(1, ORG);
                insert.setObject(2, early);
                insert.executeUpdate();
            }
            try (PreparedStatement revision = db.prepareStatement("INSERT INTO incident_revision (organization, "
                    + "incident_id, revision, by, action) VALUES (?, ?, 1, 'test', 'create')")) {
                revision.setString(1, ORG);
                revision.setObject(2, early);
                revision.executeUpdate();
            }
            Future<String> later = pool.submit(() -> createIncident(reporter, incident(unique("Later"))));
            assertTrue(waitsForChangeOrder(later), "the later writer queues on the organisation's change-order lock");
            assertFalse(later.isDone(), "the later writer waits for the earlier one to commit");
            assertEquals(0, mirror.follow(reporter, 100), "nothing is served while they are in flight");

            db.commit();
            String laterId = later.get();
            mirror.follow(reporter, 100);
            assertTrue(mirror.incidents.containsKey(early.toString()), "the earlier change is not skipped");
            assertTrue(mirror.incidents.containsKey(laterId));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Whether a transaction of this database queues, not granted, on the
     * organisation's change-order advisory lock (see incident.ChangeOrder):
     * observed in pg_locks, polled until it shows or {@code writer} ends.
     */
    private static boolean waitsForChangeOrder(Future<?> writer) throws Exception {
        try (Connection db = Db.admin(); PreparedStatement waiting = db.prepareStatement("SELECT count(*) "
                + "FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1 "
                + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                + "AND (classid::bigint << 32 | objid::bigint) = hashtextextended('incident_change:' || ?, 0)")) {
            waiting.setString(1, ORG);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!writer.isDone() && System.nanoTime() < deadline) {
                try (ResultSet count = waiting.executeQuery()) {
                    if (count.next() && count.getLong(1) > 0) {
                        return true;
                    }
                }
                Thread.sleep(20); // the poll interval; nothing is asserted on time
            }
            return false;
        }
    }

    @Test
    void aDeletedIncidentIsATombstone() {
        String reporter = Tokens.reporter(ORG);
        Mirror mirror = new Mirror();
        mirror.catchUp(reporter);
        String externalId = unique("tomb");
        Map<String, Object> body = incident(unique("Tomb"));
        body.put("externalId", externalId);
        String id = createIncident(reporter, body);
        as(Tokens.coordinator(ORG)).delete(INCIDENTS + "/" + id).then().statusCode(204);

        JsonPath page = as(reporter).queryParam("since", mirror.cursor).get(CHANGES).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(Map.of("kind", "tombstone", "id", id, "externalId", externalId, "deleted", true)), page.getList("items"));
    }

    @Test
    void aPageOfIncidentsAndTombstonesMatchesTheContract() {
        String reporter = Tokens.reporter(ORG);
        Mirror mirror = new Mirror();
        mirror.catchUp(reporter);
        createIncident(reporter, incident(unique("Live")));
        String deleted = createIncident(reporter, incident(unique("Tomb")));
        as(Tokens.coordinator(ORG)).delete(INCIDENTS + "/" + deleted).then().statusCode(204);

        String page = as(reporter).queryParam("since", mirror.cursor).get(CHANGES).then().statusCode(200)
                .extract().asString();
        Contract.Operation changes = Contract.load().operations().stream()
                .filter(o -> o.key().equals("GET /api/v1/incidents/changes")).findFirst().orElseThrow();
        // Each item must match exactly one of the contract's Change schemas (oneOf: Incident, Tombstone).
        assertEquals(List.of(), changes.responseViolations(200, "application/json", page), page);
    }

    @Test
    void aTamperedOrForeignCursorIs400() {
        String reporter = Tokens.reporter(ORG);
        String cursor = as(reporter).queryParam("limit", 1).get(CHANGES).then().statusCode(200)
                .extract().path("nextCursor");
        String[] parts = cursor.split("\\.");
        String forgedPosition = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("c1:999999999".getBytes()) + "." + parts[1];

        for (String bad : List.of(forgedPosition, cursor + "x", "not-a-cursor")) {
            as(reporter).queryParam("since", bad).get(CHANGES).then().statusCode(400)
                    .body("type", equalTo("/problems/invalid-parameter"))
                    .body("errors[0].field", equalTo("since"));
        }
        as(Tokens.reporter("utopia-56")).queryParam("since", cursor).get(CHANGES).then().statusCode(400);
        as(reporter).queryParam("since", cursor).get(CHANGES).then().statusCode(200);
        as(reporter).queryParam("limit", 501).get(CHANGES).then().statusCode(400);
    }
}
