package org.jointregistry.tenant;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jointregistry.common.ProblemException;
import org.jointregistry.common.ProblemType;

/**
 * Who is calling and on behalf of which organisation, derived from the bearer
 * token (and the X-Organization header for tokens of several organisations),
 * never from a request body. Tenant-space code asks {@link #tenant()} for the
 * organisation it may touch.
 */
@RequestScoped
public class Caller {

    public static final String ORGANIZATION_HEADER = "X-Organization";
    public static final String ORGANIZATION_CLAIM = "organization";

    @Inject
    SecurityIdentity identity;

    @Inject
    JsonWebToken token;

    @Inject
    HttpServerRequest request;

    private Optional<String> active;

    public String subject() {
        return token.getSubject();
    }

    public String username() {
        String preferred = token.getClaim("preferred_username");
        return preferred != null ? preferred : token.getSubject();
    }

    public Set<String> roles() {
        return new TreeSet<>(identity.getRoles());
    }

    /** Aliases in the token's `organization` claim: a JSON array (a lone string is accepted too). */
    public List<String> organizations() {
        return organizations(token);
    }

    /** The aliases of a token's `organization` claim (also read at authentication, by OrganizationRegistration). */
    static List<String> organizations(JsonWebToken token) {
        Object claim = token.getClaim(ORGANIZATION_CLAIM);
        if (claim instanceof String single) {
            return List.of(single);
        }
        if (claim instanceof jakarta.json.JsonArray array) {
            return array.stream()
                    .filter(v -> v instanceof jakarta.json.JsonString)
                    .map(v -> ((jakarta.json.JsonString) v).getString())
                    .sorted()
                    .toList();
        }
        if (claim instanceof java.util.Collection<?> values) {
            return values.stream().map(String::valueOf).sorted().toList();
        }
        return List.of();
    }

    /**
     * The active organisation: the token's only one, or the one named by
     * X-Organization among the token's. Empty when the token has several and
     * names none, or has none. A header naming an organisation the token does
     * not carry is refused with 403.
     */
    public Optional<String> activeOrganization() {
        if (active == null) {
            active = resolveActive();
        }
        return active;
    }

    /** The organisation of a tenant-space request; 400 or 403 problems when there is none. */
    public String tenant() {
        String organization = activeOrganization().orElseThrow(() -> organizations().isEmpty()
                ? new ProblemException(ProblemType.FORBIDDEN, "Your token belongs to no organisation.")
                : new ProblemException(ProblemType.ORGANIZATION_REQUIRED,
                        "Your token carries several organisations: name one in the X-Organization header."));
        // OrganizationRegistration registered every alias the table can hold;
        // any other could never own a record.
        if (!OrganizationRegistry.acceptable(organization)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Your token names an organisation alias the registry cannot accept.");
        }
        return organization;
    }

    private Optional<String> resolveActive() {
        List<String> organizations = organizations();
        String requested = request.getHeader(ORGANIZATION_HEADER);
        if (requested != null) {
            if (!organizations.contains(requested.trim())) {
                throw new ProblemException(ProblemType.FORBIDDEN,
                        "X-Organization names an organisation your token does not belong to.");
            }
            return Optional.of(requested.trim());
        }
        return organizations.size() == 1 ? Optional.of(organizations.get(0)) : Optional.empty();
    }
}
