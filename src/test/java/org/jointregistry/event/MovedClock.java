package org.jointregistry.event;

import io.quarkus.test.junit.QuarkusMock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jointregistry.common.RegistryClock;

/**
 * The registry clock, moved for one test (QuarkusMock undoes it after
 * the test). Each instance starts at its own point far from now, so that the
 * failed-redemption windows of one test are not another's.
 */
final class MovedClock extends RegistryClock {

    private volatile Instant at;

    private MovedClock(Instant at) {
        this.at = at;
    }

    /** Installs a clock at {@code days} days from now for the running test. */
    static MovedClock install(int days) {
        MovedClock clock = new MovedClock(Instant.now().plus(Duration.ofDays(days)).truncatedTo(ChronoUnit.MICROS));
        QuarkusMock.installMockForType(clock, RegistryClock.class);
        return clock;
    }

    void advance(Duration by) {
        at = at.plus(by);
    }

    @Override
    public Instant now() {
        return at;
    }
}
