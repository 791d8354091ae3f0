package org.jointregistry.demo;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jointregistry.aggregate.AggregateFixture;
import org.jointregistry.aggregate.PerturbedFigures;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Tokens;
import org.jointregistry.taxonomy.IncidentStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The seed writes the generated data set once, under row-level security, and the joint report reads it. */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class DemoSeederTest {

    @Inject
    DemoSeeder seeder;

    @AfterAll
    static void clear() {
        AggregateFixture.clear();
    }

    @Test
    void seedsAnEmptyRegistryOnceAndTheReportIsPlausible() {
        AggregateFixture.clear();
        DemoData data = DemoData.founding();
        assertTrue(seeder.seed(data));
        assertFalse(seeder.seed(data), "a registry with incidents is left alone");

        List<DemoIncident> counted = data.incidents()
                .filter(i -> i.status() == IncidentStatus.SUBMITTED || i.status() == IncidentStatus.VERIFIED)
                .toList();
        Set<UUID> involved = counted.stream().flatMap(i -> i.volunteerIds().stream()).collect(Collectors.toSet());
        JsonPath report = given().auth().oauth2(Tokens.analyst()).when().get("/api/v1/reports/joint")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(counted.size(), report.getInt("summary.incidents"));
        // Volunteers are perturbed (cell keys drawn at random when the demo is seeded): within the bound.
        PerturbedFigures.assertPerturbed(involved.size(), report.getInt("rules.minCellSize"),
                report.get("summary.volunteers"), "the summary's volunteers");
        assertEquals(4, report.getInt("summary.organizations"));
        assertEquals(List.of("2017-11", "2017-12", "2018-01", "2018-02", "2018-03", "2018-04", "2018-05",
                "2018-06"), report.getList("byMonth.rows.month"));
        assertEquals("pressure", largest(report, "byCategoryGroup", "categoryGroup"));
        assertEquals("crs", largest(report, "byForce", "force"));
        assertEquals("Calais", largest(report, "byCommune", "commune"));
        // 57% of the demo's volunteers are women; both figures of the share are perturbed by up to 2
        // (about 19 of 33 can publish as 17 of 35), so "most" is asserted with that margin.
        assertTrue(report.getFloat("byGender.womenShareOfVolunteers") > 0.45f);
    }

    private static String largest(JsonPath report, String breakdown, String dimension) {
        List<Map<String, Object>> rows = report.getList(breakdown + ".rows");
        return rows.stream().filter(r -> r.get("incidents") != null)
                .max((a, b) -> Integer.compare((Integer) a.get("incidents"), (Integer) b.get("incidents")))
                .map(r -> (String) r.get(dimension)).orElseThrow();
    }
}
