package org.jointregistry.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The drill's calls to the registry: every one bounded in time, and answered
 * as an {@link Outcome} even when no response came (a refused or reset
 * connection, a timeout), so that a hang or a crash is a recorded fact.
 */
public final class DrillHttp {

    /**
     * A request still open then counts as hung. Generous: a 1,000-incident
     * batch takes seconds, and far longer on a busy CI machine.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);
    static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    public DrillHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /**
     * What one request got: the status (0 when no response came, then
     * {@code failure} says why), the problem's type, Retry-After and whether
     * the answer was an idempotent replay, and its X-Data-As-Of (figure reads).
     */
    public record Outcome(long startedNanos, long millis, int status, String contentType, String problemType,
            String retryAfter, boolean replayed, String dataAsOf, String body, String failure) {

        public boolean acknowledged() {
            return status >= 200 && status < 300;
        }

        /** The answer the service owes a client while a dependency is down. */
        public boolean serviceUnavailableProblem() {
            return status == 503 && contentType.startsWith(PROBLEM_JSON) && problemType.endsWith(
                    "/problems/service-unavailable") && retryAfter.matches("[1-9][0-9]*");
        }

        public String describe() {
            return status == 0 ? "no response (" + failure + ")"
                    : "HTTP " + status + " " + contentType + " type=" + problemType + " Retry-After=" + retryAfter;
        }
    }

    /** A readiness answer: overall UP or not, and each check's status by name. */
    record Readiness(boolean up, Map<String, String> checks) {
    }

    public Outcome post(String path, String token, String idempotencyKey, String json) {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request.build());
    }

    /** A JSON merge patch guarded by If-Match ({@code ifMatch}, the ETag of the version being changed). */
    public Outcome patch(String path, String token, String ifMatch, String json) {
        return send(request(path, token).header("Content-Type", "application/merge-patch+json")
                .header("If-Match", ifMatch).method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Outcome get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    Readiness readiness() {
        Outcome outcome = send(HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).GET().build());
        Map<String, String> checks = new LinkedHashMap<>();
        try {
            JsonNode body = outcome.status() == 0 ? null : JSON.readTree(outcome.body());
            if (body != null && body.has("checks")) {
                body.get("checks").forEach(c -> checks.put(c.path("name").asText(), c.path("status").asText()));
            }
        } catch (IOException e) {
            checks.put("unreadable answer", outcome.describe());
        }
        return new Readiness(outcome.status() == 200, checks);
    }

    /** An incident as the drill writes it; {@code externalId} lets it be found in the database afterwards. */
    public static String incident(String externalId) {
        return """
                {"externalId":"%s","occurredAt":"2018-03-14T18:30:00+01:00","location":{"commune":"Calais",\
                "site":"rue des Verrotières","latitude":50.951,"longitude":1.858},\
                "categories":["identity_check","body_search"],"forces":["crs"],"officerCount":4,\
                "description":"Fault drill incident.","status":"submitted"}""".formatted(externalId);
    }

    /** A batch body of {@code size} incidents with externalIds {@code prefix}0, {@code prefix}1, ... */
    static String batch(String prefix, int size) {
        return IntStream.range(0, size).mapToObj(i -> incident(prefix + i)).collect(Collectors.joining(",", "[",
                "]"));
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private Outcome send(HttpRequest request) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            String problemType = "";
            if (contentType.startsWith(PROBLEM_JSON)) {
                problemType = JSON.readTree(response.body()).path("type").asText();
            }
            return new Outcome(started, millisSince(started), response.statusCode(), contentType, problemType,
                    response.headers().firstValue("Retry-After").orElse(""),
                    response.headers().firstValue("Idempotent-Replayed").isPresent(),
                    response.headers().firstValue("X-Data-As-Of").orElse(""), response.body(), null);
        } catch (IOException e) {
            return new Outcome(started, millisSince(started), 0, "", "", "", false, "", "",
                    e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(started, millisSince(started), 0, "", "", "", false, "", "", "interrupted");
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
