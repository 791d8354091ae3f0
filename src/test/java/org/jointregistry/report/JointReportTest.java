package org.jointregistry.report;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jointregistry.aggregate.PerturbedFigures;
import org.jointregistry.aggregate.AggregateFixture;
import org.jointregistry.aggregate.FixtureTest;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** The joint report on the hand-countable fixture, and its frozen snapshots. */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class JointReportTest extends FixtureTest {

    @Test
    void theReportComposesTheBreakdownsWithItsRules() {
        String body = given().auth().oauth2(Tokens.reporter("utopia-56")).when().get("/api/v1/reports/joint")
                .then().statusCode(200).contentType("application/json").extract().asString();
        // Canonical: keys sorted, no whitespace between tokens.
        assertTrue(body.startsWith("{\"byCategory\":{\"groupBy\":[\"categoryGroup\",\"category\"],"
                + "\"maxPerturbation\":2,\"minCellSize\":3,"), body);
        assertTrue(body.endsWith("\"withComplaint\":2}}"), body);
        JsonPath report = JsonPath.from(body);
        assertEquals(3, report.getInt("rules.minCellSize"));
        assertEquals(List.of("submitted", "verified"), report.getList("rules.countedStatuses"));
        assertEquals("joint-report/3", report.getString("rules.version"));
        assertTrue(report.getString("rules.suppression").contains("1 to minCellSize-1 distinct volunteers"));
        assertEquals(2, report.getInt("rules.maxPerturbation"));
        assertTrue(report.getString("rules.perturbation").contains("cell-key method"));
        assertEquals("Europe/Paris", report.getString("period.timeZone"));
        assertNull(report.get("period.from"));
        // The headline figures are exact; the volunteers perturbed (7 counted by hand).
        assertEquals(8, report.getInt("summary.incidents"));
        assertEquals(8, report.getInt("summary.events"));
        assertEquals(3, report.getInt("summary.organizations"));
        PerturbedFigures.assertPerturbed(7, 3, report.get("summary.volunteers"), "summary volunteers");
        assertEquals(List.of("2018-01", "2018-02", "2018-03", "2018-04"), report.getList("byMonth.rows.month"));
        assertEquals(4, report.getInt("byMonth.rows.find { it.month == '2018-02' }.incidents"));
        // pressure 5/6, obstruction 3/3, violence 1/2: violence's 2 volunteers are withheld, its incident is not,
        // and no complement is needed (the incidents are exact, every volunteers figure perturbed).
        assertEquals(5, report.getInt("byCategoryGroup.rows.find { it.categoryGroup == 'pressure' }.incidents"));
        assertEquals(3, report.getInt("byCategoryGroup.rows.find { it.categoryGroup == 'obstruction' }.incidents"));
        assertEquals(false, report.get("byCategoryGroup.rows.find { it.categoryGroup == 'obstruction' }.suppressed"));
        assertEquals(1, report.getInt("byCategoryGroup.rows.find { it.categoryGroup == 'violence' }.incidents"));
        assertNull(report.get("byCategoryGroup.rows.find { it.categoryGroup == 'violence' }.volunteers"));
        assertEquals(true, report.get("byCategoryGroup.rows.find { it.categoryGroup == 'violence' }.suppressed"));
        assertEquals("pressure", report.getString("byCategory.rows.find { it.category == 'identity_check' }"
                + ".categoryGroup"));
        assertEquals(5, report.getInt("byForce.rows.find { it.force == 'crs' }.incidents"));
        assertEquals(4, report.getInt("byCommune.rows.find { it.commune == 'Calais' }.incidents"));
        PerturbedFigures.assertPerturbed(3, 3, report.get("byNationality.rows.find { it.nationality == 'GB' }"
                + ".volunteers"), "GB volunteers");
        assertEquals(List.of("help-refugees", "refugee-info-bus", "utopia-56"),
                report.getList("byOrganization.rows.organization"));
    }

    @Test
    void genderSectionAndComplaints() {
        JsonPath report = given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports/joint")
                .then().statusCode(200).extract().jsonPath();
        // 4 of the 7 volunteers are women: the share is of the two perturbed figures the document publishes.
        int women = report.getInt("byGender.rows.rows.find { it.gender == 'female' }.volunteers");
        int volunteers = report.getInt("byGender.rows.total.volunteers");
        PerturbedFigures.assertPerturbed(4, 3, women, "women");
        PerturbedFigures.assertPerturbed(7, 3, volunteers, "volunteers");
        assertEquals(JointReportService.share((long) women, (long) volunteers).floatValue(),
                report.getFloat("byGender.womenShareOfVolunteers"));
        PerturbedFigures.assertPerturbed(6, 1, report.get("byGender.rows.rows.find { it.gender == 'female' }"
                + ".incidents"), "incidents involving women");
        // identity_check x female (4 incidents, 3 women) is alone in its slice with the small
        // identity_check x male cell, so it is withheld; the category's own figure is not.
        Map<String, Object> identity = report.getMap("byGender.categories.find { it.category == 'identity_check' }");
        assertEquals(4, identity.get("incidents"));
        assertNull(identity.get("incidentsInvolvingWomen"));
        assertNull(identity.get("shareOfIncidentsInvolvingWomen"));
        assertEquals(true, identity.get("suppressed"));
        // The incident without volunteers involved no woman.
        Map<String, Object> association = report.getMap(
                "byGender.categories.find { it.category == 'association_intimidation' }");
        assertEquals(1, association.get("incidents"));
        assertEquals(0, association.get("incidentsInvolvingWomen"));
        assertEquals(0, association.get("shareOfIncidentsInvolvingWomen"));
        assertEquals(false, association.get("suppressed"));
        assertEquals(8, report.getInt("complaints.incidents"));
        assertEquals(2, report.getInt("complaints.withComplaint"));
        assertEquals(0.25f, report.getFloat("complaints.complaintRate"));
        assertEquals(List.of("none", "planned", "filed", "dismissed"),
                report.getList("complaints.byStatus.rows.complaintStatus"));
        assertEquals(List.of("complaintBody", "complaintStatus"), report.getList("complaints.byBody.groupBy"));
    }

    @Test
    void aPeriodNarrowsTheReport() {
        JsonPath report = given().auth().oauth2(Tokens.analyst())
                .queryParam("from", "2018-02-01").queryParam("to", "2018-02-28")
                .when().get("/api/v1/reports/joint").then().statusCode(200).extract().jsonPath();
        assertEquals("2018-02-01", report.getString("period.from"));
        assertEquals(4, report.getInt("summary.incidents"));
        assertEquals(List.of("2018-02"), report.getList("byMonth.rows.month"));
        given().auth().oauth2(Tokens.analyst()).queryParam("from", "yesterday")
                .when().get("/api/v1/reports/joint").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
    }

    @Test
    void aSnapshotIsFrozenByteForByte() throws Exception {
        Response created = given().auth().oauth2(Tokens.coordinator("help-refugees"))
                .contentType("application/json").body(Map.of("from", "2018-01-01", "to", "2018-06-30"))
                .when().post("/api/v1/reports");
        created.then().statusCode(201)
                .header("Location", endsWith("/api/v1/reports/" + created.path("id")))
                .body("from", equalTo("2018-01-01"))
                .body("to", equalTo("2018-06-30"))
                .body("document.summary.incidents", equalTo(8));
        String id = created.path("id");
        String frozen = created.asString();
        String document = SnapshotJson.documentOf(frozen);
        assertEquals(sha256(document), created.path("sha256"), "the hash is over the document's bytes");
        assertEquals(document, given().auth().oauth2(Tokens.analyst()).queryParam("from", "2018-01-01")
                .queryParam("to", "2018-06-30").when().get("/api/v1/reports/joint").asString(),
                "same data, same bytes");

        // Incidents change afterwards: edited, deleted, unlinked, added.
        AggregateFixture.execute("UPDATE incident SET categories = '{physical_violence}', status = 'verified' "
                + "WHERE id = ?", AggregateFixture.id("I4"));
        AggregateFixture.execute("UPDATE incident SET deleted_at = now(), deleted_by = 'test' WHERE id = ?",
                AggregateFixture.id("I6"));
        AggregateFixture.execute("DELETE FROM incident_volunteer WHERE incident_id = ?", AggregateFixture.id("I3"));
        AggregateFixture.execute("UPDATE incident SET occurred_at = occurred_at - interval '40 days' WHERE id = ?",
                AggregateFixture.id("I8"));
        try {
            String now = given().auth().oauth2(Tokens.analyst()).queryParam("from", "2018-01-01")
                    .queryParam("to", "2018-06-30").when().get("/api/v1/reports/joint").asString();
            assertNotEquals(document, now, "the live report moved");
            assertEquals(frozen, given().auth().oauth2(Tokens.reporter("utopia-56"))
                    .when().get("/api/v1/reports/" + id).then().statusCode(200).extract().asString());
            given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports/" + id + "/verify")
                    .then().statusCode(200)
                    .body("valid", equalTo(true))
                    .body("sha256", equalTo(created.path("sha256")))
                    .body("recomputedSha256", equalTo(sha256(document)));
            given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports")
                    .then().statusCode(200).body("items.id", hasItem(id));
        } finally {
            AggregateFixture.load();
        }
    }

    /**
     * The keys are part of the data: the same rows, keys included, copied out and loaded into emptied
     * tables (as a dump is restored into a fresh database), give the frozen snapshot's bytes again.
     */
    @Test
    void aSnapshotIsReproducedFromACopyOfItsRows() throws Exception {
        Response created = given().auth().oauth2(Tokens.analyst()).contentType("application/json")
                .body(Map.of("from", "2017-11-01", "to", "2018-06-30")).when().post("/api/v1/reports");
        created.then().statusCode(201);
        String document = SnapshotJson.documentOf(created.asString());
        List<String> tables = List.of("shared_event", "volunteer", "incident", "incident_volunteer");
        Map<String, String> rows = new java.util.LinkedHashMap<>();
        try (Connection admin = AggregateFixture.admin()) {
            CopyManager copy = admin.unwrap(PGConnection.class).getCopyAPI();
            for (String table : tables) {
                StringWriter out = new StringWriter();
                copy.copyOut("COPY " + table + " TO STDOUT", out);
                rows.put(table, out.toString());
            }
            AggregateFixture.clear();
            assertNotEquals(document, joint("2017-11-01", "2018-06-30"), "emptied");
            for (String table : tables) {
                copy.copyIn("COPY " + table + " FROM STDIN", new StringReader(rows.get(table)));
            }
        }
        assertEquals(7, rows.get("volunteer").lines().count(), "the fixture's volunteers were copied");
        String reproduced = joint("2017-11-01", "2018-06-30");
        assertEquals(document, reproduced, "the same rows and keys give the same bytes");
        assertEquals(created.path("sha256"), sha256(reproduced));
    }

    private static String joint(String from, String to) {
        return given().auth().oauth2(Tokens.analyst()).queryParam("from", from).queryParam("to", to)
                .when().get("/api/v1/reports/joint").then().statusCode(200).extract().asString();
    }

    @Test
    void theDatabaseRefusesToChangeASnapshot() {
        String id = given().auth().oauth2(Tokens.analyst()).contentType("application/json").body("{}")
                .when().post("/api/v1/reports").then().statusCode(201).extract().path("id");
        for (String change : List.of("UPDATE report_snapshot SET document = '{}' WHERE id = ?::uuid",
                "DELETE FROM report_snapshot WHERE id = ?::uuid")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> AggregateFixture.execute(change, id), change);
            assertTrue(refused.getMessage().contains("immutable"), refused.getMessage());
        }
        given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports/" + id + "/verify")
                .then().statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void rolesAndErrors() {
        given().auth().oauth2(Tokens.reporter("utopia-56")).contentType("application/json").body("{}")
                .when().post("/api/v1/reports")
                .then().statusCode(403).contentType("application/problem+json");
        given().contentType("application/json").body("{}").when().post("/api/v1/reports").then().statusCode(401);
        given().when().get("/api/v1/reports/joint").then().statusCode(401);
        given().when().get("/api/v1/reports").then().statusCode(401);
        given().auth().oauth2(Tokens.analyst()).contentType("application/json")
                .body(Map.of("from", "2018-03-01", "to", "2018-02-01"))
                .when().post("/api/v1/reports")
                .then().statusCode(422).body("errors[0].field", equalTo("to"));
        given().auth().oauth2(Tokens.analyst()).contentType("application/json").body(Map.of("since", "2018"))
                .when().post("/api/v1/reports").then().statusCode(422).body("errors[0].field", equalTo("since"));
        given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports/" + java.util.UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
