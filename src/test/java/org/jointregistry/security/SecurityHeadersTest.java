package org.jointregistry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every response, whatever its status or path, carries the security headers; CORS is closed. */
@QuarkusTest
class SecurityHeadersTest {

    static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final String FOREIGN_ORIGIN = "https://evil.example";

    @ParameterizedTest(name = "{0} {1} as {2} -> {3}")
    @CsvSource({
            "GET, /api/v1/me, reporter, 200",
            "GET, /api/v1/me, anonymous, 401",
            "GET, /api/v1/taxonomy, anonymous, 200",
            "GET, /api/v1/organizations, analyst, 200",
            "GET, /api/v1/no-such-thing, reporter, 404",
            "DELETE, /api/v1/taxonomy, reporter, 405",
            "GET, /q/health/live, anonymous, 200",
            "GET, /q/openapi, anonymous, 200",
            "GET, /q/metrics, anonymous, 200",
            "GET, /no-such-thing, anonymous, 404" })
    void everyResponseCarriesTheSecurityHeaders(String method, String path, String caller, int status) {
        ValidatableResponse response = as(caller).when().request(method, path).then().statusCode(status);
        assertSecurityHeaders(response);
        response.header("Content-Security-Policy", equalTo(API_POLICY));
        if (path.startsWith("/api/")) {
            response.header("Cache-Control", equalTo("no-store"));
        }
    }

    @Test
    void swaggerUiGetsThePolicyItNeedsToRender() {
        ValidatableResponse response = given().when().get("/q/swagger-ui/").then().statusCode(200);
        assertSecurityHeaders(response);
        response.header("Content-Security-Policy", not(containsString("default-src 'none'")))
                .header("Content-Security-Policy", containsString("script-src 'self' 'unsafe-inline'"))
                .header("Content-Security-Policy", containsString("connect-src 'self' " + LocalStack.REALM_URL + "/"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
    }

    @Test
    void foreignOriginGetsNoCorsGrant() {
        given().auth().oauth2(Tokens.reporter("utopia-56")).header("Origin", FOREIGN_ORIGIN)
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", FOREIGN_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .when().options("/api/v1/me")
                .then().header("Access-Control-Allow-Origin", nullValue())
                .header("Access-Control-Allow-Methods", nullValue())
                .header("Access-Control-Allow-Headers", nullValue());
    }

    static void assertSecurityHeaders(ValidatableResponse response) {
        response.header("X-Content-Type-Options", equalTo("nosniff"))
                .header("X-Frame-Options", equalTo("DENY"))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .header("Strict-Transport-Security", startsWith("max-age="));
    }

    private static RequestSpecification as(String caller) {
        return switch (caller) {
            case "reporter" -> given().auth().oauth2(Tokens.reporter("utopia-56"));
            case "analyst" -> given().auth().oauth2(Tokens.analyst());
            default -> given();
        };
    }
}
