package org.jointregistry.common;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed contract is what the service serves. The build writes the
 * served document to openapi/openapi.yaml; if this fails, review the change
 * to the contract and commit the regenerated file.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void committedContractEqualsTheServedOne() throws IOException {
        String served = given().accept("application/yaml").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        String committed = Files.readString(Path.of("openapi/openapi.yaml"));
        // The served document may order an object's keys differently from the
        // stored one (it is re-serialised at run time); only content counts.
        if (!YAML.readTree(committed).equals(YAML.readTree(served))) {
            assertEquals(normalise(committed), normalise(served),
                    "openapi/openapi.yaml differs from GET /q/openapi: commit the regenerated file");
        }
    }

    private static String normalise(String yaml) {
        return yaml.replace("\r\n", "\n").strip();
    }
}
