package org.jointregistry.limits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;

/**
 * The caps on expensive requests running at once in this replica: per
 * organisation and overall. A request over a cap is refused at once, never
 * queued: a queue would hold its caller (and its HTTP connection) for as
 * long as the ones ahead take, which at a million incidents is tens of
 * seconds, and a retry after Retry-After costs the registry nothing.
 */
@ApplicationScoped
class ExpensiveRequests {

    /** About as long as an aggregate takes on the largest tested data (the soak's medians: 1 s, report 16 s). */
    static final String RETRY_AFTER_SECONDS = "5";

    @Inject
    LimitsConfig config;

    private final Map<String, Semaphore> perOwner = new ConcurrentHashMap<>();
    private Semaphore overall;

    /** Takes a place for {@code owner} (Requester#owner) or answers 429 / 503; the Runnable gives it back. */
    Runnable admit(String owner) {
        Semaphore own = perOwner.computeIfAbsent(owner, o -> new Semaphore(config.expensive().perOrganization()));
        if (!own.tryAcquire()) {
            throw refusal(ProblemType.TOO_MANY_REQUESTS, "Your organisation already has "
                    + config.expensive().perOrganization() + " aggregate, report or export requests running; "
                    + "retry after the seconds in Retry-After.");
        }
        if (!overall().tryAcquire()) {
            own.release();
            throw refusal(ProblemType.SERVICE_UNAVAILABLE, "The registry is computing as many aggregates, reports "
                    + "and exports as it runs at once; retry after the seconds in Retry-After.");
        }
        return () -> {
            overall.release();
            own.release();
        };
    }

    private synchronized Semaphore overall() {
        if (overall == null) {
            overall = new Semaphore(config.expensive().overall());
        }
        return overall;
    }

    private static ProblemException refusal(ProblemType type, String detail) {
        return new ProblemException(type, detail, null, Map.of(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS));
    }
}
