package org.jointregistry.limits;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.jwt.Claims;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jointregistry.common.ProblemException;
import org.jointregistry.tenant.Caller;

/** Whom a request's costs are counted against: its organisation, and its client. */
@RequestScoped
public class Requester {

    @Inject
    JsonWebToken token;

    @Inject
    Caller caller;

    /**
     * The organisation the caller acts for, if the token settles one; a token
     * that does not (several organisations and no X-Organization, or a header
     * naming a foreign one) is answered by the resource, and counts against
     * its client only.
     */
    public Optional<String> organization() {
        try {
            return caller.activeOrganization();
        } catch (ProblemException unsettled) {
            return Optional.empty();
        }
    }

    /**
     * The client: the OAuth client the token was issued to (azp) and the
     * subject using it. The client id alone would put every person using the
     * public registry-cli, of every partner, on one budget; for a partner's
     * sync client (a service account) the pair is the client itself.
     */
    public String client() {
        String azp = token.getClaim(Claims.azp.name());
        return azp == null ? token.getSubject() : azp + "|" + token.getSubject();
    }

    /** The organisation, or for a caller acting for none (an analyst), the client. */
    public String owner() {
        return organization().map(alias -> "org|" + alias).orElseGet(() -> "client|" + client());
    }
}
