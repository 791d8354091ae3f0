package org.jointregistry.tenant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The per-organisation lock that numbers change-feed entries in commit order
 * (the V20 trigger on incident_revision takes it too). A write takes it first,
 * before any row lock or rollup update: taken last, as the trigger alone would,
 * two writers of one organisation could each hold what the other waits for
 * (a row or rollup lock against this one) and deadlock.
 */
@ApplicationScoped
public class ChangeOrder {

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    /** Blocks until this transaction is the organisation's only writer of incident changes. */
    public void serialise() {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtextextended('incident_change:' || ?1, 0))")
                .setParameter(1, tenant.organization())
                .getSingleResult();
    }
}
