package org.jointregistry.common;

import static io.restassured.RestAssured.given;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Dates that Java parses but PostgreSQL cannot store or compare (years
 * beyond 294276 or before 4713 BC) are refused as invalid input, never
 * answered with a 500. Found by HostileInputTest.
 */
@QuarkusTest
class ExtremeDatesTest {

    private static final String ORG = "refugee-info-bus";
    private static final List<String> DAYS = List.of("-999999999-01-01", "+300000-01-01");

    @Test
    void extremeDatesAreInvalidInputEverywhere() {
        String coordinator = Tokens.coordinator(ORG);
        List<Function<String, Response>> calls = List.of(
                day -> as(coordinator).queryParam("from", day).get("/api/v1/reports/joint"),
                day -> as(coordinator).queryParam("to", day).get("/api/v1/aggregates/summary"),
                day -> as(coordinator).queryParam("from", day).get("/api/v1/aggregates/timeseries"),
                day -> as(coordinator).queryParam("from", day).get(INCIDENTS),
                day -> as(coordinator).queryParam("to", day + "T00:00:00Z").get(INCIDENTS),
                day -> as(coordinator).body(Map.of("from", day)).post("/api/v1/reports"),
                day -> as(coordinator).body(withOccurredAt(day + "T00:00:00Z")).post(INCIDENTS),
                day -> as(coordinator).body(withComplaintFiledOn(day)).post(INCIDENTS),
                day -> given().auth().oauth2(coordinator).contentType("text/csv")
                        .body("occurredAt,categories\r\n" + day + "T00:00:00Z,fine\r\n").post(INCIDENTS + "/import"));
        List<String> wrong = new ArrayList<>();
        for (String day : DAYS) {
            for (int i = 0; i < calls.size(); i++) {
                Response response = calls.get(i).apply(day);
                if (response.statusCode() != 400 && response.statusCode() != 422
                        || !response.contentType().startsWith(Problem.MEDIA_TYPE)) {
                    wrong.add("call " + i + " with " + day + ": " + response.statusCode() + " " + response.asString());
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static Map<String, Object> withOccurredAt(String occurredAt) {
        Map<String, Object> body = incident(unique("Dates"));
        body.put("occurredAt", occurredAt);
        return body;
    }

    private static Map<String, Object> withComplaintFiledOn(String day) {
        Map<String, Object> body = incident(unique("Dates"));
        body.put("complaint", Map.of("status", "filed", "body", "igpn", "filedOn", day));
        return body;
    }
}
