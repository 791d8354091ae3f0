package org.jointregistry.event;

import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jointregistry.support.Api;
import org.jointregistry.support.Db;
import org.jointregistry.support.LogCapture;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Contract §8: link codes, joining, reading and leaving a shared event. */
@QuarkusTest
class SharedEventTest {

    private static final String ISSUER = "help-refugees";
    private static final String PARTNER = "utopia-56";
    private static final String THIRD = "auberge-des-migrants";

    /**
     * Each test moves the clock to its own day, and a budget does not refill
     * when the clock goes back to before its last draw: the failed-redemption
     * budgets start afresh for each test.
     */
    @BeforeEach
    void freshRedemptionBudgets() throws Exception {
        try (Connection admin = Db.admin();
                PreparedStatement delete = admin.prepareStatement("DELETE FROM rate_limit_bucket WHERE id LIKE ?")) {
            delete.setString(1, FailedRedemptions.POLICY + "|%");
            delete.executeUpdate();
        }
    }

    @Test
    void aPartnerJoinsByCodeAndLearnsOnlyThePartnersAndTheCount() {
        MovedClock.install(1_000);
        String canary = Api.unique("canary-narrative");
        Map<String, Object> issuerBody = Api.incident("Calais");
        issuerBody.put("externalId", Api.unique("HR"));
        issuerBody.put("description", canary);
        String issuerIncident = Api.createIncident(coordinator(ISSUER), issuerBody);
        String partnerIncident = Api.createIncident(coordinator(PARTNER), Api.incident("Calais"));

        Response issued = as(coordinator(ISSUER)).post(INCIDENTS + "/" + issuerIncident + "/link-codes");
        issued.then().statusCode(201);
        String code = issued.path("code");
        assertTrue(code.matches("[A-Za-z0-9_-]{22}"), code);
        String eventId = as(coordinator(ISSUER)).get(INCIDENTS + "/" + issuerIncident).then().statusCode(200)
                .extract().path("eventId");
        assertTrue(eventId != null, "issuing put the incident in an event");

        Response joined = as(coordinator(PARTNER)).body(Map.of("code", code))
                .put(INCIDENTS + "/" + partnerIncident + "/event");
        joined.then().statusCode(200);
        assertEquals(eventId, joined.path("id"));
        assertEquals(List.of(ISSUER, PARTNER), joined.path("organizations"));
        assertEquals(2, (int) joined.path("reports"));
        assertEquals(List.of(partnerIncident), joined.path("ownIncidentIds"));
        for (String secret : List.of(issuerIncident, (String) issuerBody.get("externalId"), canary)) {
            assertFalse(joined.asString().contains(secret), "the partner's view shows " + secret);
        }

        // Only the joining organisation's incident changed: a version, a revision with eventId, a feed entry.
        Response partnerView = as(coordinator(PARTNER)).get(INCIDENTS + "/" + partnerIncident);
        assertEquals(eventId, partnerView.path("eventId"));
        assertEquals(2, (int) partnerView.path("version"));
        List<Map<String, Object>> changes = as(coordinator(PARTNER)).get(INCIDENTS + "/" + partnerIncident
                + "/history").then().statusCode(200).extract().path("items[1].changes");
        assertEquals(1, changes.size(), changes.toString());
        assertEquals("eventId", changes.get(0).get("field"));
        assertNull(changes.get(0).get("from"));
        assertEquals(eventId, changes.get(0).get("to"));
        assertEquals(2, (int) as(coordinator(ISSUER)).get(INCIDENTS + "/" + issuerIncident).path("version"),
                "the issuer's incident changed once (when it got its event), not when the partner joined");

        Response issuerSees = as(Tokens.reporter(ISSUER)).get(INCIDENTS + "/" + issuerIncident + "/event");
        issuerSees.then().statusCode(200);
        assertEquals(List.of(issuerIncident), issuerSees.path("ownIncidentIds"));
        assertFalse(issuerSees.asString().contains(partnerIncident));

        // Leaving: the partner's incident is out, the event stays for the issuer.
        as(coordinator(PARTNER)).delete(INCIDENTS + "/" + partnerIncident + "/event").then().statusCode(204);
        as(coordinator(PARTNER)).get(INCIDENTS + "/" + partnerIncident + "/event").then().statusCode(404);
        assertNull(as(coordinator(PARTNER)).get(INCIDENTS + "/" + partnerIncident).path("eventId"));
        as(coordinator(PARTNER)).delete(INCIDENTS + "/" + partnerIncident + "/event").then().statusCode(404);
        Response afterLeaving = as(coordinator(ISSUER)).get(INCIDENTS + "/" + issuerIncident + "/event");
        assertEquals(List.of(ISSUER), afterLeaving.path("organizations"));
        assertEquals(1, (int) afterLeaving.path("reports"));
    }

