package org.jointregistry.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import org.jointregistry.stack.LocalStack;

/**
 * The running Keycloak's admin REST API (bootstrap admin admin/admin), for
 * tests that need throwaway realms, clients, users or keys. Every test that
 * creates something deletes it afterwards.
 */
public final class KeycloakAdmin {

    public static final String REGISTRY_REALM = "registry";
    private static final String ADMIN_URL = LocalStack.KEYCLOAK_URL + "/admin/realms";

    private KeycloakAdmin() {
    }

    /** POSTs a representation under /admin/realms and returns the id of what was created. */
    public static String create(String path, Object representation) {
        String location = admin().body(representation).post(ADMIN_URL + path)
                .then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public static void update(String path, Object representation) {
        admin().body(representation).put(ADMIN_URL + path).then().statusCode(204);
    }

    public static JsonPath read(String path) {
        return admin().get(ADMIN_URL + path).then().statusCode(200).extract().jsonPath();
    }

    /** Deletes if present: cleanup must not fail because a test failed half-way. */
    public static void delete(String path) {
        int status = admin().delete(ADMIN_URL + path).statusCode();
        if (status != 204 && status != 404) {
            throw new IllegalStateException("Keycloak refused to delete " + path + ": HTTP " + status);
        }
    }

    /** A user who can sign in with the password grant (the realm's user profile wants names and an email). */
    public static String createUser(String realm, String username, String password) {
        return create("/" + realm + "/users", Map.of("username", username, "enabled", true,
                "email", username + "@example.org", "emailVerified", true, "firstName", "Test", "lastName", "User",
                "credentials", new Object[] { Map.of("type", "password", "value", password, "temporary", false) }));
    }

    /** A token endpoint call on any realm of the running Keycloak. */
    public static Response grant(String realm, Map<String, String> form) {
        return given().formParams(form).post(LocalStack.KEYCLOAK_URL + "/realms/" + realm
                + "/protocol/openid-connect/token");
    }

    /** The mapper that puts aud=registry-api into access tokens, as on the realm's own clients. */
    public static Map<String, Object> audienceMapper() {
        return Map.of("name", "registry-api audience", "protocol", "openid-connect",
                "protocolMapper", "oidc-audience-mapper", "config", Map.of(
                        "included.custom.audience", "registry-api", "access.token.claim", "true",
                        "id.token.claim", "false"));
    }

    private static RequestSpecification admin() {
        String token = grant("master", Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", "admin", "password", "admin")).then().statusCode(200).extract().path("access_token");
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }
}
