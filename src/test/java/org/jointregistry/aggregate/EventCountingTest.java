package org.jointregistry.aggregate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two counting units (contract §8) on a hand-countable fixture of three
 * organisations, no volunteers (so nothing is suppressed). Expected figures
 * are counted by hand from the table below, not by the service's SQL.
 * <pre>
 * report org occurred (UTC)     commune        categories        status     event
 * U1     U   2018-01-30 10:00   Calais         identity_check    submitted  E1
 * H1     H   2018-02-02 10:00   Calais         identity_check    submitted  E1   (E1: two months, counts in January)
 * H2     H   2018-03-10 09:00   Dunkerque      confiscation      verified   E2   (earliest of E2)
 * U2     U   2018-03-10 10:00   Dunkerque      fine              submitted  E2
 * R1     R   2018-03-11 10:00   Grande-Synthe  fine, threat      submitted  E2   (E2: categories differ, union)
 * U3     U   2018-04-05 10:00   Calais         insult            retracted  E3
 * H3     H   2018-04-05 11:00   Calais         insult            submitted  E3   (E3: counts once, one organisation)
 * U4     U   2018-04-20 10:00   Calais         fine              draft      E4
 * R2     R   2018-04-20 11:00   Calais         fine              draft      E4   (E4: all drafts, not counted)
 * U5     U   2018-02-15 10:00   Calais         identity_check    submitted  -    (unlinked)
 * </pre>
 * Counted: U1 H1 H2 U2 R1 H3 U5 = 7 incidents; E1 E2 E3 U5 = 4 events; shared (two or more organisations
 * among the counted reports): E1 and E2.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class EventCountingTest {

    private static final String U = AggregateFixture.UTOPIA;
    private static final String H = AggregateFixture.HELP;
    private static final String R = AggregateFixture.BUS;

    @BeforeAll
    static void load() {
        AggregateFixture.clear();
        for (String event : List.of("E1", "E2", "E3", "E4")) {
            AggregateFixture.execute("INSERT INTO shared_event (organization, id, created_by) VALUES (?, ?, 'fixture')",
                    U, AggregateFixture.id(event));
        }
        report(U, "U1", "2018-01-30T10:00:00Z", "Calais", List.of("identity_check"), "submitted", "E1");
        report(H, "H1", "2018-02-02T10:00:00Z", "Calais", List.of("identity_check"), "submitted", "E1");
        report(H, "H2", "2018-03-10T09:00:00Z", "Dunkerque", List.of("confiscation"), "verified", "E2");
        report(U, "U2", "2018-03-10T10:00:00Z", "Dunkerque", List.of("fine"), "submitted", "E2");
        report(R, "R1", "2018-03-11T10:00:00Z", "Grande-Synthe", List.of("fine", "threat"), "submitted", "E2");
        report(U, "U3", "2018-04-05T10:00:00Z", "Calais", List.of("insult"), "retracted", "E3");
        report(H, "H3", "2018-04-05T11:00:00Z", "Calais", List.of("insult"), "submitted", "E3");
        report(U, "U4", "2018-04-20T10:00:00Z", "Calais", List.of("fine"), "draft", "E4");
        report(R, "R2", "2018-04-20T11:00:00Z", "Calais", List.of("fine"), "draft", "E4");
        report(U, "U5", "2018-02-15T10:00:00Z", "Calais", List.of("identity_check"), "submitted", null);
    }

    @AfterAll
    static void clear() {
        AggregateFixture.clear();
    }

    @Test
    void theSummaryCountsReportsOccurrencesAndSharedEvents() {
        assertEquals(List.of(7, 4, 2), summary(""));
        // Filters select reports: help-refugees alone has three reports, three occurrences, none shared.
        assertEquals(List.of(3, 3, 0), summary("?organization=help-refugees"));
        // Only R1 of E2 is a threat.
        assertEquals(List.of(1, 1, 0), summary("?category=threat"));
        // From February, E1 is H1 alone: still one event, no longer shared.
        assertEquals(List.of(6, 4, 1), summary("?from=2018-02-01"));
        // Drafts counted on request: E4 is now an event shared by two organisations, U3 joins E3.
        assertEquals(List.of(10, 5, 4), summary("?status=draft,submitted,verified,retracted"));
    }

    @Test
    void anEventCountsInTheMonthOfItsEarliestSelectedReport() {
        assertEquals(Map.of("2018-01", "1/1", "2018-02", "2/1", "2018-03", "3/1", "2018-04", "1/1", "total", "7/4"),
                counts("groupBy=month"));
        // Without U1, E1's earliest selected report is H1, in February.
        assertEquals(Map.of("2018-02", "1/1", "2018-03", "1/1", "2018-04", "1/1", "total", "3/3"),
                counts("groupBy=month&organization=help-refugees"));
        assertEquals(Map.of("2018-02", "2/2", "2018-03", "3/1", "2018-04", "1/1", "total", "6/4"),
                counts("groupBy=month&from=2018-02-01"));
    }

    @Test
    void anEventTakesTheUnionOfItsReportsCategoriesAndOrganisations() {
        assertEquals(Map.of("identity_check", "3/2", "fine", "2/1", "confiscation", "1/1", "threat", "1/1",
                "insult", "1/1", "total", "7/4"), counts("groupBy=category"));
        assertEquals(Map.of("utopia-56", "3/3", "help-refugees", "3/3", "refugee-info-bus", "1/1", "total", "7/4"),
                counts("groupBy=organization"));
        assertEquals(Map.of("pressure", "3/2", "obstruction", "3/1", "violence", "2/2", "total", "7/4"),
                counts("groupBy=categoryGroup"));
    }

    @Test
    void twoDimensionsTakeTimeFromTheEarliestReportAndCategoriesFromAll() {
        assertEquals(Map.of("identity_check|2018-01", "1/1", "identity_check|2018-02", "2/1",
                "fine|2018-03", "2/1", "confiscation|2018-03", "1/1", "threat|2018-03", "1/1",
                "insult|2018-04", "1/1", "total", "7/4"), counts("groupBy=category,month"));
    }

    @Test
    void anEventCountsInTheCommuneOfItsEarliestSelectedReport() {
        // E2's earliest report (H2) is in Dunkerque: R1's Grande-Synthe row has its report but not the event.
        assertEquals(Map.of("Calais", "4/3", "Dunkerque", "2/1", "Grande-Synthe", "1/0", "total", "7/4"),
                counts("groupBy=commune"));
        assertEquals(Map.of("Grande-Synthe", "1/1", "total", "1/1"), counts("groupBy=commune&category=threat"));
    }

    @Test
    void theTimeseriesAndTheJointReportCountBothUnits() {
        JsonPath series = given().auth().oauth2(Tokens.analyst())
                .get("/api/v1/aggregates/timeseries?interval=month&from=2018-01-01&to=2018-05-31")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(1, 1, 1, 1, 0), series.getList("rows.events"));
        assertEquals(List.of(1, 2, 3, 1, 0), series.getList("rows.incidents"));
        JsonPath report = given().auth().oauth2(Tokens.analyst()).get("/api/v1/reports/joint")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(4, report.getInt("summary.events"));
        assertEquals(2, report.getInt("summary.sharedEvents"));
        assertEquals(List.of(1, 1, 1, 1), report.getList("byMonth.rows.events"));
        assertEquals(4, report.getInt("byOrganization.total.events"));
    }

    /** incidents, events, sharedEvents of the summary with {@code query}. */
    private static List<Integer> summary(String query) {
        JsonPath summary = given().auth().oauth2(Tokens.analyst()).get("/api/v1/aggregates/summary" + query)
                .then().statusCode(200).extract().jsonPath();
        return List.of(summary.getInt("incidents"), summary.getInt("events"), summary.getInt("sharedEvents"));
    }

    /** Each row's dimension values joined by `|` → "incidents/events", and the total's under "total". */
    private static Map<String, String> counts(String query) {
        JsonPath counts = given().auth().oauth2(Tokens.analyst()).get("/api/v1/aggregates/counts?" + query)
                .then().statusCode(200).extract().jsonPath();
        List<String> dimensions = counts.getList("groupBy");
        List<Map<String, Object>> rows = counts.getList("rows");
        Map<String, String> figures = rows.stream().collect(Collectors.toMap(
                row -> dimensions.stream().map(d -> String.valueOf(row.get(d))).collect(Collectors.joining("|")),
                row -> row.get("incidents") + "/" + row.get("events")));
        figures.put("total", counts.getInt("total.incidents") + "/" + counts.getInt("total.events"));
        return figures;
    }

    private static void report(String organization, String name, String occurredAt, String commune,
            List<String> categories, String status, String event) {
        UUID eventId = event == null ? null : AggregateFixture.id(event);
        AggregateFixture.execute("INSERT INTO incident (organization, id, occurred_at, occurred_offset_secs, commune, "
                + "categories, status, created_by, updated_by, event_id) "
                + "VALUES (?, ?, ?, 3600, ?, ?, ?, 'fixture', 'fixture', ?)", organization, AggregateFixture.id(name),
                OffsetDateTime.parse(occurredAt), commune, categories, status, eventId);
    }
}