    @Test
    void usedUnknownAndExpiredCodesGetOneAndTheSameAnswer() {
        MovedClock clock = MovedClock.install(2_000);
        String used = issueCode(ISSUER);
        String expiring = issueCode(ISSUER);
        join(PARTNER, used).then().statusCode(200);

        Response second = join(PARTNER, used);
        Response unknown = join(PARTNER, "AAAAAAAAAAAAAAAAAAAAAA");
        clock.advance(SharedEventService.CODE_VALIDITY);
        Response expired = join(PARTNER, expiring);
        for (Response answer : List.of(second, unknown, expired)) {
            answer.then().statusCode(422);
            assertEquals("code", answer.path("errors[0].field"));
        }
        assertEquals(masked(second), masked(unknown));
        assertEquals(masked(second), masked(expired));
    }

    @Test
    void theIssuingIncidentCannotRedeemItsOwnCodeButAnotherOwnIncidentCan() {
        MovedClock.install(3_000);
        String issuerIncident = Api.createIncident(coordinator(ISSUER), Api.incident("Calais"));
        String code = as(coordinator(ISSUER)).post(INCIDENTS + "/" + issuerIncident + "/link-codes")
                .then().statusCode(201).extract().path("code");
        as(coordinator(ISSUER)).body(Map.of("code", code)).put(INCIDENTS + "/" + issuerIncident + "/event")
                .then().statusCode(422).body("errors[0].field", org.hamcrest.Matchers.equalTo("code"));
        String sibling = Api.createIncident(coordinator(ISSUER), Api.incident("Calais"));
        Response joined = as(coordinator(ISSUER)).body(Map.of("code", code)).put(INCIDENTS + "/" + sibling + "/event");
        joined.then().statusCode(200);
        assertEquals(List.of(ISSUER), joined.path("organizations"));
        assertEquals(List.of(issuerIncident, sibling).stream().sorted().toList(), joined.path("ownIncidentIds"));
    }

    @Test
    void anIncidentInAnotherEventMustLeaveFirstAndTheCodeStaysUsable() {
        MovedClock.install(4_000);
        String code = issueCode(ISSUER);
        String partnerIncident = Api.createIncident(coordinator(PARTNER), Api.incident("Calais"));
        as(coordinator(PARTNER)).post(INCIDENTS + "/" + partnerIncident + "/link-codes").then().statusCode(201);
        String before = Db.tenantDigest(PARTNER);
        as(coordinator(PARTNER)).body(Map.of("code", code)).put(INCIDENTS + "/" + partnerIncident + "/event")
                .then().statusCode(409);
        assertEquals(before, Db.tenantDigest(PARTNER), "a refused join changes nothing");
        as(coordinator(PARTNER)).delete(INCIDENTS + "/" + partnerIncident + "/event").then().statusCode(204);
        as(coordinator(PARTNER)).body(Map.of("code", code)).put(INCIDENTS + "/" + partnerIncident + "/event")
                .then().statusCode(200);
    }

