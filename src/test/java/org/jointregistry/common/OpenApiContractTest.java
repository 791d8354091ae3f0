package org.jointregistry.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed contract is what the service serves. `./mvnw package`
 * rewrites openapi/openapi.yaml from the code; if this fails, review the change
 * to the contract and commit the regenerated file. Compared as documents, not
 * text: the generator does not keep the order of an object's keys stable.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void committedContractEqualsTheServedOne() throws IOException {
        String served = given().accept("application/yaml").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        JsonNode committed = YAML.readTree(Path.of("openapi/openapi.yaml").toFile());
        assertEquals(committed, YAML.readTree(served),
                "openapi/openapi.yaml differs from GET /q/openapi: run ./mvnw package -DskipTests and commit it");
    }
}
