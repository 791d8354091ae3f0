package org.jointregistry.common;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The registry's one source of "now", so that tests can move time
 * ({@code QuarkusMock.installMockForType(new RegistryClock(fixed), RegistryClock.class)}).
 */
@ApplicationScoped
public class RegistryClock {

    private final Clock clock;

    public RegistryClock() {
        this(Clock.systemUTC());
    }

    public RegistryClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * Now, to the microsecond: PostgreSQL keeps timestamps to the microsecond,
     * so a time stored and answered in the same request reads back unchanged.
     */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
