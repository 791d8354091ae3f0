package org.jointregistry.security;

import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.jointregistry.support.LogCapture;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Tenant-space traffic leaves no narrative, site, pseudonym or reference in
 * the log, not through a database error and not even with the persistence
 * stack logging at DEBUG (bind parameters at TRACE), as a deployer chasing a
 * problem would configure it (the profile of {@link DeployerSettingsTest}).
 */
@QuarkusTest
@TestProfile(DeployerSettingsTest.Deployed.class)
class TenantLogPrivacyTest {

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
