package org.jointregistry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jointregistry.common.Problem;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Db;
import org.jointregistry.support.Jwts;
import org.jointregistry.support.KeycloakAdmin;
import org.jointregistry.support.Tokens;
import org.jointregistry.support.TrustedTestKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tokens an attacker could present, each refused with the same 401 problem as
 * no token at all. Crafted tokens are signed with a key the realm publishes
 * (see {@link TrustedTestKey}) unless the signature is the attack, so each is
 * refused for its one defect; the others come from the real Keycloak, with
 * throwaway realms, clients and users created here and deleted afterwards.
 */
@QuarkusTest
class TokenAttackTest {

    private static final String ME = "/api/v1/me";
    private static final String REALM = KeycloakAdmin.REGISTRY_REALM;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String FOREIGN_REALM = "registry-attacker-" + SUFFIX;
    private static final String SHORT_LIVED_CLIENT = "registry-test-short-" + SUFFIX;
    private static final String NO_AUDIENCE_CLIENT = "registry-test-noaud-" + SUFFIX;
    private static final String KEEPER = "registry-test-keeper-" + SUFFIX;
    private static final String LEAVER = "registry-test-leaver-" + SUFFIX;
    private static final String PASSWORD = "throwaway-" + SUFFIX;
    private static final int SHORT_LIFESPAN_SECONDS = 3;

    private static String shortLivedClientId;
    private static String noAudienceClientId;
    private static String keeperId;
    private static String leaverId;

    @ConfigProperty(name = TrustedTestKey.PRIVATE_KEY_PROPERTY)
    String trustedKey;

    @ConfigProperty(name = TrustedTestKey.KEY_ID_PROPERTY)
    String trustedKid;

    @ConfigProperty(name = "quarkus.oidc.token.lifespan-grace")
    int clockSkewSeconds;

    enum Attack {
        EXPIRED, NOT_YET_VALID, ISSUED_IN_THE_FUTURE, NO_EXPIRY, WRONG_ISSUER, NO_AUDIENCE, WRONG_AUDIENCE,
        ALG_NONE, ALG_NONE_ON_A_REAL_TOKEN, HS256_WITH_THE_REALM_PUBLIC_KEY_PEM, HS256_WITH_THE_REALM_PUBLIC_KEY_DER,
        FOREIGN_KEY_WITH_THE_REALM_KID, TAMPERED_ORGANIZATION, OTHER_REALM, CLIENT_WITHOUT_THE_AUDIENCE, ID_TOKEN,
        REFRESH_TOKEN
    }

    @BeforeAll
    static void createThrowaways() {
        KeycloakAdmin.create("", Map.of("realm", FOREIGN_REALM, "enabled", true));
        // A look-alike of a partner's sync client, in a realm the registry does not trust.
        KeycloakAdmin.create("/" + FOREIGN_REALM + "/clients", Map.of("clientId", "utopia-56-sync",
                "secret", PASSWORD, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false, "protocolMappers", List.of(KeycloakAdmin.audienceMapper(), Map.of(
                        "name", "organization", "protocol", "openid-connect",
                        "protocolMapper", "oidc-hardcoded-claim-mapper", "config", Map.of(
                                "claim.name", "organization", "claim.value", "[\"utopia-56\"]",
                                "jsonType.label", "JSON", "access.token.claim", "true")))));
        shortLivedClientId = KeycloakAdmin.create("/" + REALM + "/clients", Map.of("clientId", SHORT_LIVED_CLIENT,
                "publicClient", true, "directAccessGrantsEnabled", true, "standardFlowEnabled", false,
                "attributes", Map.of("access.token.lifespan", String.valueOf(SHORT_LIFESPAN_SECONDS)),
                "protocolMappers", List.of(KeycloakAdmin.audienceMapper())));
        noAudienceClientId = KeycloakAdmin.create("/" + REALM + "/clients", Map.of("clientId", NO_AUDIENCE_CLIENT,
                "secret", PASSWORD, "publicClient", false, "serviceAccountsEnabled", true,
                "standardFlowEnabled", false));
        keeperId = KeycloakAdmin.createUser(REALM, KEEPER, PASSWORD);
        leaverId = KeycloakAdmin.createUser(REALM, LEAVER, PASSWORD);
    }

    @AfterAll
    static void deleteThrowaways() {
        KeycloakAdmin.delete("/" + FOREIGN_REALM);
        for (String id : new String[] { shortLivedClientId, noAudienceClientId }) {
            if (id != null) {
                KeycloakAdmin.delete("/" + REALM + "/clients/" + id);
            }
        }
        for (String id : new String[] { keeperId, leaverId }) {
            if (id != null) {
                KeycloakAdmin.delete("/" + REALM + "/users/" + id);
            }
        }
    }

