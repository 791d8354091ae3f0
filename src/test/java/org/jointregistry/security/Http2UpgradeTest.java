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

    /**
     * A POST without a body (no Content-Length either, as java.net.http sends
     * one), also as the first request of a connection, the one upgraded: a 4xx
     * problem, as over HTTP/1.1, never a 500.
     */
    @Test
    void upgradedPostWithoutBodyIsAProblem() throws Exception {
        URI incidents = me.resolve("/api/v1/incidents");
        for (int connection = 0; connection < 2; connection++) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(incidents)
                        .header("Authorization", "Bearer " + Tokens.reporter("utopia-56"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, response.statusCode(), response.body());
            }
        }
    }
}
