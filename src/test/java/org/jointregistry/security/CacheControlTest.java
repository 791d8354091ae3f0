package org.jointregistry.security;

import static io.restassured.RestAssured.given;
import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Every /api response carries exactly one Cache-Control, `no-store` (testimony
 * stays out of caches), and ETag revalidation still answers 304. RestAssured's
 * header matchers read only the first of repeated headers, so these count them.
 */
@QuarkusTest
class CacheControlTest {

    private static final String ORG = "utopia-56";

    private static void onlyNoStore(Response response, int status) {
        assertEquals(status, response.statusCode(), response.asString());
        assertEquals(List.of("no-store"), response.headers().getValues("Cache-Control"));
    }

    @Test
    void testimonyReadsAndWritesSendOneNoStore() {
        String token = Tokens.reporter(ORG);
        String commune = unique("Cache");
        Response created = as(token).header("Idempotency-Key", unique("cache")).body(incident(commune))
                .post(INCIDENTS);
        onlyNoStore(created, 201);
        String id = created.path("id");

        Response read = as(token).get(INCIDENTS + "/" + id);
        onlyNoStore(read, 200);
        onlyNoStore(as(token).header("If-None-Match", read.header("ETag")).get(INCIDENTS + "/" + id), 304);
        onlyNoStore(as(token).queryParam("commune", commune).get(INCIDENTS), 200);
        onlyNoStore(as(token).body(incident(commune)).put(INCIDENTS + "/external/" + unique("cache")), 201);
        onlyNoStore(given().auth().oauth2(token).accept("text/csv").queryParam("commune", commune)
                .get(INCIDENTS + "/export"), 200);
        onlyNoStore(as(token).get(INCIDENTS + "/changes"), 200);
    }

    @Test
    void aggregatesAndProblemsSendOneNoStore() {
        onlyNoStore(as(Tokens.analyst()).get("/api/v1/aggregates/summary"), 200);
        onlyNoStore(given().accept("text/csv").auth().oauth2(Tokens.analyst()).get("/api/v1/aggregates/summary"), 200);
        onlyNoStore(as(Tokens.reporter(ORG)).get(INCIDENTS + "/00000000-0000-0000-0000-000000000000"), 404);
    }
}