    @Test
    void craftedTokenWithEveryClaimRightIsAccepted() {
        // The control: without it every refusal below could be the signature's.
        given().auth().oauth2(trusted(claims())).when().get(ME)
                .then().statusCode(200)
                .body("username", equalTo("crafted-reporter"))
                .body("activeOrganization", equalTo("utopia-56"));
    }

    @Test
    void aPartnerTheRegistryHasNotSeenIsRegisteredAtAuthentication() {
        String partner = "registry-test-partner-" + SUFFIX;
        Map<String, Object> claims = with(claims(), "organization", List.of(partner));
        String token = trusted(with(claims, "realm_access", Map.of("roles", List.of("coordinator"))));
        // Authentication alone registers it (OrganizationRegistration), before any tenant call.
        given().auth().oauth2(token).when().get(ME).then().statusCode(200)
                .body("activeOrganization", equalTo(partner));
        assertEquals(Optional.of(partner), Db.row("SELECT name FROM organization WHERE alias = ?", partner)
                .map(row -> row.get("name")));
        // So its first record holds its foreign key.
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("pseudonym", "first-" + SUFFIX, "gender", "undisclosed"))
                .when().post("/api/v1/volunteers").then().statusCode(201);
    }

    @Test
    void anAliasTheRegistryCannotHoldIsRefusedAtTenantCallsOnly() {
        String token = trusted(with(claims(), "organization", List.of("Not An Alias " + SUFFIX)));
        given().auth().oauth2(token).when().get(ME).then().statusCode(200);
        given().auth().oauth2(token).when().get("/api/v1/volunteers").then().statusCode(403)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("Your token names an organisation alias the registry cannot accept."));
        assertEquals(Optional.empty(), Db.row("SELECT name FROM organization WHERE alias = ?",
                "Not An Alias " + SUFFIX));
    }

    @Test
    void issuedAtWithinTheClockSkewIsAccepted() {
        Map<String, Object> claims = claims();
        claims.put("iat", now() + clockSkewSeconds / 2);
        given().auth().oauth2(trusted(claims)).when().get(ME).then().statusCode(200);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Attack.class)
    void attackIsRefusedLikeNoTokenAtAll(Attack attack) {
        assertRefusedLikeNoToken(token(attack));
    }

    @Test
    void tokensWorkUntilExpiryEvenForADisabledUserThenAreRefused() throws InterruptedException {
        String keeper = shortLivedToken(KEEPER);
        String leaver = shortLivedToken(LEAVER);
        given().auth().oauth2(leaver).when().get(ME).then().statusCode(200).body("username", equalTo(LEAVER));

        JsonPath user = KeycloakAdmin.read("/" + REALM + "/users/" + leaverId);
        Map<String, Object> disabled = new LinkedHashMap<>(user.getMap("$"));
        disabled.put("enabled", false);
        KeycloakAdmin.update("/" + REALM + "/users/" + leaverId, disabled);
        KeycloakAdmin.grant(REALM, passwordGrant(LEAVER)).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // Verified locally against the cached keys, the token already issued
        // still works: the accepted risk of short-lived tokens without introspection.
        given().auth().oauth2(leaver).when().get(ME).then().statusCode(200);
        given().auth().oauth2(keeper).when().get(ME).then().statusCode(200);

        long expiry = ((Number) Jwts.claims(leaver).get("exp")).longValue();
        Thread.sleep(Math.max(0, (expiry + clockSkewSeconds + 1) * 1000 - System.currentTimeMillis()));
        assertRefusedLikeNoToken(leaver);
        assertRefusedLikeNoToken(keeper);
    }

    private String token(Attack attack) {
        Map<String, Object> claims = claims();
        return switch (attack) {
            case EXPIRED -> {
                claims.put("iat", now() - 600);
                claims.put("exp", now() - 120 - clockSkewSeconds);
                yield trusted(claims);
            }
            case NOT_YET_VALID -> trusted(with(claims, "nbf", now() + 300));
            case ISSUED_IN_THE_FUTURE -> {
                claims.put("exp", now() + 900);
                yield trusted(with(claims, "iat", now() + 300));
            }
            case NO_EXPIRY -> trusted(with(claims, "exp", null));
            case WRONG_ISSUER -> trusted(with(claims, "iss", LocalStack.KEYCLOAK_URL + "/realms/" + FOREIGN_REALM));
            case NO_AUDIENCE -> trusted(with(claims, "aud", null));
            case WRONG_AUDIENCE -> trusted(with(claims, "aud", List.of("account", "registry-cli")));
            case ALG_NONE -> Jwts.unsigned(claims);
            case ALG_NONE_ON_A_REAL_TOKEN -> {
                String real = Tokens.reporter("utopia-56");
                String unsigned = Jwts.withHeader(real, Map.of("alg", "none", "typ", "JWT"));
                yield unsigned.substring(0, unsigned.lastIndexOf('.') + 1);
            }
            case HS256_WITH_THE_REALM_PUBLIC_KEY_PEM -> Jwts.hs256(realmKeyHeader("HS256"), claims,
                    Jwts.pem(realmPublicKey()).getBytes(StandardCharsets.US_ASCII));
            case HS256_WITH_THE_REALM_PUBLIC_KEY_DER -> Jwts.hs256(realmKeyHeader("HS256"), claims,
                    realmPublicKey().getEncoded());
            case FOREIGN_KEY_WITH_THE_REALM_KID -> Jwts.rs256(realmKeyHeader("RS256"), claims,
                    Jwts.newRsaKeyPair().getPrivate());
            case TAMPERED_ORGANIZATION -> {
                String real = Tokens.reporter("utopia-56");
                yield Jwts.withClaims(real, with(Jwts.claims(real), "organization", List.of("help-refugees")));
            }
            case OTHER_REALM -> accessToken(KeycloakAdmin.grant(FOREIGN_REALM, Map.of(
                    "grant_type", "client_credentials", "client_id", "utopia-56-sync", "client_secret", PASSWORD)));
            case CLIENT_WITHOUT_THE_AUDIENCE -> accessToken(KeycloakAdmin.grant(REALM, Map.of(
                    "grant_type", "client_credentials", "client_id", NO_AUDIENCE_CLIENT, "client_secret", PASSWORD)));
            case ID_TOKEN -> signIn().path("id_token");
            case REFRESH_TOKEN -> signIn().path("refresh_token");
        };
    }

    private static void assertRefusedLikeNoToken(String token) {
        Response anonymous = given().when().get(ME);
        Response refused = given().auth().oauth2(token).when().get(ME);
        refused.then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("/problems/unauthenticated"))
                .body("detail", equalTo("A valid bearer token is required."));
        assertEquals(anonymous.jsonPath().getMap("$"), refused.jsonPath().getMap("$"),
                "the refusal must not say why the token was refused");
        assertEquals(anonymous.header("WWW-Authenticate"), refused.header("WWW-Authenticate"));
    }

    /** A reporter of utopia-56 as the realm would describe one, valid for five minutes. */
    private static Map<String, Object> claims() {
        long now = now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", LocalStack.REALM_URL);
        claims.put("aud", List.of("registry-api", "account"));
        claims.put("sub", "1d3c5a0e-crafted");
        claims.put("typ", "Bearer");
        claims.put("azp", "registry-cli");
        claims.put("iat", now);
        claims.put("exp", now + 300);
        claims.put("preferred_username", "crafted-reporter");
        claims.put("realm_access", Map.of("roles", List.of("reporter")));
        claims.put("organization", List.of("utopia-56"));
        return claims;
    }

    /** The claims with one changed, or removed when {@code value} is null. */
    private static Map<String, Object> with(Map<String, Object> claims, String name, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(claims);
        if (value == null) {
            changed.remove(name);
        } else {
            changed.put(name, value);
        }
        return changed;
    }

    private String trusted(Map<String, Object> claims) {
        return Jwts.rs256(Map.of("alg", "RS256", "typ", "JWT", "kid", trustedKid), claims,
                Jwts.privateKey(trustedKey));
    }

    /** A header naming the key the realm signs with now. */
    private static Map<String, Object> realmKeyHeader(String alg) {
        return Map.of("alg", alg, "typ", "JWT", "kid", realmKid());
    }

    private static String realmKid() {
        return (String) Jwts.header(Tokens.reporter("utopia-56")).get("kid");
    }

    /** The realm's public signing key, as anyone can download it from the JWKS. */
    private static PublicKey realmPublicKey() {
        JsonPath jwks = given().get(LocalStack.REALM_URL + "/protocol/openid-connect/certs").jsonPath();
        String key = "keys.find { it.kid == '" + realmKid() + "' }";
        return Jwts.rsaPublicKey(jwks.getString(key + ".n"), jwks.getString(key + ".e"));
    }

    private static Response signIn() {
        Response response = KeycloakAdmin.grant(REALM, Map.of("grant_type", "password", "client_id", "registry-cli",
                "username", "utopia-56-reporter", "password", "demo", "scope", "openid"));
        response.then().statusCode(200);
        return response;
    }

    private static String shortLivedToken(String username) {
        return accessToken(KeycloakAdmin.grant(REALM, passwordGrant(username)));
    }

    private static Map<String, String> passwordGrant(String username) {
        return Map.of("grant_type", "password", "client_id", SHORT_LIVED_CLIENT, "username", username,
                "password", PASSWORD);
    }

    private static String accessToken(Response grant) {
        return grant.then().statusCode(200).extract().path("access_token");
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
