package org.jointregistry.security;

import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwt.consumer.Validator;

/**
 * Refuses a token issued in the future. quarkus-oidc checks exp and nbf but
 * only requires iat to be present; a token dated ahead was minted by a wrong
 * clock or forged to outlive its apparent lifetime. The same skew as for exp
 * and nbf is tolerated.
 */
@Unremovable
@ApplicationScoped
public class IssuedAtRule implements Validator {

    private final long skewSeconds;

    IssuedAtRule(@ConfigProperty(name = "quarkus.oidc.token.lifespan-grace", defaultValue = "0") int skewSeconds) {
        this.skewSeconds = skewSeconds;
    }

    @Override
    public String validate(JwtContext context) throws MalformedClaimException {
        NumericDate issuedAt = context.getJwtClaims().getIssuedAt();
        long now = System.currentTimeMillis() / 1000;
        if (issuedAt != null && issuedAt.getValue() > now + skewSeconds) {
            return "The token was issued in the future";
        }
        return null;
    }
}
