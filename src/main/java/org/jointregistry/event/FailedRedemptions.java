package org.jointregistry.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.limits.RateLimiter;
import org.jointregistry.tenant.TenantContext;

/**
 * The limit on failed redemptions, per organisation: a budget of the rate
 * limiter (issue 18), kept by Bucket4j in PostgreSQL like every request
 * budget, so that it survives a restart and binds every replica alike. Only a
 * failure draws on it; it refills in full once per window.
 */
@ApplicationScoped
class FailedRedemptions {

    /** The budget's name, in its bucket's key. */
    static final String POLICY = "failed-redemptions";

    @Inject
    EventsConfig config;

    @Inject
    TenantContext tenant;

    @Inject
    RateLimiter limiter;

    /**
     * 429 with Retry-After (the seconds until the budget refills) when the
     * organisation has used up its failures. Outside the redemption's
     * transaction, as every bucket is: Bucket4j commits on its own connection.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    void checkAllowed() {
        long wait = limiter.secondsUntilAvailable(POLICY, owner(), config.maxFailedRedemptions(),
                config.failureWindow());
        if (wait > 0) {
            throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "Your organisation has made too many failed "
                    + "redemptions of link codes; retry after the seconds in Retry-After.", null,
                    Map.of("Retry-After", Long.toString(wait)));
        }
    }

    /**
     * Counts one failure, outside the redemption's transaction: the
     * redemption that failed rolls back, the count must not.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    void record() {
        limiter.draw(POLICY, owner(), config.maxFailedRedemptions(), config.failureWindow());
    }

    private String owner() {
        return "org|" + tenant.organization();
    }
}
