package org.jointregistry.limits;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Admits an {@link Expensive} call within the caps before its transaction
 * starts (so a refused request never takes a connection). Work outside a
 * request (the demo seeder, tests calling a service) is not capped: it has
 * no caller to count against.
 */
@Expensive
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class AdmissionInterceptor {

    @Inject
    LimitsConfig config;

    @Inject
    Admission admission;

    @Inject
    SecurityIdentity identity;

    @AroundInvoke
    Object admit(InvocationContext invocation) throws Exception {
        if (config.enabled() && Arc.container().requestContext().isActive() && !identity.isAnonymous()) {
            admission.admit();
        }
        return invocation.proceed();
    }
}
