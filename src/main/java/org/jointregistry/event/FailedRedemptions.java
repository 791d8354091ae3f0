package org.jointregistry.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;
import org.jointregistry.tenant.TenantContext;
import org.jointregistry.tenant.TenantSession;

/**
 * The limit on failed redemptions, per organisation and fixed window, kept in
 * PostgreSQL (event_link_failure) so that it survives a restart and binds
 * every replica alike.
 */
@ApplicationScoped
@TenantSession
class FailedRedemptions {

    @Inject
    EventsConfig config;

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    /** 429 with Retry-After (the seconds to the window's end) when the organisation has used up its failures. */
    @Transactional(Transactional.TxType.MANDATORY)
    void checkAllowed(Instant now) {
        Instant window = windowOf(now);
        Number failures = (Number) em.createNativeQuery("SELECT coalesce(sum(failures), 0) FROM event_link_failure "
                + "WHERE organization = ?1 AND window_start = ?2")
                .setParameter(1, tenant.organization()).setParameter(2, window).getSingleResult();
        if (failures.intValue() >= config.maxFailedRedemptions()) {
            long wait = Math.max(1, (Duration.between(now, window.plus(config.failureWindow())).toMillis() + 999) / 1000);
            throw new ProblemException(ProblemType.TOO_MANY_REQUESTS, "Your organisation has made too many failed "
                    + "redemptions of link codes; retry after the seconds in Retry-After.", null,
                    Map.of("Retry-After", Long.toString(wait)));
        }
    }

    /**
     * Counts one failure, in a transaction of its own: the redemption that
     * failed rolls back, the count must not.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void record(Instant now) {
        Instant window = windowOf(now);
        em.createNativeQuery("INSERT INTO event_link_failure (organization, window_start, failures) VALUES (?1, ?2, 1) "
                + "ON CONFLICT (organization, window_start) DO UPDATE SET failures = event_link_failure.failures + 1")
                .setParameter(1, tenant.organization()).setParameter(2, window).executeUpdate();
        em.createNativeQuery("DELETE FROM event_link_failure WHERE organization = ?1 AND window_start < ?2")
                .setParameter(1, tenant.organization()).setParameter(2, window).executeUpdate();
    }

    private Instant windowOf(Instant now) {
        long length = config.failureWindow().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), length) * length);
    }
}
