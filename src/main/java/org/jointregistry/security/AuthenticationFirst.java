package org.jointregistry.security;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jointregistry.taxonomy.TaxonomyResource;

/**
 * Authenticates every API request before it is matched to a method, so that a
 * request without a valid token is answered 401 whatever else is wrong with it.
 * Matching checks `Accept` and `Content-Type` first (406, 415) and method
 * security comes after it, which told an anonymous caller which paths exist and
 * gave a generated client's tokenless DELETE a 406. The identity is resolved
 * once per request: the role checks later reuse it. The public taxonomy keeps
 * answering anonymous callers (AccessRulesTest checks every operation's rule).
 */
public class AuthenticationFirst {

    @Inject
    CurrentIdentityAssociation identity;

    @ServerRequestFilter(preMatching = true)
    public Uni<Void> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/") || path.equals(TaxonomyResource.PATH)
                || path.startsWith(TaxonomyResource.PATH + "/")) {
            return Uni.createFrom().voidItem();
        }
        // A refused token fails the Uni with AuthenticationFailedException; both map to the same 401 problem.
        return identity.getDeferredIdentity().invoke(caller -> {
            if (caller.isAnonymous()) {
                throw new UnauthorizedException();
            }
        }).replaceWithVoid();
    }
}
