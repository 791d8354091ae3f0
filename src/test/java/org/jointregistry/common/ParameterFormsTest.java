package org.jointregistry.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createIncident;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * The parameter forms of the contract, the same on every endpoint that takes
 * the parameter: from/to as dates or date-times with offset, repeated or
 * comma-separated values, and text with a NUL or control character refused
 * with a 400 naming it (issue 20: two of these were 500s, and the aggregates
 * answered 200 with an empty breakdown).
 */
@QuarkusTest
class ParameterFormsTest {

    private static final String ORG = "auberge-des-migrants";
    /** Every GET taking from, to, category and commune, with what else it needs. */
    private static final List<String> FILTERED = List.of(INCIDENTS + "?", INCIDENTS + "/export?",
            "/api/v1/aggregates/summary?", "/api/v1/aggregates/counts?groupBy=category&",
            "/api/v1/aggregates/timeseries?");
    private static final List<String> PERIODS = List.of(INCIDENTS + "?", INCIDENTS + "/export?",
            "/api/v1/aggregates/summary?", "/api/v1/aggregates/counts?groupBy=category&",
            "/api/v1/aggregates/timeseries?", "/api/v1/reports/joint?");

    private final String coordinator = Tokens.coordinator(ORG);

    @Test
    void textWithNulOrControlCharactersIsRefusedNamingTheParameterEverywhere() {
        List<String> wrong = new ArrayList<>();
        for (String query : List.of("commune=%00x", "commune=%00", "commune=Calais%01", "category=fine%00",
                "commune=%C0%80")) {
            for (String path : FILTERED) {
                Response response = given().auth().oauth2(coordinator).urlEncodingEnabled(false)
                        .get(path + query);
                String field = query.substring(0, query.indexOf('='));
                if (response.statusCode() != 400 || !response.contentType().startsWith(Problem.MEDIA_TYPE)
                        || !response.jsonPath().getList("errors.field").contains(field)
                        || !ProblemType.INVALID_PARAMETER.uri().equals(response.path("type"))) {
                    wrong.add(path + query + ": " + response.statusCode() + " " + response.asString());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void repeatedAndCommaSeparatedValuesSelectTheSameIncidents() {
        String commune = unique("Forms");
        Map<String, Object> fine = incident(commune);
        fine.put("categories", List.of("fine"));
        Map<String, Object> threat = incident(commune);
        threat.put("categories", List.of("threat"));
        createIncident(coordinator, fine);
        createIncident(coordinator, threat);
        createIncident(coordinator, incident(commune));
        List<String> repeated = ids("commune=" + commune + "&category=fine&category=threat");
        assertEquals(2, repeated.size());
        assertEquals(repeated, ids("commune=" + commune + "&category=fine,threat"));
        assertEquals(repeated, ids("commune=" + commune + ",elsewhere&category=fine,%20threat,"));
    }

    @Test
    void aDateTimeAtAParisMidnightIsTheDayItStartsEverywhere() {
        String dates = "from=2018-03-01&to=2018-03-31";
        String instants = "from=2018-03-01T00:00:00%2B01:00&to=2018-04-01T00:00:00%2B02:00";
        for (String path : PERIODS) {
            assertEquals(get(path + dates).asString(), get(path + instants).asString(), path);
        }
        Response frozen = as(coordinator)
                .body(Map.of("from", "2018-03-01T00:00:00+01:00", "to", "2018-03-31T22:00:00Z"))
                .post("/api/v1/reports");
        frozen.then().statusCode(201).body("from", equalTo("2018-03-01")).body("to", equalTo("2018-03-31"));
    }

    @Test
    void wholeDayEndpointsRefuseADateTimeInsideADay() {
        for (String path : PERIODS.subList(2, PERIODS.size())) {
            given().auth().oauth2(coordinator).urlEncodingEnabled(false).get(path + "from=2018-03-01T12:00:00Z")
                    .then().statusCode(400).body("errors.field", hasItem("from"));
        }
        as(coordinator).body(Map.of("to", "2018-03-31T12:00:00+02:00")).post("/api/v1/reports")
                .then().statusCode(422).body("errors.field", hasItem("to"));
        // The incident list takes any instant.
        get(INCIDENTS + "?from=2018-03-01T12:00:00Z").then().statusCode(200);
    }

    private Response get(String url) {
        Response response = given().auth().oauth2(coordinator).urlEncodingEnabled(false).get(url);
        response.then().statusCode(200);
        return response;
    }

    private List<String> ids(String query) {
        return get(INCIDENTS + "?limit=500&" + query).path("items.id");
    }
}
