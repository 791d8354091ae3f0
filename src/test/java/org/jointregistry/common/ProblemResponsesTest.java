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
}
