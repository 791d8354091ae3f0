package org.jointregistry.tenant;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Registers the organisations a verified token names (see
 * {@link OrganizationRegistry}) as part of authentication, so that the
 * records of a partner Keycloak gained yesterday hold their foreign keys from
 * the first request. Identity is authentication's job, not the tenant
 * session's: this used to be done by {@link TenantSessionInterceptor} at the
 * first tenant-space call of each transaction.
 *
 * <p>Once every alias of the token is known to this process, it costs a set
 * look-up on the I/O thread; only an unseen alias makes it run the insert on a
 * worker thread. Aliases the registry cannot accept are skipped here and
 * refused with 403 by {@link Caller#tenant()}, where a tenant-space call needs them.
 */
@ApplicationScoped
public class OrganizationRegistration implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(OrganizationRegistration.class);

    @Inject
    OrganizationRegistry organizations;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        List<String> unregistered = organizations.unregistered(Caller.organizations(token));
        if (unregistered.isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> {
            try {
                organizations.register(unregistered);
            } catch (RuntimeException e) {
                // The database is unreachable or refuses just now: authentication
                // still succeeds (a failure here would answer 500 before any
                // resource runs), the request meets the same outage where it is
                // answered 503, and the next request of the alias tries again.
                LOG.warnf("Could not register the token's organisations now: %s", e.getClass().getName());
            }
            return identity;
        });
    }
}
