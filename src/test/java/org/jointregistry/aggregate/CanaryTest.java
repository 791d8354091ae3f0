package org.jointregistry.aggregate;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jointregistry.stack.WholeNetwork;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * No narrative, pseudonym, site, external id, complaint reference or record id
 * reaches any aggregate, time series, report or snapshot response: the fixture
 * puts a canary string in every one of them.
 */
@QuarkusTest
@TestProfile(WholeNetwork.class)
class CanaryTest extends FixtureTest {

    @Test
    void noCanaryAndNoIdInAnyResponse() {
        String token = Tokens.analyst();
        List<String> paths = new ArrayList<>(List.of("/api/v1/aggregates/summary", "/api/v1/reports/joint",
                "/api/v1/reports/joint?from=2018-01-01&to=2018-03-31", "/api/v1/reports"));
        for (String dimension : Dimension.apiNames()) {
            paths.add("/api/v1/aggregates/counts?groupBy=" + dimension);
        }
        paths.add("/api/v1/aggregates/counts?groupBy=" + String.join(",", Dimension.apiNames()));
        paths.add("/api/v1/aggregates/counts?groupBy=commune,force,gender&status=draft,retracted,submitted");
        for (String interval : List.of("day", "week", "month")) {
            paths.add("/api/v1/aggregates/timeseries?interval=" + interval);
        }
        String snapshot = given().auth().oauth2(token).contentType("application/json").body(Map.of())
                .when().post("/api/v1/reports").then().statusCode(201).extract().asString();
        assertClean("POST /api/v1/reports", snapshot);
        String id = io.restassured.path.json.JsonPath.from(snapshot).getString("id");
        paths.add("/api/v1/reports/" + id);
        paths.add("/api/v1/reports/" + id + "/verify");

        for (String path : paths) {
            for (String accept : List.of("application/json", "text/csv")) {
                boolean csv = accept.equals("text/csv");
                if (csv && !path.startsWith("/api/v1/aggregates")) {
                    continue;
                }
                String body = given().auth().oauth2(token).accept(accept).when().get(path)
                        .then().statusCode(200).extract().asString();
                assertClean(accept + " " + path, body);
            }
        }
    }

    private static void assertClean(String what, String body) {
        assertFalse(body.contains(AggregateFixture.CANARY), what + " leaks a confidential text: " + body);
        for (String name : List.of("I1", "I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9", "I10", "I11", "u1", "u2",
                "u3", "h1", "h2", "h3", "r1")) {
            assertFalse(body.contains(AggregateFixture.id(name).toString()), what + " leaks the id of " + name);
        }
    }
}
