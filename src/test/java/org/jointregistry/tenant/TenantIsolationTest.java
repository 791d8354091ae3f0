package org.jointregistry.tenant;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wall one seen from outside: organisation B, holding ids of organisation A's
 * records, gets exactly what it gets for ids that do not exist (404, same
 * problem, only the instance differs), and A's records stay as they were.
 */
@QuarkusTest
class TenantIsolationTest {

    private static final String A = "help-refugees";
    private static final String B = "auberge-des-migrants";

    private String commune;
    private String volunteerOfA;
    private String incidentOfA;
    private String incidentOfB;

    @BeforeEach
    void twoOrganisationsWithRecords() {
        commune = unique("Isolation");
        volunteerOfA = createVolunteer(Tokens.coordinator(A), unique("V"));
        Map<String, Object> body = incident(commune);
        body.put("volunteerIds", List.of(volunteerOfA));
        body.put("externalId", unique("A"));
        body.put("description", "A's narrative");
        incidentOfA = createIncident(Tokens.reporter(A), body);
        incidentOfB = createIncident(Tokens.reporter(B), incident(commune));
    }

    /** One tenant-space call on a record id, made with B's token; some are for coordinators only. */
    private record Call(String name, boolean coordinatorOnly, BiFunction<RequestSpecification, String, Response> send) {
    }

    private static final String MERGE_PATCH = "application/merge-patch+json";

    private List<Call> incidentCalls() {
        return List.of(
                new Call("GET incident", false, (r, id) -> r.get(INCIDENTS + "/" + id)),
                new Call("GET incident If-None-Match", false, (r, id) -> r.header("If-None-Match", "\"1\"")
                        .get(INCIDENTS + "/" + id)),
                new Call("PUT incident", false, (r, id) -> r.header("If-Match", "\"1\"").body(incident(commune))
                        .put(INCIDENTS + "/" + id)),
                new Call("PUT incident If-Match *", false, (r, id) -> r.header("If-Match", "*").body(incident(commune))
                        .put(INCIDENTS + "/" + id)),
                new Call("PATCH incident", false, (r, id) -> r.header("If-Match", "\"1\"").contentType(MERGE_PATCH)
                        .body("{\"officerCount\": 9}").patch(INCIDENTS + "/" + id)),
                new Call("DELETE incident", true, (r, id) -> r.delete(INCIDENTS + "/" + id)),
                new Call("GET history", false, (r, id) -> r.get(INCIDENTS + "/" + id + "/history")));
    }

    private List<Call> volunteerCalls() {
        return List.of(
                new Call("GET volunteer", false, (r, id) -> r.get(VOLUNTEERS + "/" + id)),
                new Call("PUT volunteer", true, (r, id) -> r.body(Map.of("pseudonym", unique("V"), "gender", "male"))
                        .put(VOLUNTEERS + "/" + id)),
                new Call("DELETE volunteer", true, (r, id) -> r.delete(VOLUNTEERS + "/" + id)),
                new Call("DELETE volunteer detach", true, (r, id) -> r.delete(VOLUNTEERS + "/" + id + "?detach=true")));
    }

    @Test
    void everyRecordEndpointAnswersBForAsIdsOfANotFoundAsForRandomIds() {
        Response incidentBefore = as(Tokens.reporter(A)).get(INCIDENTS + "/" + incidentOfA);
        Response volunteerBefore = as(Tokens.reporter(A)).get(VOLUNTEERS + "/" + volunteerOfA);
        for (String token : List.of(Tokens.coordinator(B), Tokens.reporter(B), Tokens.syncClient(B))) {
            boolean coordinator = token.equals(Tokens.coordinator(B));
            incidentCalls().forEach(call -> assertLooksUnknown(call, token, coordinator, incidentOfA));
            volunteerCalls().forEach(call -> assertLooksUnknown(call, token, coordinator, volunteerOfA));
        }
        assertUnchanged(incidentBefore, as(Tokens.reporter(A)).get(INCIDENTS + "/" + incidentOfA));
        assertUnchanged(volunteerBefore, as(Tokens.reporter(A)).get(VOLUNTEERS + "/" + volunteerOfA));
        as(Tokens.reporter(A)).get(INCIDENTS + "/" + incidentOfA + "/history").then()
                .body("items.size()", equalTo(1));
    }

    private static void assertLooksUnknown(Call call, String token, boolean coordinator, String foreignId) {
        String randomId = UUID.randomUUID().toString();
        Response foreign = call.send().apply(as(token), foreignId);
        Response random = call.send().apply(as(token), randomId);
        assertEquals(call.coordinatorOnly() && !coordinator ? 403 : 404, foreign.statusCode(), call.name());
        assertEquals(random.statusCode(), foreign.statusCode(), call.name());
        assertEquals(random.contentType(), foreign.contentType(), call.name());
        assertEquals(random.asString().replace(randomId, "{id}"), foreign.asString().replace(foreignId, "{id}"),
                call.name());
        String randomInstance = random.path("instance");
        String foreignInstance = foreign.path("instance");
        assertNotEquals(randomInstance, foreignInstance, call.name());
    }

