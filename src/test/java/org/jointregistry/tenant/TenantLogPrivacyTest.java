package org.jointregistry.tenant;

import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jointregistry.support.LogCapture;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant-space traffic leaves no narrative, site, pseudonym or reference in
 * the log, not through a database error and not even with the persistence
 * stack at DEBUG, as a deployer chasing a problem would set it. The levels are
 * set here as configuration sets them, so no restart is needed: categories the
 * configuration pins (Hibernate's parameter and entity logging, the driver)
 * keep their own level.
 */
@QuarkusTest
class TenantLogPrivacyTest {

    private static final List<String> VERBOSE = List.of("org.hibernate", "io.agroal", "io.quarkus.hibernate",
            "io.quarkus.narayana", "org.jointregistry");

    private final Map<String, Level> configured = new HashMap<>();

    @BeforeEach
    void debug() {
        for (String category : VERBOSE) {
            Logger logger = Logger.getLogger(category);
            configured.put(category, logger.getLevel());
            logger.setLevel(Level.FINE);
        }
    }

    @AfterEach
    void restore() {
        configured.forEach((category, level) -> Logger.getLogger(category).setLevel(level));
    }

    @Test
    void tenantTrafficLeavesNoTraceOfWhatPartnersWrote() {
        String run = unique("canary");
        String narrative = "canary narrative " + run;
        String site = "canary site " + run;
        String reference = "canary-reference-" + run;
        String pseudonym = "canary-pseudonym-" + run;
        String coordinator = Tokens.coordinator("utopia-56");
        String reporter = Tokens.reporter("utopia-56");

        try (LogCapture logs = LogCapture.start()) {
            String volunteer = createVolunteer(coordinator, pseudonym);
            // A duplicate is refused by the database's unique key, whose error quotes the row.
            as(coordinator).body(Map.of("pseudonym", pseudonym, "gender", "male")).post(VOLUNTEERS)
                    .then().statusCode(409);
            Map<String, Object> body = incident("Calais");
            body.put("description", narrative);
            body.put("location", Map.of("commune", "Calais", "site", site));
            body.put("complaint", Map.of("status", "filed", "reference", reference));
            body.put("volunteerIds", List.of(volunteer));
            body.put("officerCount", 900);
            as(reporter).body(body).post(INCIDENTS).then().statusCode(422);
            body.put("officerCount", 2);
            String id = as(reporter).body(body).post(INCIDENTS).then().statusCode(201).extract().path("id");
            as(reporter).header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                    .body(Map.of("description", narrative + " corrected")).patch(INCIDENTS + "/" + id)
                    .then().statusCode(200);
            as(reporter).get(INCIDENTS + "/" + id + "/history").then().statusCode(200);
            as(reporter).queryParam("commune", "Calais").get(INCIDENTS).then().statusCode(200);
            as(coordinator).delete(VOLUNTEERS + "/" + volunteer + "?detach=true").then().statusCode(204);

            assertTrue(logs.records().stream().anyMatch(r -> r.startsWith("DEBUG org.hibernate")),
                    "DEBUG records of Hibernate were expected: is the profile's logging verbose?");
            logs.assertContainsNone(narrative, site, reference, pseudonym);
        }
    }
}
