package org.jointregistry.incident;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Every validation rule of §3 with one failing case each, and the malformed
 * requests that must answer a 4xx problem, never a 500 or a partial write.
 */
@QuarkusTest
class IncidentValidationTest {

    private static final String ORG = "utopia-56";

    private final String reporter = Tokens.reporter(ORG);

    /** POSTs a valid incident changed by {@code change}, in a commune of its own. */
    private ValidatableResponse post(Consumer<Map<String, Object>> change) {
        Map<String, Object> body = incident(unique("Validation"));
        change.accept(body);
        return as(reporter).body(body).post(INCIDENTS).then();
    }

    /** 422 problem naming exactly {@code field}, and nothing written. */
    private void rejected(String field, Consumer<Map<String, Object>> change) {
        Map<String, Object> body = incident(unique("Rejected"));
        change.accept(body);
        problem(as(reporter).body(body).post(INCIDENTS), 422)
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", containsInAnyOrder(field));
        String commune = (String) ((Map<?, ?>) body.getOrDefault("location", Map.of())).get("commune");
        if (commune != null) {
            as(reporter).queryParam("commune", commune).get(INCIDENTS).then().body("items.size()", equalTo(0));
        }
    }

    private static ValidatableResponse problem(Response response, int status) {
        return response.then().statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body(not(containsString("Exception")))
                .body(not(containsString("at org.")));
    }