    private static void assertUnchanged(Response before, Response after) {
        assertEquals(200, after.statusCode());
        assertEquals(before.header("ETag"), after.header("ETag"));
        assertEquals(before.asString(), after.asString());
    }

    @Test
    void aForeignVolunteerInAnIncidentIsRefusedLikeAnUnknownOne() {
        String randomId = UUID.randomUUID().toString();
        String b = Tokens.reporter(B);
        List<BiFunction<RequestSpecification, String, Response>> writes = List.of(
                (r, volunteer) -> r.body(withVolunteer(volunteer)).post(INCIDENTS),
                (r, volunteer) -> r.header("If-Match", "\"1\"").body(withVolunteer(volunteer))
                        .put(INCIDENTS + "/" + incidentOfB),
                (r, volunteer) -> r.header("If-Match", "\"1\"").contentType(MERGE_PATCH)
                        .body(Map.of("volunteerIds", List.of(volunteer))).patch(INCIDENTS + "/" + incidentOfB));
        for (var write : writes) {
            Response foreign = write.apply(as(b), volunteerOfA);
            Response unknown = write.apply(as(b), randomId);
            assertEquals(422, foreign.statusCode());
            assertEquals(unknown.asString(), foreign.asString());
        }
        as(b).get(INCIDENTS + "/" + incidentOfB).then().statusCode(200).header("ETag", "\"1\"");
    }

    private Map<String, Object> withVolunteer(String volunteer) {
        Map<String, Object> body = incident(commune);
        body.put("volunteerIds", List.of(volunteer));
        return body;
    }

    @Test
    void listsAndFiltersNeverShowAnotherOrganisationsRecords() {
        String b = Tokens.reporter(B);
        as(b).queryParam("commune", commune).get(INCIDENTS).then().statusCode(200)
                .body("items.id", equalTo(List.of(incidentOfB)));
        as(b).queryParam("limit", 500).get(INCIDENTS).then().statusCode(200)
                .body("items.id", not(hasItem(incidentOfA)))
                .body("items.organization", not(hasItem(A)));
        as(b).queryParam("commune", commune).queryParam("category", "identity_check").queryParam("status", "submitted")
                .queryParam("from", "2018-01-01").queryParam("to", "2018-12-31").get(INCIDENTS).then()
                .body("items.id", equalTo(List.of(incidentOfB)));
        as(b).get(VOLUNTEERS).then().statusCode(200).body("items.id", not(hasItem(volunteerOfA)));
        as(Tokens.reporter(A)).queryParam("commune", commune).get(INCIDENTS).then()
                .body("items.id", equalTo(List.of(incidentOfA)));
    }

    @Test
    void theSameExternalIdMayLiveInTwoOrganisations() {
        String externalId = unique("SHARED");
        Map<String, Object> body = incident(commune);
        body.put("externalId", externalId);
        createIncident(Tokens.reporter(A), body);
        createIncident(Tokens.reporter(B), body);
    }

    @Test
    void aMultiOrganisationTokenActsForTheOrganisationItNames() {
        String dual = Tokens.userAllOrganizations("dual-reporter");
        // dual-reporter belongs to help-refugees (A) and utopia-56.
        as(dual).header("X-Organization", A).get(INCIDENTS + "/" + incidentOfA).then().statusCode(200);
        as(dual).header("X-Organization", "utopia-56").get(INCIDENTS + "/" + incidentOfA).then().statusCode(404);
        as(dual).get(INCIDENTS + "/" + incidentOfA).then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/organization-required"));
        as(dual).header("X-Organization", B).get(INCIDENTS + "/" + incidentOfB).then().statusCode(403)
                .contentType("application/problem+json");
        as(dual).header("X-Organization", B).body(incident(commune)).post(INCIDENTS).then().statusCode(403);
        as(dual).get(INCIDENTS).then().statusCode(400);
        // Without scope=organization:* Keycloak puts no organisation in a multi-member's token.
        as(Tokens.user("dual-reporter")).get(INCIDENTS).then().statusCode(403)
                .contentType("application/problem+json");
        String created = as(dual).header("X-Organization", "utopia-56").body(incident(commune)).post(INCIDENTS)
                .then().statusCode(201).body("organization", equalTo("utopia-56")).extract().path("id");
        as(Tokens.reporter("utopia-56")).get(INCIDENTS + "/" + created).then().statusCode(200);
    }

    @Test
    void analystsHaveNoTenantSpace() {
        String analyst = Tokens.analyst();
        List<Response> answers = List.of(
                as(analyst).get(INCIDENTS),
                as(analyst).body(incident(commune)).post(INCIDENTS),
                as(analyst).get(INCIDENTS + "/" + incidentOfA),
                as(analyst).get(INCIDENTS + "/" + incidentOfA + "/history"),
                as(analyst).header("If-Match", "\"1\"").body(incident(commune)).put(INCIDENTS + "/" + incidentOfA),
                as(analyst).delete(INCIDENTS + "/" + incidentOfA),
                as(analyst).get(VOLUNTEERS),
                as(analyst).body(Map.of("pseudonym", "X", "gender", "male")).post(VOLUNTEERS));
        for (Response answer : answers) {
            answer.then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("/problems/forbidden"));
        }
    }
}
