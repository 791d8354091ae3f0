package org.jointregistry.tenant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Test-only code that forgets wall one: it counts rows without naming any organisation. */
@ApplicationScoped
public class UnscopedQueries {

    @Inject
    EntityManager em;

    /** Counts inside a transaction bound to the active organisation, as services run. */
    @Transactional
    @TenantSession
    public long countBound(String table) {
        return count(table);
    }

    /** Counts inside a transaction that no service bound to an organisation. */
    @Transactional
    public long countUnbound(String table) {
        return count(table);
    }

    /** A tenant-bound call without a transaction: a programming error the interceptor refuses. */
    @TenantSession
    public long countWithoutTransaction(String table) {
        return count(table);
    }

    private long count(String table) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM " + table).getSingleResult()).longValue();
    }
}
