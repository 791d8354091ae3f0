package org.jointregistry.limits;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Bounds every statement of an {@link Expensive} call's transaction with
 * {@code SET LOCAL statement_timeout}: a scan past it is cancelled by
 * PostgreSQL (SQLState 57014, answered with a 503 problem) and its connection
 * goes back to the pool, instead of being held for as long as the scan would
 * take. Transaction-local, so the pooled connection's next user has the
 * server's default again. SET takes no snapshot, so a transaction may still
 * choose its isolation level afterwards (the joint report reads one snapshot).
 * Runs inside the JTA interceptor; a call without a transaction (the export,
 * whose pages are short transactions of their own) is not bounded here.
 */
@Expensive
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 250)
public class StatementTimeoutInterceptor {

    private static final String BOUNDED = StatementTimeoutInterceptor.class.getName() + ".bounded";

    @Inject
    LimitsConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    TransactionSynchronizationRegistry transaction;

    @AroundInvoke
    Object bound(InvocationContext invocation) throws Exception {
        if (config.enabled() && transaction.getTransactionKey() != null && transaction.getResource(BOUNDED) == null) {
            // The enlisted connection of this transaction: Agroal hands the same one to every caller within it.
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL statement_timeout = " + config.expensive().statementTimeout().toMillis());
            }
            transaction.putResource(BOUNDED, Boolean.TRUE);
        }
        return invocation.proceed();
    }
}
