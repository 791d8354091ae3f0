package org.jointregistry.security;

import static io.restassured.RestAssured.given;

import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jointregistry.support.Jwts;
import org.jointregistry.support.LogCapture;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Requests that carry a token and canary strings everywhere a client can put
 * them (headers, path, query, bodies, malformed bodies, bad tokens) leave no
 * trace of any of them in the log.
 */
@QuarkusTest
class LogPrivacyTest {

    @Test
    void canaryTrafficLeavesNoTraceInTheLog() {
        try (LogCapture logs = LogCapture.start()) {
            logs.assertContainsNone(sendCanaryTraffic().values().toArray(String[]::new));
        }
    }

    /**
     * Sends the canaries through every endpoint of this branch, checking each
     * answer so the traffic really happened, and returns what must not be
     * logged, by where it was sent.
     */
    static Map<String, String> sendCanaryTraffic() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String narrative = "canary narrative " + run + ": the officer took her phone";
        String pseudonym = "V-canary-" + run;
        String nationality = "canary-nationality-" + run;
        String header = "canary-header-" + run;
        String segment = "canary-path-" + run;
        String query = "canary-query-" + run;
        String bearer = "canary-bearer-" + run;
        String organization = "canary-organization-" + run;
        String token = Tokens.reporter("utopia-56");
        Map<String, Object> tamperedClaims = Jwts.claims(token);
        tamperedClaims.put("organization", List.of(organization));
        String tampered = Jwts.withClaims(token, tamperedClaims);
        Map<String, Object> body = Map.of("description", narrative,
                "volunteer", Map.of("pseudonym", pseudonym, "nationality", nationality));

        given().auth().oauth2(token).header("X-Organization", header).get("/api/v1/me").then().statusCode(403);
        given().auth().oauth2(token).get("/api/v1/me/" + segment).then().statusCode(404);
        given().auth().oauth2(token).queryParam("commune", query).get("/api/v1/taxonomy").then().statusCode(200);
        given().auth().oauth2(token).contentType("application/json").body(body).post("/api/v1/me")
                .then().statusCode(405);
        given().auth().oauth2(token).contentType("application/json").body("{\"description\": \"" + narrative)
                .put("/api/v1/organizations").then().statusCode(405);
        given().auth().oauth2(bearer).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(tampered).get("/api/v1/me").then().statusCode(401);
        given().queryParam("access_token", token).get("/api/v1/me").then().statusCode(401);
        given().header("Cookie", "q_session=" + token).header("User-Agent", header).header("Referer", segment)
                .get("/api/v1/organizations").then().statusCode(401);
        given().auth().oauth2(token).contentType("application/json").body(narrative.repeat(100_000))
                .post("/api/v1/me").then().statusCode(413);

        String[] parts = token.split("\\.");
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("narrative", narrative);
        secrets.put("pseudonym", pseudonym);
        secrets.put("nationality", nationality);
        secrets.put("header", header);
        secrets.put("path", segment);
        secrets.put("query", query);
        secrets.put("bearer", bearer);
        secrets.put("organization", organization);
        secrets.put("token", token);
        secrets.put("token payload", parts[1]);
        secrets.put("token signature", parts[2]);
        return secrets;
    }
}
