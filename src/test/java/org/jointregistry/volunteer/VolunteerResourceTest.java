package org.jointregistry.volunteer;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** Pseudonymous volunteers: coordinators manage them, reporters read them. */
@QuarkusTest
class VolunteerResourceTest {

    private static final String ORG = "utopia-56";

    private final String coordinator = Tokens.coordinator(ORG);
    private final String reporter = Tokens.reporter(ORG);

    private static Map<String, Object> volunteer(String pseudonym, String gender, String nationality) {
        Map<String, Object> body = new HashMap<>(Map.of("pseudonym", pseudonym, "gender", gender));
        if (nationality != null) {
            body.put("nationality", nationality);
        }
        return body;
    }

    @Test
    void coordinatorCreatesReadsReplacesAndDeletes() {
        String pseudonym = unique("V");
        Response created = as(coordinator).body(volunteer(pseudonym, "female", "GB")).post(VOLUNTEERS);
        created.then().statusCode(201)
                .header("Location", endsWith(VOLUNTEERS + "/" + created.path("id")))
                .header("ETag", "\"1\"")
                .body("pseudonym", equalTo(pseudonym))
                .body("gender", equalTo("female"))
                .body("nationality", equalTo("GB"))
                .body("version", equalTo(1));
        String path = VOLUNTEERS + "/" + created.path("id");

        as(reporter).get(path).then().statusCode(200).body("pseudonym", equalTo(pseudonym));
        as(reporter).get(VOLUNTEERS).then().statusCode(200).body("items.pseudonym", hasItem(pseudonym));

        as(coordinator).body(volunteer(pseudonym, "undisclosed", null)).put(path).then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("gender", equalTo("undisclosed"))
                .body("nationality", nullValue());
        as(coordinator).header("If-Match", "\"1\"").body(volunteer(pseudonym, "male", null)).put(path)
                .then().statusCode(412);

        as(coordinator).delete(path).then().statusCode(204);
        as(coordinator).get(path).then().statusCode(404).contentType("application/problem+json");
        as(reporter).get(VOLUNTEERS).then().body("items.pseudonym", not(hasItem(pseudonym)));
    }

    @Test
    void pseudonymIsUniqueWithinAnOrganisationOnly() {
        String pseudonym = unique("V");
        createVolunteer(coordinator, pseudonym);
        as(coordinator).body(volunteer(pseudonym, "male", null)).post(VOLUNTEERS).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/conflict"));
        String other = createVolunteer(coordinator, unique("V"));
        as(coordinator).body(volunteer(pseudonym, "male", null)).put(VOLUNTEERS + "/" + other)
                .then().statusCode(409);
        createVolunteer(Tokens.coordinator("help-refugees"), pseudonym);
    }

    @Test
    void invalidVolunteersAreRefusedFieldByField() {
        as(coordinator).body(volunteer(unique("V"), "female", "XX")).post(VOLUNTEERS).then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", contains("nationality"));
        as(coordinator).body(volunteer(unique("V"), "female", "gb")).post(VOLUNTEERS).then().statusCode(422)
                .body("errors.field", contains("nationality"));
        as(coordinator).body(volunteer("x".repeat(65), "female", null)).post(VOLUNTEERS).then().statusCode(422)
                .body("errors.field", contains("pseudonym"));
        as(coordinator).body(Map.of("nationality", "FR")).post(VOLUNTEERS).then().statusCode(422)
                .body("errors.field", contains("pseudonym", "gender"));
        as(coordinator).body(volunteer(unique("V"), "woman", null)).post(VOLUNTEERS).then().statusCode(422)
                .body("errors[0].field", equalTo("gender"));
        // Names have no place in the registry.
        Map<String, Object> named = volunteer(unique("V"), "female", null);
        named.put("name", "Alice Martin");
        as(coordinator).body(named).post(VOLUNTEERS).then().statusCode(422)
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void onlyCoordinatorsManageVolunteers() {
        String id = createVolunteer(coordinator, unique("V"));
        as(reporter).body(volunteer(unique("V"), "female", null)).post(VOLUNTEERS).then().statusCode(403);
        as(reporter).body(volunteer(unique("V"), "female", null)).put(VOLUNTEERS + "/" + id).then().statusCode(403);
        as(reporter).delete(VOLUNTEERS + "/" + id).then().statusCode(403);
        as(Tokens.analyst()).get(VOLUNTEERS).then().statusCode(403).contentType("application/problem+json");
        as(Tokens.analyst()).get(VOLUNTEERS + "/" + id).then().statusCode(403);
        as(reporter).get(VOLUNTEERS + "/" + id).then().statusCode(200);
    }

    @Test
    void aLinkedVolunteerIsDeletedOnlyWithDetachAndTheIncidentsSaySo() {
        String kept = createVolunteer(coordinator, unique("V"));
        String leaving = createVolunteer(coordinator, unique("V"));
        Map<String, Object> body = incident("Calais");
        body.put("volunteerIds", List.of(kept, leaving));
        String incident = createIncident(reporter, body);

        as(coordinator).delete(VOLUNTEERS + "/" + leaving).then().statusCode(409)
                .contentType("application/problem+json");
        as(coordinator).get(VOLUNTEERS + "/" + leaving).then().statusCode(200);

        as(coordinator).delete(VOLUNTEERS + "/" + leaving + "?detach=true").then().statusCode(204);
        as(coordinator).get(VOLUNTEERS + "/" + leaving).then().statusCode(404);
        as(reporter).get(INCIDENTS + "/" + incident).then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("volunteerIds", contains(kept));
        as(reporter).get(INCIDENTS + "/" + incident + "/history").then().statusCode(200)
                .body("items.action", contains("create", "update"))
                .body("items[1].by", equalTo("utopia-56-coordinator"))
                .body("items[1].changes.field", contains("volunteerIds"))
                .body("items[1].changes[0].to", contains(kept));
    }

    @Test
    void linksOfDeletedIncidentsDoNotHoldAVolunteerBack() {
        String volunteer = createVolunteer(coordinator, unique("V"));
        Map<String, Object> body = incident("Calais");
        body.put("volunteerIds", List.of(volunteer));
        String incident = createIncident(reporter, body);
        as(coordinator).delete(INCIDENTS + "/" + incident).then().statusCode(204);

        as(coordinator).delete(VOLUNTEERS + "/" + volunteer).then().statusCode(204);
        as(reporter).get(INCIDENTS + "/" + incident + "/history").then()
                .body("items.action", contains("create", "delete"));
    }
}
