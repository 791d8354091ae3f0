package org.jointregistry.common;

import static org.hamcrest.Matchers.equalTo;
import static org.jointregistry.support.Api.VOLUNTEERS;
import static org.jointregistry.support.Api.as;
import static org.jointregistry.support.Api.unique;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** Writes take their time from the one injectable clock, to PostgreSQL's microsecond. */
@QuarkusTest
class RegistryClockTest {

    @Test
    void aMovedClockDatesTheWriteToTheMicrosecond() {
        Instant fixed = Instant.parse("2018-03-14T18:30:00.123456789Z");
        QuarkusMock.installMockForType(new RegistryClock(Clock.fixed(fixed, ZoneOffset.UTC)), RegistryClock.class);
        as(Tokens.coordinator("help-refugees")).body(Map.of("pseudonym", unique("Clock"), "gender", "female"))
                .post(VOLUNTEERS)
                .then().statusCode(201)
                .body("createdAt", equalTo("2018-03-14T18:30:00.123456Z"))
                .body("updatedAt", equalTo("2018-03-14T18:30:00.123456Z"));
    }
}
