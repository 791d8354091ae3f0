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
 * budget, so that it survives a restart and binds every replica alike. It
 * refills in full once per window.
 *
 * <p>Each attempt takes one failure from the budget before it runs, and gives
 * it back unless it failed. So a failure is counted before the attempt that
 * makes it (a crash in between cannot forget it), no two concurrent attempts
 * share one failure, and a replica that got a failure back holds it for its
 * organisation's next attempt: a run of successful redemptions costs no round
 * trip to the bucket (it cost one in a transaction of its own per redemption,
 * which made redeeming dearer than a PATCH). Another replica's held failure
 * is at most one per replica: an organisation may be refused up to that many
 * failures early, never allowed one more.
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

    /** One attempt's failure, taken from the budget: {@link #failed()} keeps it spent, closing gives it back. */
    final class Attempt implements AutoCloseable {

        private final String owner;
        private boolean failed;

        private Attempt(String owner) {
            this.owner = owner;
        }

        void failed() {
            failed = true;
        }

        @Override
        public void close() {
            if (!failed) {
                limiter.giveBack(POLICY, owner, config.maxFailedRedemptions(), config.failureWindow());
            }
        }
    }

    /**
     * Takes a failure for one attempt, or answers 429 with Retry-After (the
     * seconds until the budget refills) when the organisation has used up its
     * failures. Outside the redemption's transaction, as every bucket is:
     * Bucket4j commits on its own connection, and the redemption that fails
     * rolls back while its failure must not.
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    Attempt begin() {
        String owner = "org|" + tenant.organization();
        RateLimiter.Draw draw = limiter.take(POLICY, owner, config.maxFailedRedemptions(), config.failureWindow());
        if (!draw.allowed()) {
            throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "Your organisation has made too many failed "
                    + "redemptions of link codes; retry after the seconds in Retry-After.", null,
                    Map.of("Retry-After", Long.toString(draw.secondsToReset())));
        }
        return new Attempt(owner);
    }
}