    private static Map<String, Object> location(Object... pairs) {
        Map<String, Object> location = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            location.put((String) pairs[i], pairs[i + 1]);
        }
        location.putIfAbsent("commune", unique("Rejected"));
        return location;
    }

    @Test
    void categories() {
        rejected("categories", b -> b.put("categories", List.of()));
        rejected("categories", b -> b.remove("categories"));
        rejected("categories[1]", b -> b.put("categories", List.of("fine", "kettling")));
    }

    @Test
    void forces() {
        rejected("forces[0]", b -> b.put("forces", List.of("swat")));
    }

    @Test
    void occurredAt() {
        rejected("occurredAt", b -> b.remove("occurredAt"));
        rejected("occurredAt", b -> b.put("occurredAt", "2018-03-14T18:30:00"));
        rejected("occurredAt", b -> b.put("occurredAt", "14/03/2018"));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        rejected("occurredAt", b -> b.put("occurredAt", now.plusHours(25).toString()));
        post(b -> b.put("occurredAt", now.plusHours(23).toString())).statusCode(201);
    }

    @Test
    void coordinates() {
        rejected("location.latitude", b -> b.put("location", location("latitude", 90.5, "longitude", 1.8)));
        rejected("location.longitude", b -> b.put("location", location("latitude", 50.9, "longitude", -180.1)));
        rejected("location.longitude", b -> b.put("location", location("latitude", 50.9)));
        rejected("location.latitude", b -> b.put("location", location("longitude", 1.8)));
        post(b -> b.put("location", location("latitude", -90, "longitude", 180))).statusCode(201);
    }

    @Test
    void officerCount() {
        rejected("officerCount", b -> b.put("officerCount", 501));
        rejected("officerCount", b -> b.put("officerCount", -1));
        rejected("officerCount", b -> b.put("officerCount", "four"));
        post(b -> b.put("officerCount", 500)).statusCode(201);
    }

    @Test
    void description() {
        rejected("description", b -> b.put("description", "é".repeat(20_001)));
        post(b -> b.put("description", "é".repeat(20_000))).statusCode(201);
    }

    @Test
    void externalId() {
        rejected("externalId", b -> b.put("externalId", "x".repeat(101)));
        rejected("externalId", b -> b.put("externalId", " "));
        rejected("externalId", b -> b.put("externalId", "HRO/42"));
        post(b -> b.put("externalId", unique("x".repeat(91)))).statusCode(201);
    }

    @Test
    void textFieldsOfTheLocationAndComplaint() {
        rejected("location.commune", b -> b.put("location", Map.of("commune", "c".repeat(101))));
        rejected("location.site", b -> b.put("location", location("site", "s".repeat(201))));
        rejected("complaint.reference", b -> b.put("complaint", Map.of("status", "filed", "reference",
                "r".repeat(101))));
    }

    @Test
    void complaint() {
        rejected("complaint.status", b -> b.put("complaint", Map.of("status", "lodged")));
        rejected("complaint.status", b -> b.put("complaint", Map.of("body", "igpn")));
        rejected("complaint.body", b -> b.put("complaint", Map.of("status", "none", "body", "igpn")));
        rejected("complaint.body", b -> b.put("complaint", Map.of("status", "filed", "body", "police")));
        rejected("complaint.filedOn", b -> b.put("complaint", Map.of("status", "filed", "filedOn", "20/03/2018")));
    }

    @Test
    void status() {
        rejected("status", b -> b.put("status", "closed"));
    }

    @Test
    void volunteersMustBeTheOrganisationsOwnAndForeignLooksLikeUnknown() {
        String own = createVolunteer(Tokens.coordinator(ORG), unique("V"));
        String foreign = createVolunteer(Tokens.coordinator("help-refugees"), unique("V"));
        String unknown = UUID.randomUUID().toString();

        rejected("volunteerIds[1]", b -> b.put("volunteerIds", List.of(own, foreign)));
        rejected("volunteerIds[0]", b -> b.put("volunteerIds", List.of(unknown)));
        rejected("volunteerIds[0]", b -> b.put("volunteerIds", List.of("not-a-uuid")));

        Response foreignAnswer = as(reporter).body(withVolunteer(foreign)).post(INCIDENTS);
        Response unknownAnswer = as(reporter).body(withVolunteer(unknown)).post(INCIDENTS);
        assertEquals(422, foreignAnswer.statusCode());
        assertEquals(unknownAnswer.asString(), foreignAnswer.asString());
        post(b -> b.put("volunteerIds", List.of(own))).statusCode(201);
    }

    private static Map<String, Object> withVolunteer(String id) {
        Map<String, Object> body = incident("Calais");
        body.put("volunteerIds", List.of(id));
        return body;
    }

    @Test
    void everyErrorIsListedAtOnce() {
        Map<String, Object> body = incident(unique("Many"));
        body.put("categories", List.of());
        body.put("officerCount", 900);
        body.put("location", location("latitude", 95));
        body.put("volunteerIds", List.of(UUID.randomUUID().toString()));
        problem(as(reporter).body(body).post(INCIDENTS), 422)
                .body("errors.field", containsInAnyOrder("categories", "officerCount", "location.latitude",
                        "location.longitude", "volunteerIds[0]"))
                .body("detail", equalTo("5 fields are invalid."));
    }

    @Test
    void serverOwnedFieldsAreRefusedNotTrusted() {
        for (Map.Entry<String, Object> field : Map.<String, Object>of("organization", "help-refugees",
                "id", UUID.randomUUID().toString(), "version", 7, "createdAt", "2018-01-01T00:00:00Z",
                "updatedAt", "2018-01-01T00:00:00Z", "createdBy", "someone").entrySet()) {
            rejected(field.getKey(), b -> b.put(field.getKey(), field.getValue()));
        }
        rejected("name", b -> b.put("name", "Alice"));
    }

    @Test
    void malformedRequestsAreProblemsNeverServerErrors() {
        String id = createIncident(reporter, incident("Calais"));
        String path = INCIDENTS + "/" + id;
        problem(as(reporter).body("{\"occurredAt\": ").post(INCIDENTS), 400)
                .body("type", equalTo("/problems/malformed-json"));
        problem(as(reporter).post(INCIDENTS), 400);
        problem(as(reporter).body("null").post(INCIDENTS), 400);
        problem(as(reporter).body("[1, 2]").post(INCIDENTS), 400);
        problem(as(reporter).body("\"text\"").post(INCIDENTS), 400);
        problem(as(reporter).body("{\"categories\": \"fine\"}").post(INCIDENTS), 422)
                .body("errors[0].field", equalTo("categories"));
        problem(as(reporter).body("{\"location\": [50.9, 1.8]}").post(INCIDENTS), 422)
                .body("errors[0].field", equalTo("location"));
        problem(as(reporter).contentType(ContentType.TEXT).body("hello").post(INCIDENTS), 415);
        problem(as(reporter).header("If-Match", "\"1\"").body("{").put(path), 400);
        problem(as(reporter).header("If-Match", "\"1\"").put(path), 400);

        for (String bad : List.of("not-a-uuid", "123", "7d0c")) {
            String badPath = INCIDENTS + "/" + bad;
            problem(as(reporter).get(badPath), 404);
            problem(as(reporter).get(badPath + "/history"), 404);
            problem(as(reporter).header("If-Match", "\"1\"").body(incident("Calais")).put(badPath), 404);
            problem(as(reporter).header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                    .body("{}").patch(badPath), 404);
            problem(as(Tokens.coordinator(ORG)).delete(badPath), 404);
        }
        as(reporter).get(path).then().statusCode(200).header("ETag", "\"1\"");
    }

    @Test
    void malformedMergePatches() {
        String path = INCIDENTS + "/" + createIncident(reporter, incident("Calais"));
        String patch = "application/merge-patch+json";
        problem(as(reporter).contentType(patch).header("If-Match", "\"1\"").body("{").patch(path), 400);
        problem(as(reporter).contentType(patch).header("If-Match", "\"1\"").patch(path), 400);
        problem(as(reporter).contentType(patch).header("If-Match", "\"1\"").body("[]").patch(path), 400);
        problem(as(reporter).contentType(patch).header("If-Match", "\"1\"").body("{\"version\": 9}").patch(path), 422)
                .body("errors[0].field", equalTo("version"));
        problem(as(reporter).contentType(patch).header("If-Match", "\"1\"").body("{\"categories\": null}")
                .patch(path), 422)
                .body("errors.field", containsInAnyOrder("categories"));
        problem(as(reporter).contentType(patch).header("If-Match", "\"1\"").body("{\"status\": \"closed\"}")
                .patch(path), 422)
                .body("errors[0].field", equalTo("status"));
        problem(as(reporter).contentType(patch).header("If-Match", "\"1\"")
                .body("{\"location\": {\"latitude\": 50.9}}").patch(path), 422)
                .body("errors.field", containsInAnyOrder("location.longitude"));
        as(reporter).get(path).then().statusCode(200).header("ETag", "\"1\"");
    }
}
