package org.jointregistry.incident;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import org.jointregistry.tenant.TenantContext;

/**
 * The per-organisation lock that numbers change-feed entries in commit order
 * (the trigger on incident_revision in R__change_feed.sql takes it too). A write takes it just
 * before it flushes, after its reads and row locks (the incident it changes,
 * the volunteers it links) but before any insert or update, so before any
 * rollup or revision row is touched: taken inside the flush, as the trigger
 * alone would, two writers of one organisation could each hold what the other
 * waits for (a rollup row against this lock) and deadlock. Rows locked before
 * it are only ever waited for by their own writers, who hold no rollup rows.
 */
@ApplicationScoped
public class ChangeOrder {

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    /**
     * Blocks until this transaction is the organisation's only writer of
     * incident changes. Does not flush: the caller's queued writes must reach
     * the database after the lock.
     */
    public void serialise() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended('incident_change:' || ?1, 0))")
                .setParameter(1, tenant.organization())
                .setFlushMode(FlushModeType.COMMIT)
                .getSingleResult();
    }
}
