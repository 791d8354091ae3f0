package org.jointregistry.sync;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jointregistry.support.Db;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** POST /incidents/import and GET /incidents/export. */
@QuarkusTest
class CsvSheetTest {

    private static final String ORG = "utopia-56";
    private static final String OTHER = "help-refugees";
    private static final String IMPORT = INCIDENTS + "/import";
    private static final String EXPORT = INCIDENTS + "/export";

    private static ValidatableResponse upload(String token, String sheet, boolean dryRun) {
        return given().auth().oauth2(token).contentType("text/csv").accept("application/json")
                .queryParam("dryRun", dryRun).body(sheet.getBytes(StandardCharsets.UTF_8)).post(IMPORT).then();
    }

    private static long stored(String commune) {
        return ((Number) Db.row("SELECT count(*) AS n FROM incident WHERE commune = ? AND deleted_at IS NULL",
                commune).orElseThrow().get("n")).longValue();
    }

    @Test
    void readsABomSemicolonsFrenchDatesAndAQuotedMultiLineDescription() {
        String coordinator = Tokens.coordinator(ORG);
        String first = unique("V");
        String second = unique("V");
        String firstId = createVolunteer(coordinator, first);
        String secondId = createVolunteer(coordinator, second);
        String commune = unique("Calais");
        String sheet = "\uFEFFexternalId;occurredAt;commune;latitude;longitude;categories;forces;volunteers;"
                + "description;complaintStatus;complaintBody;complaintFiledOn\r\n"
                + commune + "-1;14/03/2018 18:30;" + commune + ";50,951;-1,5;identity_check | body_search;crs;"
                + first + "|" + second + ";\"First line;\r\nsecond \"\"quoted\"\" line\";filed;igpn;20/03/2018\r\n"
                + ";2018-07-01T09:00:00Z;" + commune + ";;;fine;;;'=1+1;;;\r\n";

        List<String> ids = upload(Tokens.reporter(ORG), sheet, false).statusCode(200)
                .body("created", equalTo(2)).body("replaced", equalTo(0)).extract().path("ids");

        as(coordinator).get(INCIDENTS + "/" + ids.get(0)).then().statusCode(200)
                .body("externalId", equalTo(commune + "-1"))
                .body("occurredAt", equalTo("2018-03-14T18:30:00+01:00"))
                .body("location.latitude", equalTo(50.951f))
                .body("location.longitude", equalTo(-1.5f))
                .body("categories", equalTo(List.of("identity_check", "body_search")))
                .body("volunteerIds", containsInAnyOrder(firstId, secondId))
                .body("description", equalTo("First line;\r\nsecond \"quoted\" line"))
                .body("complaint.filedOn", equalTo("2018-03-20"));
        as(coordinator).get(INCIDENTS + "/" + ids.get(1)).then().statusCode(200)
                .body("occurredAt", equalTo("2018-07-01T09:00:00Z"))
                .body("description", equalTo("=1+1"));
    }

    @Test
    void everyErrorIsListedWithItsRowAndNothingIsWritten() {
        String commune = unique("Errors");
        String sheet = "occurredAt,commune,categories,latitude,longitude,volunteers\n"
                + "2018-03-14T18:30:00+01:00," + commune + ",fine,,,\n"
                + "31/02/2018 18:30," + commune + ",fine,,,\n"
                + "2018-03-14T18:30:00+01:00," + commune + ",fine,,,nobody-" + commune + "\n"
                + "2018-03-14T18:30:00+01:00," + commune + ",fine|fines,,,\n"
                + "2018-03-14T18:30:00+01:00," + commune + ",fine,95,1.8,\n";

        upload(Tokens.reporter(ORG), sheet, false).statusCode(422)
                .body("errors.field", equalTo(List.of("[3].occurredAt", "[4].volunteers[0]", "[5].categories[1]",
                        "[6].latitude")));
        assertEquals(0, stored(commune));
    }

    @Test
    void anUnknownHeaderIsRefusedWithTheAllowedOnes() {
        upload(Tokens.reporter(ORG), "occurredAt,categories,colour\n2018-03-14T18:30:00Z,fine,red\n", false)
                .statusCode(422)
                .body("detail", containsString("Allowed columns: externalId, occurredAt"))
                .body("errors[0].field", equalTo("[1]"))
                .body("errors[0].message", containsString("colour"));
    }

    @Test
    void aMalformedSheetIs400WithItsRow() {
        upload(Tokens.reporter(ORG), "occurredAt,categories\n2018-03-14T18:30:00Z,fine\n\"2018\"x,fine\n", false)
                .statusCode(400).body("errors[0].field", equalTo("[3]"));
        upload(Tokens.reporter(ORG), "occurredAt,categories\n2018-03-14T18:30:00Z,\"fine\n", false)
                .statusCode(400).body("errors[0].field", equalTo("[2]"));
    }

