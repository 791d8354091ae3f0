package org.jointregistry.aggregate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.jointregistry.aggregate.PerturbedFigures.assertPerturbed;
import static org.jointregistry.aggregate.PerturbedFigures.perturbed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * The contract's counting rules on the hand-countable fixture (see
 * {@link AggregateFixture} for the data; every expected figure below was
 * counted by hand from that table). k = 3. The figures the model keeps exact
 * (incidents and events but in breakdowns by gender or nationality) are
 * asserted equal; the perturbed ones (volunteers everywhere, the incidents of
 * gender and nationality rows) within the published bound of the hand count
 * and never below their floor ({@link PerturbedFigures}): the fixture's keys
 * are random, as every volunteer's and incident's are.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class AggregateCountsTest extends FixtureTest {

    static RequestSpecification analyst() {
        return given().auth().oauth2(Tokens.analyst());
    }

    @Test
    void summaryCountsSubmittedAndVerifiedOnceEach() {
        analyst().when().get("/api/v1/aggregates/summary")
                .then().statusCode(200)
                .body("incidents", equalTo(8))
                .body("volunteers", perturbed(7, 3))
                .body("organizations", equalTo(3))
                .body("withComplaint", equalTo(2))
                .body("firstOccurredAt", equalTo("2018-01-05T09:00:00+01:00"))
                .body("lastOccurredAt", equalTo("2018-04-01T01:30:00+02:00"))
                .body("minCellSize", equalTo(3))
                .body("maxPerturbation", equalTo(2));
    }

    @Test
    void statusFilterReplacesTheCountedStatusesButNeverCountsDeleted() {
        // One and two volunteers: withheld (k = 3), the incidents exact.
        analyst().queryParam("status", "draft").when().get("/api/v1/aggregates/summary")
                .then().statusCode(200).body("incidents", equalTo(1)).body("volunteers", nullValue());
        analyst().queryParam("status", "draft", "retracted").when().get("/api/v1/aggregates/summary")
                .then().statusCode(200).body("incidents", equalTo(2)).body("volunteers", nullValue());
        // I5 is submitted but deleted.
        analyst().queryParam("status", "submitted").when().get("/api/v1/aggregates/summary")
                .then().statusCode(200).body("incidents", equalTo(6));
    }

    @Test
    void filtersSelectIncidents() {
        Map<String, Object[]> expected = Map.of(
                "category=identity_check", new Object[] { 4, 4 },
                "categoryGroup=violence", new Object[] { 1, null },
                "force=crs", new Object[] { 5, 6 },
                "commune=Calais", new Object[] { 4, 5 },
                "organization=refugee-info-bus", new Object[] { 2, null },
                "from=2018-02-01&to=2018-02-28", new Object[] { 4, 4 },
                "to=2018-01-31", new Object[] { 2, 5 },
                "organization=utopia-56&organization=help-refugees&commune=Calais", new Object[] { 4, 5 },
                "category=fine&categoryGroup=pressure", new Object[] { 0, 0 });
        expected.forEach((query, figures) -> {
            JsonPath body = analyst().when().get("/api/v1/aggregates/summary?" + query)
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(figures[0], body.getInt("incidents"), query);
            if (figures[1] == null) {
                assertNull(body.get("volunteers"), query + ": 1 or 2 volunteers are withheld");
            } else {
                assertPerturbed((Integer) figures[1], 3, body.get("volunteers"), query);
            }
        });
    }

    @Test
    void anIncidentCountsOnceInEachOfItsCategoriesAndOnceInTheTotal() {
        JsonPath body = counts("groupBy=category");
        assertRow(body, "category", "identity_check", 4, 4);
        assertRow(body, "category", "fine", 2, 3);
        assertRow(body, "category", "association_intimidation", 1, 0);
        // 2 volunteers each: withheld; the incidents are report facts and stay.
        assertVolunteersWithheld(body, 1, "category", "body_search");
        assertVolunteersWithheld(body, 1, "category", "insult");
        assertVolunteersWithheld(body, 1, "category", "threat");
        assertVolunteersWithheld(body, 1, "category", "surveillance_filming");
        assertEquals(List.of("surveillance_filming", "identity_check", "body_search", "fine",
                "association_intimidation", "threat", "insult"), body.getList("rows.category"), "taxonomy order");
        assertEquals(8, body.getInt("total.incidents"));
        assertPerturbed(7, 3, body.get("total.volunteers"), "total volunteers");
    }

    @Test
    void monthsAreParisMonths() {
        // I2 (31 Jan 23:30 UTC) is in February and I8 (31 Mar 23:30 UTC) in April in Paris.
        JsonPath body = counts("groupBy=month");
        assertEquals(List.of("2018-01", "2018-02", "2018-03", "2018-04"), body.getList("rows.month"));
        assertRow(body, "month", "2018-01", 2, 5);
        assertRow(body, "month", "2018-02", 4, 4);
        assertVolunteersWithheld(body, 1, "month", "2018-03");
        assertVolunteersWithheld(body, 1, "month", "2018-04");
    }

    @Test
    void weeksAndDaysAreParisToo() {
        JsonPath weeks = counts("groupBy=week&organization=utopia-56");
        assertEquals(List.of("2018-W02", "2018-W05", "2018-W07"), weeks.getList("rows.week"));
        JsonPath days = counts("groupBy=day&organization=utopia-56");
        assertEquals(List.of("2018-01-10", "2018-02-01", "2018-02-15"), days.getList("rows.day"));
    }

    @Test
    void genderRowsCountIncidentsInvolvingAtLeastOneVolunteerOfThatGender() {
        JsonPath body = counts("groupBy=gender");
        assertPersonRow(body, 6, 4, "gender", "female");
        assertSuppressed(body, "gender", "male");
        assertSuppressed(body, "gender", "non_binary");
        // I10 has no volunteer: a row of its own, nobody to protect (its incidents perturbed as the breakdown's).
        assertPersonRow(body, 1, 0, "gender", null);
        assertEquals(8, body.getInt("total.incidents"));
    }

    @Test
    void nationalityRows() {
        JsonPath body = counts("groupBy=nationality");
        assertPersonRow(body, 5, 3, "nationality", "GB");
        for (String suppressed : new String[] { "FR", "DE", "IE", null }) {
            assertSuppressed(body, "nationality", suppressed);
        }
    }

    @Test
    void forcesCommunesAndComplaints() {
        JsonPath forces = counts("groupBy=force");
        assertRow(forces, "force", "crs", 5, 6);
        assertRow(forces, "force", "police_municipale", 1, 3);
        assertRow(forces, "force", "gendarmerie", 1, 0);
        assertVolunteersWithheld(forces, 1, "force", "police_nationale");
        assertVolunteersWithheld(forces, 1, "force", null);
        JsonPath communes = counts("groupBy=commune");
        assertRow(communes, "commune", "Calais", 4, 5);
        assertRow(communes, "commune", "Dunkerque", 1, 3);
        assertRow(communes, "commune", "Loon-Plage", 1, 0);
        assertVolunteersWithheld(communes, 1, "commune", "Grande-Synthe");
        assertVolunteersWithheld(communes, 1, "commune", null);
        JsonPath complaints = counts("groupBy=complaintStatus");
        assertRow(complaints, "complaintStatus", "none", 5, 6);
        assertRow(complaints, "complaintStatus", "dismissed", 1, 3);
        assertVolunteersWithheld(complaints, 1, "complaintStatus", "filed");
        assertVolunteersWithheld(complaints, 1, "complaintStatus", "planned");
    }

    @Test
    void filterOnAGroupedDimensionSelectsItsRows() {
        JsonPath body = counts("groupBy=category&category=identity_check&category=fine");
        assertEquals(List.of("identity_check", "fine"), body.getList("rows.category"));
        assertRow(body, "category", "identity_check", 4, 4);
        assertRow(body, "category", "fine", 2, 3);
        assertEquals(5, body.getInt("total.incidents"));
        assertPerturbed(6, 3, body.get("total.volunteers"), "total volunteers");
    }

    @Test
    void twoDimensions() {
        JsonPath clear = counts("groupBy=organization,complaintStatus&organization=help-refugees");
        assertEquals(List.of("organization", "complaintStatus"), clear.getList("groupBy"));
        assertEquals(List.of("none", "dismissed"), clear.getList("rows.complaintStatus"));
        assertRow(clear, 2, 3, "organization", "help-refugees", "complaintStatus", "none");
        assertRow(clear, 1, 3, "organization", "help-refugees", "complaintStatus", "dismissed");

        // Small cells help-refugees/2018-02, help-refugees/2018-04 and utopia-56/2018-01 withhold their
        // volunteers only: nothing of a breakdown by report dimensions needs a complement (the exact
        // incidents are published, and every volunteers figure is perturbed).
        JsonPath table = counts("groupBy=organization,month&organization=help-refugees&organization=utopia-56");
        assertEquals(5, table.getList("rows").size());
        for (String[] cell : new String[][] { { "help-refugees", "2018-02" }, { "help-refugees", "2018-04" },
                { "utopia-56", "2018-01" } }) {
            assertVolunteersWithheld(table, 1, "organization", cell[0], "month", cell[1]);
        }
        assertRow(table, 1, 3, "organization", "help-refugees", "month", "2018-01");
        assertRow(table, 2, 3, "organization", "utopia-56", "month", "2018-02");
        assertEquals(6, table.getInt("total.incidents"));
        assertPerturbed(6, 3, table.get("total.volunteers"), "total volunteers");

        // By a volunteer attribute the complement stays: male and non_binary in help-refugees are small.
        JsonPath genders = counts("groupBy=organization,gender&organization=help-refugees");
        assertSuppressed(genders, "organization", "help-refugees", "gender", "male");
        assertSuppressed(genders, "organization", "help-refugees", "gender", "non_binary");
        assertSuppressed(genders, "organization", "help-refugees", "gender", "female");
    }

    @Test
    void timeseriesIsZeroFilledOverTheFilterRange() {
        JsonPath body = analyst().queryParam("interval", "month").queryParam("from", "2017-12-01")
                .queryParam("to", "2018-05-31")
                .when().get("/api/v1/aggregates/timeseries").then().statusCode(200).extract().jsonPath();
        assertEquals("month", body.getString("interval"));
        assertEquals(List.of("2017-12", "2018-01", "2018-02", "2018-03", "2018-04", "2018-05"),
                body.getList("rows.month"));
        assertRow(body, "month", "2017-12", 0, 0);
        assertRow(body, "month", "2018-01", 2, 5);
        assertRow(body, "month", "2018-05", 0, 0);
        assertVolunteersWithheld(body, 1, "month", "2018-03");
        assertEquals(8, body.getInt("total.incidents"));
    }

    @Test
    void timeseriesWithoutRangeSpansTheData() {
        JsonPath weeks = analyst().queryParam("interval", "week")
                .when().get("/api/v1/aggregates/timeseries").then().statusCode(200).extract().jsonPath();
        List<String> expected = new ArrayList<>();
        for (int w = 1; w <= 13; w++) {
            expected.add(String.format("2018-W%02d", w));
        }
        assertEquals(expected, weeks.getList("rows.week"));
        JsonPath days = analyst().queryParam("interval", "day").queryParam("organization", "utopia-56")
                .when().get("/api/v1/aggregates/timeseries").then().statusCode(200).extract().jsonPath();
        assertEquals(37, days.getList("rows").size(), "10 January to 15 February");
        assertEquals(0, days.getInt("rows[1].incidents"));
    }

    @Test
    void unknownDimensionsAndValuesAreProblemsListingTheAllowedOnes() {
        analyst().queryParam("groupBy", "category,colour").queryParam("category", "kettling")
                .queryParam("organization", "acme").queryParam("from", "2018-13-01")
                .when().get("/api/v1/aggregates/counts")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/invalid-parameter"))
                .body("errors.field", contains("groupBy", "from", "category", "organization"))
                .body("errors.find { it.field == 'groupBy' }.message",
                        containsString("category, categoryGroup, organization, force, commune, day, week, month, "
                                + "gender, nationality, complaintStatus, complaintBody"))
                .body("errors.find { it.field == 'category' }.message", containsString("identity_check"))
                .body("errors.find { it.field == 'organization' }.message", containsString("utopia-56"));
        analyst().when().get("/api/v1/aggregates/counts")
                .then().statusCode(400).body("errors.field", contains("groupBy"));
        analyst().queryParam("interval", "year").when().get("/api/v1/aggregates/timeseries")
                .then().statusCode(400).body("errors[0].message", containsString("day, week, month"));
        analyst().queryParam("status", "published").queryParam("force", "army").when()
                .get("/api/v1/aggregates/summary")
                .then().statusCode(400).body("errors.field", hasItems("status", "force"));
        analyst().queryParam("from", "2018-03-01").queryParam("to", "2018-02-01").when()
                .get("/api/v1/aggregates/summary")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
        analyst().queryParam("interval", "day").queryParam("from", "1900-01-01").when()
                .get("/api/v1/aggregates/timeseries")
                .then().statusCode(400).body("errors[0].field", equalTo("interval"));
    }

    @Test
    void csvHasTheSameNumbers() {
        String csv = analyst().accept("text/csv").when().get("/api/v1/aggregates/counts?groupBy=month")
                .then().statusCode(200).contentType(containsString("text/csv")).header("X-Min-Cell-Size", "3")
                .header("X-Max-Perturbation", "2").extract().asString();
        // The perturbed volunteers as the JSON publishes them: the same cells, the same values.
        JsonPath json = counts("groupBy=month");
        assertEquals("""
                kind,month,incidents,events,volunteers,suppressed\r
                row,2018-01,2,2,%s,false\r
                row,2018-02,4,4,%s,false\r
                row,2018-03,1,1,,true\r
                row,2018-04,1,1,,true\r
                total,,8,8,%s,false\r
                """.formatted(json.getInt("rows[0].volunteers"), json.getInt("rows[1].volunteers"),
                json.getInt("total.volunteers")), csv);
        String summary = analyst().accept("text/csv").when().get("/api/v1/aggregates/summary")
                .then().statusCode(200).extract().asString();
        int volunteers = analyst().when().get("/api/v1/aggregates/summary").then().extract().path("volunteers");
        assertEquals(json.getInt("total.volunteers"), volunteers, "the summary's volunteers are the total's");
        assertEquals("incidents,events,sharedEvents,volunteers,organizations,firstOccurredAt,lastOccurredAt,"
                + "withComplaint,minCellSize,maxPerturbation\r\n"
                + "8,8,0," + volunteers + ",3,2018-01-05T09:00+01:00,2018-04-01T01:30+02:00,2,3,2\r\n", summary);
    }

    @Test
    void everyRoleReadsAndNoTokenIsRefused() {
        for (String token : List.of(Tokens.reporter("utopia-56"), Tokens.coordinator("help-refugees"),
                Tokens.analyst(), Tokens.syncClient("refugee-info-bus"))) {
            given().auth().oauth2(token).when().get("/api/v1/aggregates/summary")
                    .then().statusCode(200).body("incidents", equalTo(8));
        }
        for (String path : List.of("summary", "counts?groupBy=month", "timeseries")) {
            given().when().get("/api/v1/aggregates/" + path)
                    .then().statusCode(401).contentType("application/problem+json");
        }
    }

    static JsonPath counts(String query) {
        return analyst().when().get("/api/v1/aggregates/counts?" + query)
                .then().statusCode(200).body("minCellSize", equalTo(3)).extract().jsonPath();
    }

    /**
     * Asserts the counts of the row whose dimensions have these values (pairs: dimension, value):
     * a row by report dimensions, its incidents and events exact, its volunteers perturbed.
     */
    static void assertRow(JsonPath body, int incidents, int volunteers, String... pairs) {
        Map<String, Object> row = row(body, pairs);
        assertEquals(incidents, row.get("incidents"), "incidents of " + row);
        assertEquals(incidents, row.get("events"), "events of " + row);
        assertPerturbed(volunteers, 3, row.get("volunteers"), "volunteers of " + row);
        assertEquals(false, row.get("suppressed"), "suppressed " + row);
    }

    /** A row by gender or nationality: every figure perturbed. */
    static void assertPersonRow(JsonPath body, int incidents, int volunteers, String... pairs) {
        Map<String, Object> row = row(body, pairs);
        assertPerturbed(incidents, 1, row.get("incidents"), "incidents of " + row);
        assertEquals(row.get("incidents"), row.get("events"), "events of " + row + " (no shared event)");
        assertPerturbed(volunteers, 3, row.get("volunteers"), "volunteers of " + row);
        assertEquals(false, row.get("suppressed"), "suppressed " + row);
    }

    /** A row by report dimensions with 1 or 2 volunteers: those withheld, the incidents exact. */
    static void assertVolunteersWithheld(JsonPath body, int incidents, String... pairs) {
        Map<String, Object> row = row(body, pairs);
        assertEquals(true, row.get("suppressed"), "suppressed " + row);
        assertEquals(incidents, row.get("incidents"), "incidents of " + row);
        assertNull(row.get("volunteers"), "volunteers of " + row);
    }


    static void assertRow(JsonPath body, String dimension, String value, int incidents, int volunteers) {
        assertRow(body, incidents, volunteers, dimension, value);
    }

    static void assertSuppressed(JsonPath body, String... pairs) {
        Map<String, Object> row = row(body, pairs);
        assertEquals(true, row.get("suppressed"), "suppressed " + row);
        assertNull(row.get("incidents"));
        assertNull(row.get("volunteers"));
    }

    static Map<String, Object> row(JsonPath body, String... pairs) {
        List<Map<String, Object>> rows = body.getList("rows");
        return rows.stream().filter(r -> {
            for (int i = 0; i < pairs.length; i += 2) {
                if (!r.containsKey(pairs[i]) || !Objects.equals(r.get(pairs[i]), pairs[i + 1])) {
                    return false;
                }
            }
            return true;
        }).findFirst().orElseThrow(() -> new AssertionError("no row " + Arrays.asList(pairs) + " in " + rows));
    }
}
