package org.jointregistry.incident;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** The incident endpoints of one organisation, as the contract's §3 describes them. */
@QuarkusTest
class IncidentResourceTest {

    private static final String ORG = "utopia-56";

    private final String reporter = Tokens.reporter(ORG);

    @Test
    void createAnswers201WithLocationETagAndTheContractShape() {
        Map<String, Object> body = incident("Calais");
        body.put("externalId", unique("HRO"));
        body.put("location", Map.of("commune", "Calais", "site", "rue des Verrotières", "latitude", 50.951,
                "longitude", 1.858));
        body.put("categories", List.of("identity_check", "body_search"));
        body.put("forces", List.of("crs"));
        body.put("officerCount", 4);
        body.put("description", "narrative");
        body.put("complaint", Map.of("status", "filed", "body", "igpn", "filedOn", "2018-03-20", "reference", "R-1"));

        Response created = as(reporter).body(body).post(INCIDENTS);
        created.then().statusCode(201)
                .header("ETag", "\"1\"")
                .header("Location", endsWith(INCIDENTS + "/" + created.path("id")))
                .body("organization", equalTo(ORG))
                .body("externalId", equalTo(body.get("externalId")))
                .body("occurredAt", equalTo("2018-03-14T18:30:00+01:00"))
                .body("location.site", equalTo("rue des Verrotières"))
                .body("location.latitude", equalTo(50.951f))
                .body("categories", contains("identity_check", "body_search"))
                .body("forces", contains("crs"))
                .body("officerCount", equalTo(4))
                .body("volunteerIds.size()", equalTo(0))
                .body("complaint.filedOn", equalTo("2018-03-20"))
                .body("status", equalTo("submitted"))
                .body("version", equalTo(1))
                .body("createdBy", equalTo("utopia-56-reporter"))
                .body("createdAt", notNullValue())
                .body("updatedAt", equalTo(created.path("createdAt")));

        as(reporter).get(created.header("Location")).then().statusCode(200)
                .header("ETag", "\"1\"")
                .body("id", equalTo(created.path("id")))
                .body("occurredAt", equalTo("2018-03-14T18:30:00+01:00"))
                .body("description", equalTo("narrative"));
    }

    @Test
    void omittedOptionalFieldsGetTheirDefaults() {
        as(reporter).body(incident("Calais")).post(INCIDENTS).then().statusCode(201)
                .body("status", equalTo("submitted"))
                .body("complaint.status", equalTo("none"))
                .body("complaint.body", nullValue())
                .body("forces.size()", equalTo(0))
                .body("externalId", nullValue());
    }

    @Test
    void ifNoneMatchAnswers304WhileUnchanged() {
        String id = createIncident(reporter, incident("Calais"));
        as(reporter).header("If-None-Match", "\"1\"").get(INCIDENTS + "/" + id)
                .then().statusCode(304).header("ETag", "\"1\"");
        as(reporter).header("If-None-Match", "\"7\"").get(INCIDENTS + "/" + id)
                .then().statusCode(200).header("ETag", "\"1\"");
    }

    @Test
    void putNeedsACurrentIfMatch() {
        String id = createIncident(reporter, incident("Calais"));
        Map<String, Object> replacement = incident("Dunkerque");
        replacement.put("status", "draft");

        as(reporter).body(replacement).put(INCIDENTS + "/" + id).then().statusCode(428)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/precondition-required"));
        as(reporter).header("If-Match", "\"2\"").body(replacement).put(INCIDENTS + "/" + id).then().statusCode(412)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/precondition-failed"));
        as(reporter).header("If-Match", "\"1\"").body(replacement).put(INCIDENTS + "/" + id).then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("location.commune", equalTo("Dunkerque"))
                .body("status", equalTo("draft"));
        // The ETag the first update consumed is stale now.
        as(reporter).header("If-Match", "\"1\"").body(replacement).put(INCIDENTS + "/" + id).then().statusCode(412);
    }

    @Test
    void replacingWithTheSameContentKeepsTheVersion() {
        Map<String, Object> body = incident("Calais");
        String id = createIncident(reporter, body);
        as(reporter).header("If-Match", "\"1\"").body(body).put(INCIDENTS + "/" + id).then().statusCode(200)
                .header("ETag", "\"1\"");
        as(reporter).get(INCIDENTS + "/" + id + "/history").then().body("items.size()", equalTo(1));
    }

