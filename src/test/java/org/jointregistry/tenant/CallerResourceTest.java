package org.jointregistry.tenant;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** Tokens from the real Keycloak, read by the registry as the contract's §1 says. */
@QuarkusTest
class CallerResourceTest {

    @Test
    void reporterOfOneOrganisationActsForIt() {
        given().auth().oauth2(Tokens.reporter("utopia-56"))
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("username", equalTo("utopia-56-reporter"))
                .body("organizations", containsInAnyOrder("utopia-56"))
                .body("activeOrganization", equalTo("utopia-56"))
                .body("roles", hasItem("reporter"))
                .body("roles", not(hasItem("coordinator")));
    }

    @Test
    void coordinatorHasBothRoles() {
        given().auth().oauth2(Tokens.coordinator("help-refugees"))
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("activeOrganization", equalTo("help-refugees"))
                .body("roles", hasItems("coordinator", "reporter"));
    }

    @Test
    void syncClientGetsItsOrganisationFromTheHardCodedClaim() {
        given().auth().oauth2(Tokens.syncClient("utopia-56"))
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("username", equalTo("service-account-utopia-56-sync"))
                .body("organizations", containsInAnyOrder("utopia-56"))
                .body("activeOrganization", equalTo("utopia-56"))
                .body("roles", hasItem("reporter"));
    }

    @Test
    void multiOrganisationTokenChoosesWithTheHeader() {
        String token = Tokens.userAllOrganizations("dual-reporter");
        given().auth().oauth2(token)
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("organizations", containsInAnyOrder("help-refugees", "utopia-56"))
                .body("activeOrganization", nullValue());
        given().auth().oauth2(token).header("X-Organization", "utopia-56")
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("activeOrganization", equalTo("utopia-56"));
        given().auth().oauth2(token).header("X-Organization", "refugee-info-bus")
                .when().get("/api/v1/me")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"));
    }

    @Test
    void multiOrganisationUserWithoutTheScopeBelongsToNone() {
        // Keycloak 26 omits the claim for members of several organisations unless
        // the token request asks for scope=organization:*.
        given().auth().oauth2(Tokens.user("dual-reporter"))
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("organizations.size()", equalTo(0))
                .body("activeOrganization", nullValue());
    }

    @Test
    void analystBelongsToNoOrganisation() {
        given().auth().oauth2(Tokens.analyst())
                .when().get("/api/v1/me")
                .then().statusCode(200)
                .body("organizations.size()", equalTo(0))
                .body("roles", containsInAnyOrder("analyst"));
    }

    @Test
    void noTokenIsAProblem401() {
        given().when().get("/api/v1/me")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("type", equalTo("/problems/unauthenticated"))
                .body("instance", equalTo("/api/v1/me"));
    }

    @Test
    void garbageTokenIsAProblem401() {
        given().auth().oauth2("not.a.token")
                .when().get("/api/v1/me")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("A valid bearer token is required."));
    }

    @Test
    void organisationsListsThePartners() {
        given().auth().oauth2(Tokens.analyst())
                .when().get("/api/v1/organizations")
                .then().statusCode(200)
                .body("items.alias", hasItems("help-refugees", "auberge-des-migrants", "utopia-56",
                        "refugee-info-bus", "refugee-womens-centre"))
                .body("items.find { it.alias == 'auberge-des-migrants' }.name", equalTo("L'Auberge des Migrants"));
    }
}
