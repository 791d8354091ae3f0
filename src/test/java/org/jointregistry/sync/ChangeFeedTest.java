package org.jointregistry.sync;

import static org.hamcrest.Matchers.equalTo;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jointregistry.support.Contract;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** GET /incidents/changes: a mirror that follows it ends with exactly the current incidents. */
@QuarkusTest
class ChangeFeedTest {

    private static final String ORG = "refugee-womens-centre";
    private static final String CHANGES = INCIDENTS + "/changes";
    private static final int CLIENTS = 16;
    private static final int WRITES_PER_CLIENT = 6;

    /** A partner tool's mirror: id → version of the live incidents it has been told about. */
    private static final class Mirror {
        final Map<String, Integer> incidents = new HashMap<>();
        /** How many times each incident has been in a page. */
        final Map<String, Integer> served = new HashMap<>();
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
                served.merge((String) item.get("id"), 1, Integer::sum);
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

    /**
     * Sixteen clients create incidents through the service while a reader
     * follows the feed, and a seventeenth write, begun before all of them,
     * has inserted its revision and is held open on row locks this test takes
     * until they have all committed. The reader is served each of the
     * sixteen clients' changes exactly once while that write is still open
     * (no change waits for an older transaction, and no writer for another's
     * commit), then the held change exactly once after it commits, although
     * positions beyond the reader's cursor were handed out before it did.
     */
    @Test
    void concurrentWritersAndOneHeldOpenAreEachServedOnce() throws Exception {
        String reporter = Tokens.reporter(ORG);
        String coordinator = Tokens.coordinator(ORG);
        Map<String, Object> first = incident(unique("Held"));
        first.put("volunteerIds", List.of(createVolunteer(coordinator, unique("held"))));
        String held = createIncident(reporter, first);
        List<String> clientVolunteers = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clientVolunteers.add(createVolunteer(coordinator, unique("client")));
        }
        Mirror mirror = new Mirror();
        mirror.catchUp(reporter);
        mirror.served.clear();

        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        try (Connection lock = Db.admin(); Connection observer = Db.admin()) {
            lock.setAutoCommit(false);
            // The held write's rollup upkeep will wait on its volunteer's membership rows.
            assertTrue(scalar(lock, "SELECT count(*) FROM (SELECT FROM aggregate_rollup_member m JOIN "
                    + "incident_volunteer v ON v.organization = m.organization AND v.volunteer_id = m.volunteer_id "
                    + "WHERE v.organization = '" + ORG + "' AND v.incident_id = '" + held + "' FOR UPDATE OF m) x")
                    > 0, "the held incident's volunteer has membership rows to lock");
            long lockPid = scalar(lock, "SELECT pg_backend_pid()");
            // A counted field changes, so the patch's upkeep touches those rows (after its revision's insert).
            Future<?> heldWrite = pool.submit(() -> as(reporter).header("If-Match", "\"1\"")
                    .contentType("application/merge-patch+json").body(Map.of("categories", List.of("body_search")))
                    .patch(INCIDENTS + "/" + held).then().statusCode(200));
            assertTrue(waitsOnLocksOf(observer, lockPid, heldWrite), "the held write waits on this test's lock");
            assertEquals(1, scalar(observer, "SELECT count(*) FROM pg_locks l WHERE l.granted "
                    + "AND l.relation = 'incident_revision'::regclass AND l.mode = 'RowExclusiveLock' "
                    + "AND l.pid IN (SELECT pid FROM pg_stat_activity WHERE " + lockPid + " = ANY (pg_blocking_pids(pid)))"),
                    "the held write has inserted its revision");

            List<Future<List<String>>> clients = new ArrayList<>();
            for (String volunteer : clientVolunteers) {
                clients.add(pool.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < WRITES_PER_CLIENT; i++) {
                        Map<String, Object> body = incident(unique("Client"));
                        body.put("volunteerIds", List.of(volunteer));
                        ids.add(createIncident(reporter, body));
                    }
                    return ids;
                }));
            }
            // Follow with a small page while the clients write. Bounded, so that clients queued behind the
            // held write (as under the former change-order lock) fail the test instead of hanging it.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (clients.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
                mirror.follow(reporter, 7);
            }
            List<String> written = new ArrayList<>();
            for (Future<List<String>> client : clients) {
                written.addAll(client.get(1, TimeUnit.SECONDS));
            }
            while (mirror.follow(reporter, 7) > 0) {
                // the changes committed after the clients' last check
            }
            assertEquals(CLIENTS * WRITES_PER_CLIENT, written.size());
            for (String id : written) {
                assertEquals(1, mirror.served.getOrDefault(id, 0), "served once: " + id);
            }
            if (heldWrite.isDone()) {
                heldWrite.get();
            }
            assertFalse(heldWrite.isDone(), "the held write, begun first, is still open after all the others");
            assertFalse(mirror.served.containsKey(held), "an uncommitted change is not served");

            lock.commit();
            heldWrite.get();
            while (mirror.follow(reporter, 7) > 0) {
                // the held change
            }
            assertEquals(1, mirror.served.get(held), "the change committed last is served once, not skipped");
            assertEquals(2, mirror.incidents.get(held));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(current(reporter), mirror.incidents);
    }

    /** The one number {@code sql} answers. */
    private static long scalar(Connection db, String sql) throws Exception {
        try (Statement statement = db.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            assertTrue(result.next());
            return result.getLong(1);
        }
    }

    /**
     * Whether some backend comes to wait on a lock that the backend {@code pid}
     * holds, before {@code writer} ends: polled in pg_stat_activity.
     */
    private static boolean waitsOnLocksOf(Connection observer, long pid, Future<?> writer) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!writer.isDone() && System.nanoTime() < deadline) {
            if (scalar(observer, "SELECT count(*) FROM pg_stat_activity WHERE " + pid
                    + " = ANY (pg_blocking_pids(pid))") > 0) {
                return true;
            }
            Thread.sleep(20); // the poll interval; nothing is asserted on time
        }
        return false;
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
