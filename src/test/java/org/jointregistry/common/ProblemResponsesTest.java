package org.jointregistry.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/** Errors raised by the framework itself are problem details too. */
@QuarkusTest
class ProblemResponsesTest {

    @Test
    void unknownPathIsAProblem404() {
        given().auth().oauth2(Tokens.reporter("utopia-56"))
                .when().get("/api/v1/no-such-thing")
                .then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("/problems/not-found"))
                .body("status", equalTo(404))
                .body("instance", equalTo("/api/v1/no-such-thing"));
    }

    @Test
    void wrongMethodIsAProblem405() {
        given().auth().oauth2(Tokens.reporter("utopia-56"))
                .when().delete("/api/v1/taxonomy")
                .then().statusCode(405)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("/problems/method-not-allowed"))
                .body(not(containsString("Exception")));
    }

    @Test
    void withoutATokenEveryApiRequestIs401WhateverItsAcceptOrContentType() {
        String id = java.util.UUID.randomUUID().toString();
        given().accept(Problem.MEDIA_TYPE).when().delete("/api/v1/incidents/" + id)
                .then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("/problems/unauthenticated"));
        given().accept("text/csv").when().get("/api/v1/incidents")
                .then().statusCode(401).body("type", equalTo("/problems/unauthenticated"));
        given().contentType("text/plain").body("x").when().post("/api/v1/volunteers")
                .then().statusCode(401).body("type", equalTo("/problems/unauthenticated"));
        given().auth().oauth2("not-a-token").accept("image/png").when().get("/api/v1/me")
                .then().statusCode(401).body("type", equalTo("/problems/unauthenticated"));
        // The public taxonomy still answers anonymous callers, and its own 406.
        given().when().get("/api/v1/taxonomy").then().statusCode(200);
        given().accept("image/png").when().get("/api/v1/taxonomy").then().statusCode(406);
    }

    @Test
    void aDeleteAcceptsTheProblemMediaTypeItsErrorsUse() {
        given().auth().oauth2(Tokens.coordinator("utopia-56")).accept(Problem.MEDIA_TYPE)
                .when().delete("/api/v1/incidents/" + java.util.UUID.randomUUID())
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("/problems/not-found"));
    }
}
