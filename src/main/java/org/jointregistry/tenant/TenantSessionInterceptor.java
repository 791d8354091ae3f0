package org.jointregistry.tenant;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Wall two's hand-over: at the first tenant-space call of a transaction it runs
 * {@code set_config('app.organization', <active organisation>, true)} on the
 * transaction's connection, so PostgreSQL's row-level security policies (V2
 * migration) confine every statement of that transaction to the organisation,
 * whatever the SQL says. The setting is transaction-local: it vanishes at commit
 * or rollback and never leaks to the next user of a pooled connection.
 *
 * Runs inside the JTA interceptor (which has priority PLATFORM_BEFORE + 200),
 * so the transaction exists already; Agroal hands every statement of that
 * transaction, Hibernate's or plain JDBC's, the same enlisted connection.
 */
@TenantSession
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
public class TenantSessionInterceptor {

    private static final String BOUND_ORGANIZATION = TenantSessionInterceptor.class.getName() + ".organization";

    @Inject
    TenantContext tenant;

    @Inject
    EntityManager em;

    @Inject
    TransactionSynchronizationRegistry transaction;

    @AroundInvoke
    Object bind(InvocationContext invocation) throws Exception {
        String organization = tenant.organization();
        if (transaction.getTransactionKey() == null) {
            throw new IllegalStateException("@TenantSession needs an active transaction: add @Transactional");
        }
        Object bound = transaction.getResource(BOUND_ORGANIZATION);
        if (bound == null) {
            em.createNativeQuery("SELECT set_config('app.organization', ?1, true)")
                    .setParameter(1, organization)
                    .getSingleResult();
            transaction.putResource(BOUND_ORGANIZATION, organization);
        } else if (!bound.equals(organization)) {
            throw new IllegalStateException("This transaction already acts for another organisation");
        }
        return invocation.proceed();
    }
}