    @Test
    void mergePatchChangesOnlyWhatItNamesAndNullClears() {
        Map<String, Object> body = incident("Calais");
        body.put("officerCount", 3);
        body.put("location", Map.of("commune", "Calais", "site", "Jungle"));
        String id = createIncident(reporter, body);

        as(reporter).contentType("application/merge-patch+json").header("If-Match", "\"1\"")
                .body("{\"location\":{\"site\":\"Port\"},\"officerCount\":null,\"status\":\"verified\"}")
                .patch(INCIDENTS + "/" + id)
                .then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("location.commune", equalTo("Calais"))
                .body("location.site", equalTo("Port"))
                .body("officerCount", nullValue())
                .body("status", equalTo("verified"))
                .body("categories", contains("identity_check"))
                .body("occurredAt", equalTo("2018-03-14T18:30:00+01:00"));
    }

    @Test
    void patchNeedsIfMatchToo() {
        String id = createIncident(reporter, incident("Calais"));
        as(reporter).contentType("application/merge-patch+json").body("{\"officerCount\":2}")
                .patch(INCIDENTS + "/" + id).then().statusCode(428);
        as(reporter).contentType("application/merge-patch+json").header("If-Match", "\"9\"")
                .body("{\"officerCount\":2}").patch(INCIDENTS + "/" + id).then().statusCode(412);
    }

    @Test
    void historyRecordsEveryChangeAndNeverTheNarrative() {
        Map<String, Object> body = incident("Calais");
        body.put("description", "first secret text");
        String id = createIncident(reporter, body);
        as(reporter).contentType("application/merge-patch+json").header("If-Match", "\"1\"")
                .body("{\"description\":\"second secret text\",\"location\":{\"commune\":\"Grande-Synthe\"}}")
                .patch(INCIDENTS + "/" + id).then().statusCode(200);
        as(Tokens.coordinator(ORG)).delete(INCIDENTS + "/" + id).then().statusCode(204);

        Response history = as(reporter).get(INCIDENTS + "/" + id + "/history");
        history.then().statusCode(200)
                .body("items.revision", contains(1, 2, 3))
                .body("items.action", contains("create", "update", "delete"))
                .body("items.by", contains("utopia-56-reporter", "utopia-56-reporter", "utopia-56-coordinator"))
                .body("items[0].changes.field", contains("occurredAt", "location.commune", "categories",
                        "description", "complaint.status", "status"))
                .body("items[0].changes.find { it.field == 'location.commune' }.to", equalTo("Calais"))
                .body("items[1].changes.field", contains("location.commune", "description"))
                .body("items[1].changes[0].from", equalTo("Calais"))
                .body("items[1].changes[0].to", equalTo("Grande-Synthe"))
                .body("items[1].changes[1].redacted", equalTo(true))
                .body("items[1].changes[1]", not(hasKey("from")))
                .body("items[1].changes[1]", not(hasKey("to")))
                .body("items[2].changes.size()", equalTo(0));
        assertFalse(history.asString().contains("secret"));
    }

    @Test
    void deleteIsForCoordinatorsAndLeavesATombstone() {
        String id = createIncident(reporter, incident("Calais"));
        as(reporter).delete(INCIDENTS + "/" + id).then().statusCode(403)
                .contentType("application/problem+json");
        as(Tokens.coordinator(ORG)).header("If-Match", "\"3\"").delete(INCIDENTS + "/" + id).then().statusCode(412);
        as(Tokens.coordinator(ORG)).delete(INCIDENTS + "/" + id).then().statusCode(204);

        as(reporter).get(INCIDENTS + "/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        as(reporter).header("If-Match", "\"2\"").body(incident("Calais")).put(INCIDENTS + "/" + id)
                .then().statusCode(404);
        as(Tokens.coordinator(ORG)).delete(INCIDENTS + "/" + id).then().statusCode(404);
        as(reporter).get(INCIDENTS + "/" + id + "/history").then().statusCode(200)
                .body("items.action", contains("create", "delete"));
        Map<String, Object> row = Db.row("SELECT deleted_at, deleted_by, version FROM incident WHERE id = ?",
                UUID.fromString(id)).orElseThrow();
        assertEquals("utopia-56-coordinator", row.get("deleted_by"));
        assertNotNull(row.get("deleted_at"));
        assertEquals(2, row.get("version"));
    }

    @Test
    void externalIdIsUniqueAmongLiveIncidents() {
        Map<String, Object> body = incident("Calais");
        body.put("externalId", unique("HRO"));
        String first = createIncident(reporter, body);
        as(reporter).body(body).post(INCIDENTS).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/conflict"))
                .body("errors[0].field", equalTo("externalId"));
        as(Tokens.coordinator(ORG)).delete(INCIDENTS + "/" + first).then().statusCode(204);
        as(reporter).body(body).post(INCIDENTS).then().statusCode(201);
    }
}
