package org.jointregistry.support;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jointregistry.stack.LocalStack;

/**
 * Real access tokens from the real Keycloak (realm docker/registry-realm.json),
 * through the password grant of the public registry-cli client and the
 * client-credentials grant of the partners' sync clients. Cached until shortly
 * before they expire.
 */
public final class Tokens {

    private static final Map<String, Cached> CACHE = new ConcurrentHashMap<>();

    private record Cached(String token, Instant expires) {
    }

    private Tokens() {
    }

    /** A demo user's token (password "demo"). */
    public static String user(String username) {
        return cached("user:" + username, () -> request(LocalStack.REALM_URL, Map.of("grant_type", "password",
                "client_id", "registry-cli", "username", username, "password", "demo")));
    }

    /** A demo user's token listing all its organisations (`scope=organization:*`). */
    public static String userAllOrganizations(String username) {
        return cached("user*:" + username, () -> request(LocalStack.REALM_URL, Map.of("grant_type", "password",
                "client_id", "registry-cli", "username", username, "password", "demo", "scope", "organization:*")));
    }

    /** The service-account token of an organisation's sync client. */
    public static String syncClient(String organization) {
        return cached("sync:" + organization, () -> syncClientGrant(LocalStack.REALM_URL, organization));
    }

    /**
     * The token response of an organisation's sync client from the realm at
     * {@code realmUrl} (Keycloak behind a proxy, say, whose address becomes
     * the token's issuer), fetched now, not cached.
     */
    public static Response syncClientGrant(String realmUrl, String organization) {
        return request(realmUrl, Map.of("grant_type", "client_credentials", "client_id", organization + "-sync",
                "client_secret", organization + "-sync-secret"));
    }

    public static String reporter(String organization) {
        return user(organization + "-reporter");
    }

    public static String coordinator(String organization) {
        return user(organization + "-coordinator");
    }

    public static String analyst() {
        return user("analyst");
    }

    private static String cached(String key, java.util.function.Supplier<Response> fetch) {
        Cached hit = CACHE.get(key);
        if (hit != null && Instant.now().isBefore(hit.expires())) {
            return hit.token();
        }
        Response response = fetch.get();
        response.then().statusCode(200);
        String token = response.path("access_token");
        int lifetime = response.path("expires_in");
        CACHE.put(key, new Cached(token, Instant.now().plusSeconds(Math.max(0, lifetime - 30))));
        return token;
    }

    private static Response request(String realmUrl, Map<String, String> form) {
        return given().formParams(form).post(realmUrl + "/protocol/openid-connect/token");
    }
}
