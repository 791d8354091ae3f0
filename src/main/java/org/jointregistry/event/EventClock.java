package org.jointregistry.event;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The time link codes are issued, redeemed and expire by, and failed
 * redemptions are counted by: a bean of its own so that tests can move it
 * (seven days on, past a code's expiry) without waiting.
 */
@ApplicationScoped
public class EventClock {

    /** Now, at the database's precision. */
    public Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
