package org.jointregistry.common;

import static org.jointregistry.support.Api.INCIDENTS;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.createVolunteer;
import static org.jointregistry.support.Api.incident;
import static org.jointregistry.support.Api.unique;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What volunteers and witnesses wrote never reaches the logs, not even through a database error. */
@QuarkusTest
class LogPrivacyTest {

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
            if (record.getParameters() != null) {
                for (Object parameter : record.getParameters()) {
                    line.append(' ').append(parameter);
                }
            }
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                line.append(' ').append(t.getMessage());
            }
            logged.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void aDuplicatePseudonymIsRefusedWithoutLoggingIt() {
        String coordinator = Tokens.coordinator("utopia-56");
        String pseudonym = unique("Secret-Pseudonym");
        createVolunteer(coordinator, pseudonym);
        as(coordinator).body(Map.of("pseudonym", pseudonym, "gender", "male")).post(VOLUNTEERS)
                .then().statusCode(409);

        assertTrue(logged.stream().anyMatch(line -> line.contains("volunteer_organization_pseudonym_key")),
                "the database error is logged: " + logged);
        assertFalse(logged.stream().anyMatch(line -> line.contains(pseudonym)), logged.toString());
    }

    @Test
    void narrativesAreNeverLogged() {
        String reporter = Tokens.reporter("utopia-56");
        String narrative = unique("Secret-Narrative");
        Map<String, Object> body = incident("Calais");
        body.put("description", narrative);
        body.put("officerCount", 900);
        as(reporter).body(body).post(INCIDENTS).then().statusCode(422);
        body.put("officerCount", 2);
        String id = as(reporter).body(body).post(INCIDENTS).then().statusCode(201).extract().path("id");
        as(reporter).header("If-Match", "\"1\"").contentType("application/merge-patch+json")
                .body(Map.of("description", narrative + " corrected")).patch(INCIDENTS + "/" + id)
                .then().statusCode(200);

        assertFalse(logged.stream().anyMatch(line -> line.contains(narrative)), logged.toString());
    }
}
