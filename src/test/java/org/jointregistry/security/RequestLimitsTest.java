package org.jointregistry.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jointregistry.common.Problem;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Bodies over their endpoint's limit are refused with a 413 problem, never a
 * 500 or a dropped connection; oversized headers and request lines are
 * refused by the HTTP layer itself.
 */
@QuarkusTest
class RequestLimitsTest {

    private static final String ME = "/api/v1/me";

    @ConfigProperty(name = "registry.http.max-body-size")
    MemorySize apiLimit;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize bulkLimit;

    @ConfigProperty(name = "registry.http.bulk-paths")
    List<String> bulkPaths;

    @ConfigProperty(name = "quarkus.http.limits.max-header-size")
    MemorySize headerLimit;

    @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length")
    int requestLineLimit;

    @TestHTTPResource("/")
    URL server;

    @Test
    void bodyOverTheLimitIsA413Problem() {
        // Sent whole before the client reads the answer, as most HTTP clients do.
        byte[] body = jsonOfSize(apiLimit.asLongValue() + 1);
        assertTooLarge(given().auth().oauth2(Tokens.reporter("utopia-56")).contentType("application/json")
                .body(body).when().post(ME).then(), ME, apiLimit);
    }

    @Test
    void chunkedBodyOverTheLimitIsA413Problem() {
        InputStream body = new ByteArrayInputStream(jsonOfSize(apiLimit.asLongValue() + 1));
        assertTooLarge(given().contentType("application/json").body(body).when().post(ME).then(), ME, apiLimit);
    }

    @Test
    void bodyUnderTheLimitReachesTheEndpoint() {
        given().auth().oauth2(Tokens.reporter("utopia-56")).contentType("application/json")
                .body(jsonOfSize(apiLimit.asLongValue() - 1))
                .when().post(ME)
                .then().statusCode(405).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void bulkPathsTakeBodiesOverTheGeneralLimit() {
        for (String path : bulkPaths) {
            given().contentType("application/json").body(jsonOfSize(apiLimit.asLongValue() * 2))
                    .when().post(path)
                    .then().statusCode(not(413));
        }
    }

    @Test
    void bodyOverTheAbsoluteCapIsRefusedAndTheConnectionClosed() throws IOException {
        String bulk = bulkPaths.get(0);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            // Only the headers: the refusal must not wait for the body.
            send(socket, "POST " + bulk + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (bulkLimit.asLongValue() + 1) + "\r\n\r\n");
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.toLowerCase().contains("content-type: application/problem+json"), response);
            assertTrue(response.contains("\"type\":\"/problems/payload-too-large\""), response);
        }
    }

    @Test
    void connectionServesTheNextRequestAfterA413() throws IOException {
        byte[] body = jsonOfSize(apiLimit.asLongValue() + 1);
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(10_000);
            send(socket, "POST " + ME + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n");
            socket.getOutputStream().write(body);
            send(socket, "GET /api/v1/taxonomy HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String responses = readUntil(socket.getInputStream(), "\"categoryGroups\"");
            assertTrue(responses.startsWith("HTTP/1.1 413"), responses);
            assertTrue(responses.contains("HTTP/1.1 200"), responses);
        }
    }

    @Test
    void oversizedHeaderIsRefusedBeforeRouting() {
        String big = "a".repeat((int) headerLimit.asLongValue() + 1);
        given().header("X-Padding", big).when().get("/api/v1/taxonomy").then().statusCode(431);
    }

    @Test
    void overlongRequestLineIsRefusedBeforeRouting() {
        given().queryParam("q", "a".repeat(requestLineLimit)).when().get("/api/v1/taxonomy").then().statusCode(414);
    }

    private static void assertTooLarge(ValidatableResponse response, String path, MemorySize limit) {
        response.statusCode(413)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("/problems/payload-too-large"))
                .body("status", equalTo(413))
                .body("instance", equalTo(path))
                .body("detail", equalTo("This endpoint accepts request bodies of at most " + limit.asLongValue()
                        + " bytes."));
    }

    /** A well-formed JSON string of exactly {@code size} bytes. */
    private static byte[] jsonOfSize(long size) {
        byte[] body = new byte[(int) size];
        Arrays.fill(body, (byte) 'a');
        body[0] = '"';
        body[body.length - 1] = '"';
        return body;
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        byte[] buffer = new byte[8192];
        int n;
        while (!read.toString().contains(marker) && (n = in.read(buffer)) > 0) {
            read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return read.toString();
    }
}