    @Test
    void twentyConcurrentRedemptionsOfOneCodeGiveOneSuccess() throws Exception {
        MovedClock.install(5_000);
        String code = issueCode(ISSUER);
        List<String> incidents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            incidents.add(Api.createIncident(coordinator(THIRD), Api.incident("Grande-Synthe")));
        }
        String token = coordinator(THIRD);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (String incident : incidents) {
                Callable<Integer> redeem = () -> {
                    start.await();
                    return as(token).body(Map.of("code", code)).put(INCIDENTS + "/" + incident + "/event")
                            .statusCode();
                };
                answers.add(pool.submit(redeem));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            // The others found the code used; past the failure limit, they are turned away before trying.
            assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 422 || s == 429), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        long linked = incidents.stream().filter(id -> as(token).get(INCIDENTS + "/" + id).path("eventId") != null)
                .count();
        assertEquals(1, linked);
    }

    @Test
    void failedRedemptionsAreLimitedPerOrganisationUntilTheWindowEnds() {
        MovedClock clock = MovedClock.install(6_000);
        String valid = issueCode(ISSUER);
        String incident = Api.createIncident(coordinator(PARTNER), Api.incident("Calais"));
        for (int i = 0; i < 10; i++) {
            join(PARTNER, incident, Api.unique("guess")).then().statusCode(422);
        }
        Response limited = join(PARTNER, incident, valid);
        limited.then().statusCode(429).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("/problems/too-many-requests"));
        int retryAfter = Integer.parseInt(limited.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= Duration.ofMinutes(15).toSeconds(), "Retry-After " + retryAfter);
        // Another organisation is not limited by this one's failures.
        join(THIRD, "AAAAAAAAAAAAAAAAAAAAAA").then().statusCode(422);
        clock.advance(Duration.ofSeconds(retryAfter));
        join(PARTNER, incident, valid).then().statusCode(200);
    }

    @Test
    void theCodeIsNeverLoggedNorStored() {
        MovedClock.install(7_000);
        String code;
        String incident = Api.createIncident(coordinator(PARTNER), Api.incident("Calais"));
        try (LogCapture logs = LogCapture.start()) {
            code = issueCode(ISSUER);
            join(PARTNER, incident, code).then().statusCode(200);
            join(PARTNER, incident, code).then().statusCode(422);
            logs.assertContainsNone(code);
        }
        Map<String, Object> stored = Db.row("SELECT count(*) AS rows FROM event_link_code "
                + "WHERE code_sha256 = sha256(convert_to(?, 'UTF8')) AND used_by = ?", code, PARTNER).orElseThrow();
        assertEquals(1L, stored.get("rows"), "the code's hash is stored, and marked used");
        for (String table : List.of("event_link_code", "shared_event", "rate_limit_bucket", "incident",
                "incident_revision")) {
            Map<String, Object> hits = Db.row("SELECT count(*) AS hits FROM " + table + " t WHERE t::text LIKE ?",
                    "%" + code + "%").orElseThrow();
            assertEquals(0L, hits.get("hits"), table + " holds the code");
        }
    }

    private static String coordinator(String organization) {
        return Tokens.coordinator(organization);
    }

    /** A code for a fresh incident of {@code organization}. */
    private static String issueCode(String organization) {
        String incident = Api.createIncident(coordinator(organization), Api.incident("Calais"));
        return as(coordinator(organization)).post(INCIDENTS + "/" + incident + "/link-codes").then().statusCode(201)
                .extract().path("code");
    }

    /** Redeems {@code code} for a fresh incident of {@code organization}. */
    private static Response join(String organization, String code) {
        return join(organization, Api.createIncident(coordinator(organization), Api.incident("Calais")), code);
    }

    private static Response join(String organization, String incident, String code) {
        return as(coordinator(organization)).body(Map.of("code", code)).put(INCIDENTS + "/" + incident + "/event");
    }

    /** The answer with its incident path masked, to compare answers about different incidents. */
    private static String masked(Response answer) {
        return answer.statusCode() + " " + answer.asString().replaceAll("/api/v1/incidents/[0-9a-f-]{36}/event",
                "/api/v1/incidents/{id}/event");
    }
}
