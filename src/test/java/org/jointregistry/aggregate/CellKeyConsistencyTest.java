package org.jointregistry.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.jointregistry.stack.WholeNetwork;
import org.junit.jupiter.api.Test;

/**
 * The cell-key method's promise on the {@link AggregateFixture}: a figure is
 * a function of its contributors alone, so the same cell asked in different
 * ways (again, another filter order, repeated or comma-separated values, JSON
 * or CSV, a breakdown or a filter) is published with the same value.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class CellKeyConsistencyTest extends FixtureTest {

    @Test
    void theSameQueryTwiceAnswersTheSameBytes() {
        for (String query : List.of("groupBy=gender", "groupBy=nationality,organization", "groupBy=commune",
                "groupBy=gender,month&commune=Calais")) {
            assertEquals(body(query), body(query), query);
        }
    }

    @Test
    void filterOrderAndRepeatedOrCommaSeparatedValuesAnswerTheSame() {
        String repeated = body("groupBy=gender&commune=Calais&commune=Dunkerque&organization=help-refugees");
        for (String same : List.of("groupBy=gender&commune=Calais,Dunkerque&organization=help-refugees",
                "groupBy=gender&organization=help-refugees&commune=Dunkerque,Calais",
                "organization=help-refugees&commune=Dunkerque&groupBy=gender&commune=Calais")) {
            assertEquals(repeated, body(same), same);
        }
    }

    @Test
    void aBreakdownAndAFilterPublishTheSameCell() {
        // The women involved: every counted incident is of 2018 and of one of the three partners, so these
        // filters select the same incidents and the female rows have the same contributors.
        Map<String, Object> women = AggregateCountsTest.row(AggregateCountsTest.counts("groupBy=gender"), "gender",
                "female");
        assertEquals(false, women.get("suppressed"));
        for (String same : List.of("groupBy=gender&from=2018-01-01&to=2018-12-31",
                "groupBy=gender&organization=utopia-56,help-refugees,refugee-info-bus",
                "groupBy=gender&status=verified,submitted")) {
            Map<String, Object> row = AggregateCountsTest.row(AggregateCountsTest.counts(same), "gender", "female");
            assertEquals(figures(women), figures(row), same);
        }
        // A commune's volunteers: its row of a breakdown, the total of a breakdown filtered to it, its summary.
        Map<String, Object> calais = AggregateCountsTest.row(AggregateCountsTest.counts("groupBy=commune"), "commune",
                "Calais");
        JsonPath byMonth = AggregateCountsTest.counts("groupBy=month&commune=Calais");
        JsonPath summary = AggregateCountsTest.analyst().when().get("/api/v1/aggregates/summary?commune=Calais")
                .then().statusCode(200).extract().jsonPath();
        assertNotNull(calais.get("volunteers"));
        assertEquals(calais.get("volunteers"), byMonth.get("total.volunteers"));
        assertEquals(calais.get("volunteers"), summary.get("volunteers"));
        assertEquals(calais.get("incidents"), summary.get("incidents"));
    }

    @Test
    void csvPublishesTheJsonFigures() {
        JsonPath json = AggregateCountsTest.counts("groupBy=gender,organization");
        String csv = AggregateCountsTest.analyst().accept("text/csv").when()
                .get("/api/v1/aggregates/counts?groupBy=gender,organization").then().statusCode(200)
                .header("X-Max-Perturbation", "2").extract().asString();
        StringBuilder expected = new StringBuilder("kind,gender,organization,incidents,events,volunteers,"
                + "suppressed\r\n");
        List<Map<String, Object>> rows = json.getList("rows");
        for (Map<String, Object> row : rows) {
            expected.append(String.join(",", "row", text(row.get("gender")), text(row.get("organization")),
                    text(row.get("incidents")), text(row.get("events")), text(row.get("volunteers")),
                    text(row.get("suppressed")))).append("\r\n");
        }
        expected.append(String.join(",", "total", "", "", text(json.get("total.incidents")),
                text(json.get("total.events")), text(json.get("total.volunteers")), "false")).append("\r\n");
        assertEquals(expected.toString(), csv);
    }

    private static String body(String query) {
        return AggregateCountsTest.analyst().when().get("/api/v1/aggregates/counts?" + query).then().statusCode(200)
                .extract().asString();
    }

    private static List<Object> figures(Map<String, Object> row) {
        return List.of(String.valueOf(row.get("incidents")), String.valueOf(row.get("events")),
                String.valueOf(row.get("volunteers")), row.get("suppressed"));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