    @Test
    void aDryRunValidatesWithoutWriting() {
        String commune = unique("Dry");
        String sheet = "occurredAt,commune,categories\n2018-03-14T18:30:00Z," + commune + ",fine\n"
                + "2018-03-15T18:30:00Z," + commune + ",threat\n";
        upload(Tokens.reporter(ORG), sheet, true).statusCode(200)
                .body("dryRun", equalTo(true)).body("created", equalTo(2)).body("ids", equalTo(null));
        assertEquals(0, stored(commune));
    }

    @Test
    void rowsWithAnExternalIdReplaceAndAnUnchangedRowKeepsItsVersion() {
        String token = Tokens.reporter(ORG);
        String commune = unique("Upsert");
        String header = "externalId,occurredAt,commune,categories,officerCount\n";
        String row = commune + "-a,2018-03-14T18:30:00Z," + commune + ",fine,";
        String id = upload(token, header + row + "2\n", false).statusCode(200).extract().path("ids[0]");

        upload(token, header + row + "3\n", false).statusCode(200)
                .body("created", equalTo(0)).body("replaced", equalTo(1)).body("ids[0]", equalTo(id));
        upload(token, header + row + "3\n", false).statusCode(200).body("replaced", equalTo(1));
        as(token).get(INCIDENTS + "/" + id).then().body("officerCount", equalTo(3)).body("version", equalTo(2));
        assertEquals(1, stored(commune));
    }

    @Test
    void anExportReimportsToTheSameIncidentsInAnotherOrganisation() {
        String reporter = Tokens.reporter(ORG);
        String commune = unique("Trip");
        String pseudonym = unique("V|pipe");
        String volunteer = createVolunteer(Tokens.coordinator(ORG), pseudonym);
        createVolunteer(Tokens.coordinator(OTHER), pseudonym);

        Map<String, Object> full = incident(commune);
        full.put("externalId", commune + "-full");
        full.put("occurredAt", "2018-03-14T18:30:00+02:00");
        full.put("location", Map.of("commune", commune, "site", "-quai; \"est\"", "latitude", 50.951,
                "longitude", -1.5));
        full.put("categories", List.of("threat", "insult"));
        full.put("forces", List.of("crs", "gendarmerie"));
        full.put("officerCount", 4);
        full.put("volunteerIds", List.of(volunteer));
        full.put("description", "=HYPERLINK(\"http://x\")\nsecond line, with comma");
        full.put("complaint", Map.of("status", "filed", "body", "defenseur_des_droits", "filedOn", "2018-03-20",
                "reference", "@ref-1"));
        full.put("status", "verified");
        createIncident(reporter, full);
        Map<String, Object> quoted = incident(commune);
        quoted.put("externalId", commune + "-quote");
        quoted.put("description", "'already quoted");
        createIncident(reporter, quoted);
        createIncident(reporter, incident(commune));

        String sheet = given().auth().oauth2(reporter).accept("text/csv").queryParam("commune", commune).get(EXPORT)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        assertTrue(sheet.contains(",\"'=HYPERLINK("), sheet);
        assertTrue(sheet.contains(",-1.5,"), sheet);
        assertTrue(sheet.contains(",''already quoted,"), sheet);
        assertEquals(4, sheet.split("\r\n").length, "header and three rows (the newline is in a quoted cell)");

        upload(Tokens.reporter(OTHER), sheet, false).statusCode(200).body("created", equalTo(3));
        assertEquals(comparable(ORG, commune), comparable(OTHER, commune));
        // Re-imported where it came from, the sheet changes nothing.
        upload(reporter, sheet, false).statusCode(200).body("replaced", equalTo(2)).body("created", equalTo(1));
        as(reporter).queryParam("commune", commune).get(INCIDENTS).then()
                .body("items.version", equalTo(List.of(1, 1, 1, 1)));
    }

    /** An organisation's incidents of a commune, without what differs between organisations. */
    private static List<Map<String, Object>> comparable(String organization, String commune) {
        String token = Tokens.coordinator(organization);
        Map<String, String> pseudonyms = new HashMap<>();
        as(token).get(VOLUNTEERS).then().extract().jsonPath().getList("items", Map.class)
                .forEach(v -> pseudonyms.put((String) v.get("id"), (String) v.get("pseudonym")));
        List<Map<String, Object>> items = as(token).queryParam("commune", commune).get(INCIDENTS).then()
                .statusCode(200).extract().jsonPath().getList("items");
        return items.stream().map(item -> {
            Map<String, Object> copy = new HashMap<>(item);
            List.of("id", "organization", "version", "createdAt", "updatedAt", "createdBy").forEach(copy::remove);
            copy.put("volunteerIds", ((List<?>) item.get("volunteerIds")).stream().map(pseudonyms::get).toList());
            return copy;
        }).sorted(Comparator.comparing(Object::toString)).toList();
    }
}
