package org.jointregistry.limits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * Rate limits and bounded costs ({@code registry.limits.*}), per deployment:
 * the defaults are in application.properties, each with its reason.
 */
@ConfigMapping(prefix = "registry.limits")
public interface LimitsConfig {

    /** Off only where the limits are measured against no limits (the benchmark's comparison run). */
    @WithDefault("true")
    boolean enabled();

    /** POST, PUT, PATCH and DELETE under /api, aggregates and reports excepted. */
    Budget writes();

    /** GET under /api, aggregates and reports excepted. */
    Budget reads();

    /** Everything under /api/v1/aggregates and /api/v1/reports: each request scans all partners' figures. */
    Budget aggregates();

    /**
     * The most tokens of one budget a replica draws from the shared bucket at
     * once, to admit that many requests without a round trip each; never more
     * than a hundredth of the budget. 1 makes every request a draw.
     */
    int replicaReservation();

    /** Bounds on the cost of one expensive request, and on how many run at once. */
    Expensive expensive();

    /** One kind of request's budget: so many per window for an organisation, and for each client in it. */
    interface Budget {

        /** Requests per window for one organisation, all its clients together. */
        int organization();

        /** Requests per window for one client (one caller through one OAuth client). */
        int client();

        /** The budget refills in full once per window. */
        Duration window();
    }

    /**
     * Expensive requests: the aggregates, the joint report, freezing a
     * snapshot, the CSV export. The caps are per replica (each holds its own
     * connection pool, which is what they protect).
     */
    interface Expensive {

        /** At most this many at once for one organisation (for a caller acting for none, one client). */
        int perOrganization();

        /** At most this many at once in all; the rest of the pool stays free for the tenant space. */
        int overall();

        /** The longest one statement of an aggregate or report transaction may run. */
        Duration statementTimeout();
    }
}
