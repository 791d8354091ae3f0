package org.jointregistry.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Java's own HTTP client asks to upgrade plain-HTTP requests to HTTP/2 (h2c):
 * such requests are served like any other, not failed by the body-size check.
 */
@QuarkusTest
class Http2UpgradeTest {

    @TestHTTPResource("/api/v1/me")
    URI me;

    @Test
    void upgradedGetIsServed() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(me)
                    .header("Authorization", "Bearer " + Tokens.reporter("utopia-56")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
        }
    }
}
