package org.jointregistry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.LogRecord;
import org.jointregistry.support.LogCapture;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The settings the README tells a deployer to set do what it says: CORS opened
 * for one named web tool, the HSTS header, JSON log lines; and turning on the
 * access log and DEBUG (TRACE for bind parameters) logging, as one would to
 * chase a problem, still logs no token, narrative, pseudonym or parameter.
 */
@QuarkusTest
@TestProfile(DeployerSettingsTest.Deployed.class)
class DeployerSettingsTest {

    private static final String PARTNER_TOOL = "https://tool.partner.example";
    private static final String HSTS = "max-age=63072000; includeSubDomains";
    private static final List<String> VERBOSE = List.of("io.quarkus.oidc", "io.quarkus.security",
            "io.quarkus.vertx.http", "org.jboss.resteasy.reactive", "io.quarkus.resteasy.reactive", "org.hibernate",
            "org.postgresql", "io.agroal", "org.jose4j", "org.jointregistry");

    public static class Deployed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> settings = new HashMap<>(Map.of("quarkus.http.cors.enabled", "true",
                    "quarkus.http.cors.origins", PARTNER_TOOL, "REGISTRY_HSTS", HSTS, "REGISTRY_LOG_JSON", "true",
                    "quarkus.log.category.\"org.hibernate.orm.jdbc.bind\".level", "TRACE",
                    "quarkus.http.access-log.enabled", "true"));
            for (String category : VERBOSE) {
                settings.put("quarkus.log.category.\"" + category + "\".level", "DEBUG");
            }
            return settings;
        }
    }

    /** Log levels outlive a Quarkus restart in the test JVM: leave the next test class the configured ones. */
    @AfterAll
    static void quietTheVerboseCategories() {
        for (String category : VERBOSE) {
            Logger.getLogger(category).setLevel(null);
        }
    }

    @Test
    void corsAnswersTheNamedToolOnly() {
        given().header("Origin", PARTNER_TOOL)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-organization")
                .when().options("/api/v1/me")
                .then().header("Access-Control-Allow-Origin", equalTo(PARTNER_TOOL))
                .header("Access-Control-Allow-Credentials", not(equalTo("true")));
        given().auth().oauth2(Tokens.reporter("utopia-56")).header("Origin", PARTNER_TOOL)
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", equalTo(PARTNER_TOOL));
        given().auth().oauth2(Tokens.reporter("utopia-56")).header("Origin", "https://evil.example")
                .when().get("/api/v1/me")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void hstsTakesTheDeployersValue() {
        given().when().get("/api/v1/taxonomy").then().statusCode(200).header("Strict-Transport-Security", HSTS);
    }

    @Test
    void verboseLoggingAndTheAccessLogStillLeaveNoTraceOfTheCanaries() {
        try (LogCapture logs = LogCapture.start()) {
            Map<String, String> secrets = new HashMap<>(LogPrivacyTest.sendCanaryTraffic());
            assertTrue(logs.records().stream().anyMatch(r -> r.startsWith("DEBUG")),
                    "DEBUG records were expected: is the profile's logging verbose?");
            assertTrue(logs.records().stream().anyMatch(r -> r.contains("/api/v1/taxonomy")),
                    "access log lines were expected");
            // The access log names request paths, by design: they carry ids, never content.
            secrets.remove("path");
            logs.assertContainsNone(secrets.values().toArray(String[]::new));
        }
    }

    @Test
    void consoleWritesOneJsonObjectPerLine() throws IOException {
        Formatter console = LogCapture.consoleFormatter();
        LogRecord record = new LogRecord(Level.INFO, "started");
        record.setLoggerName("org.jointregistry.test");
        JsonNode line = new ObjectMapper().readTree(console.format(record));
        assertEquals("started", line.path("message").asText());
        assertEquals("INFO", line.path("level").asText());
    }
}
