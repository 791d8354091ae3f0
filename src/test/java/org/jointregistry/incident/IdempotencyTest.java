package org.jointregistry.incident;

import static org.hamcrest.Matchers.equalTo;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** Idempotency-Key on POST /incidents and POST /incidents/batch. */
@QuarkusTest
class IdempotencyTest {

    private static final String ORG = "utopia-56";
    private static final String OTHER = "refugee-info-bus";

    private static long stored(String commune) {
        return ((Number) Db.row("SELECT count(*) AS n FROM incident WHERE commune = ?", commune).orElseThrow()
                .get("n")).longValue();
    }

    private static Response post(String token, String key, Object body) {
        return as(token).header(Idempotency.HEADER, key).body(body).post(INCIDENTS);
    }

    @Test
    void aRetryStormOfTwentyConcurrentRequestsCreatesOneIncident() throws Exception {
        String commune = unique("Storm");
        String key = unique("storm-key");
        String token = Tokens.reporter(ORG);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> post(token, key, incident(commune)));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> response : pool.invokeAll(calls)) {
                responses.add(response.get());
            }
            Response first = responses.get(0);
            for (Response response : responses) {
                assertEquals(201, response.statusCode(), response.asString());
                assertEquals(first.asString(), response.asString());
                assertEquals(first.header("Location"), response.header("Location"));
            }
            assertEquals(19, responses.stream().filter(r -> "true".equals(r.header("Idempotent-Replayed"))).count());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, stored(commune));
    }

    @Test
    void aReplayReturnsTheFirstResponseEvenAfterTheIncidentChanged() {
        String commune = unique("Replay");
        String key = unique("replay-key");
        String token = Tokens.reporter(ORG);
        Response first = post(token, key, incident(commune));
        first.then().statusCode(201);
        assertNull(first.header("Idempotent-Replayed"));
        as(token).header("If-Match", first.header("ETag")).body(Map.of("officerCount", 3))
                .contentType("application/merge-patch+json").patch(first.header("Location")).then().statusCode(200);

        Response replay = post(token, key, incident(commune));
        replay.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.asString(), replay.asString());
        assertEquals(first.header("Location"), replay.header("Location"));
        assertEquals(first.header("ETag"), replay.header("ETag"));
        assertEquals(1, stored(commune));
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndWritesNothing() {
        String commune = unique("Other");
        String key = unique("other-key");
        String token = Tokens.reporter(ORG);
        post(token, key, incident(commune)).then().statusCode(201);
        Map<String, Object> changed = incident(commune);
        changed.put("officerCount", 7);

        post(token, key, changed).then().statusCode(422)
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        assertEquals(1, stored(commune));
    }

    @Test
    void keysArePerOrganisation() {
        String commune = unique("PerOrg");
        String key = unique("shared-key");
        Response mine = post(Tokens.reporter(ORG), key, incident(commune));
        Response theirs = post(Tokens.reporter(OTHER), key, incident(commune));

        mine.then().statusCode(201);
        theirs.then().statusCode(201).body("organization", equalTo(OTHER));
        assertNull(theirs.header("Idempotent-Replayed"));
        assertNotEquals(mine.<String>path("id"), theirs.<String>path("id"));
        assertEquals(2, stored(commune));
    }

    @Test
    void aFailedRequestIsNotKeptSoTheCorrectedOneGoesThrough() {
        String commune = unique("Fixed");
        String key = unique("fixed-key");
        String token = Tokens.reporter(ORG);
        Map<String, Object> invalid = incident(commune);
        invalid.put("categories", List.of());
        post(token, key, invalid).then().statusCode(422);

        post(token, key, invalid).then().statusCode(422).body("errors[0].field", equalTo("categories"));
        assertEquals(0, stored(commune));
    }

    @Test
    void aBatchReplaysItsIds() {
        String commune = unique("BatchKey");
        String key = unique("batch-key");
        String token = Tokens.reporter(ORG);
        List<Map<String, Object>> items = List.of(incident(commune), incident(commune));
        Response first = as(token).header(Idempotency.HEADER, key).body(items).post(INCIDENTS + "/batch");
        first.then().statusCode(201);
        Response replay = as(token).header(Idempotency.HEADER, key).body(items).post(INCIDENTS + "/batch");

        replay.then().statusCode(201).header("Idempotent-Replayed", "true");
        assertEquals(first.<List<String>>path("ids"), replay.<List<String>>path("ids"));
        assertEquals(2, stored(commune));
        // The key names one operation: reusing it for a single POST is another request.
        post(token, key, incident(commune)).then().statusCode(422);
    }

    @Test
    void anUnusableKeyIs400() {
        post(Tokens.reporter(ORG), "x".repeat(256), incident(unique("Long"))).then().statusCode(400)
                .body("type", equalTo("/problems/bad-request"));
    }
}
