package org.jointregistry.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.stack.RegistryStack;

/**
 * An RSA key that the registry realm publishes in its JWKS but never signs
 * with (a passive key), whose private half the tests hold. Tokens crafted
 * with it carry a signature the service trusts, so a token refused for one
 * defective claim is refused for that claim and not for its signature.
 * Installed before the service starts, so it is in the service's first JWKS
 * fetch; removed when the tests end (and left-overs of killed runs after an hour).
 */
@WithTestResource(value = TrustedTestKey.class, scope = TestResourceScope.GLOBAL)
public class TrustedTestKey implements QuarkusTestResourceLifecycleManager {

    public static final String PRIVATE_KEY_PROPERTY = "registry.test.trusted-key";
    public static final String KEY_ID_PROPERTY = "registry.test.trusted-kid";
    private static final String NAME_PREFIX = "registry-test-key-";
    private static final String REALM = "/" + KeycloakAdmin.REGISTRY_REALM;

    private String componentId;

    @Override
    public Map<String, String> start() {
        removeLeftOvers();
        KeyPair pair = Jwts.newRsaKeyPair();
        String privateKey = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
        String realmId = KeycloakAdmin.read(REALM).getString("id");
        componentId = KeycloakAdmin.create(REALM + "/components", Map.of(
                "name", NAME_PREFIX + Instant.now().getEpochSecond(),
                "providerId", "rsa",
                "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId,
                "config", Map.of(
                        "privateKey", List.of(privateKey),
                        "algorithm", List.of("RS256"),
                        "priority", List.of("0"),
                        "enabled", List.of("true"),
                        "active", List.of("false"))));
        String kid = KeycloakAdmin.read(REALM + "/keys")
                .getString("keys.find { it.providerId == '" + componentId + "' }.kid");
        return Map.of(PRIVATE_KEY_PROPERTY, privateKey, KEY_ID_PROPERTY, kid);
    }

    /** A Keycloak the stack started is already gone, and its realm is imported afresh next time. */
    @Override
    public void stop() {
        if (componentId != null && LocalStack.answers(LocalStack.REALM_URL + "/.well-known/openid-configuration")) {
            KeycloakAdmin.delete(REALM + "/components/" + componentId);
        }
    }

    /** After the stack, which may have to start Keycloak first. */
    @Override
    public int order() {
        return new RegistryStack().order() + 1;
    }

    private static void removeLeftOvers() {
        long cutoff = Instant.now().minus(Duration.ofHours(1)).getEpochSecond();
        List<Map<String, Object>> keys = KeycloakAdmin.read(REALM + "/components?type=org.keycloak.keys.KeyProvider")
                .getList("$");
        for (Map<String, Object> key : keys) {
            String name = String.valueOf(key.get("name"));
            if (name.startsWith(NAME_PREFIX) && Long.parseLong(name.substring(NAME_PREFIX.length())) < cutoff) {
                KeycloakAdmin.delete(REALM + "/components/" + key.get("id"));
            }
        }
    }
}
