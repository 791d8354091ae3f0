package org.jointregistry.security;

import static io.restassured.RestAssured.given;
import static net.jqwik.api.Tuple.of;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jointregistry.common.Problem;
import org.jointregistry.common.ProblemType;
import org.jointregistry.support.Api;
import org.jointregistry.support.Contract;
import org.jointregistry.support.Db;
import org.jointregistry.support.Samples;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.Test;

/**
 * Drives every operation of openapi/openapi.yaml with generated hostile
 * requests (jqwik generators, fixed and printed seed) and holds every answer
 * to the contract's promises: never a 5xx; every 4xx an RFC 9457 problem
 * whose type, title and status agree with the status code; every 2xx body
 * valid against the contract's schema; no stack trace or SQL in any body; and
 * the organisation's data unchanged by every request that was not a success.
 *
 * <p>jqwik's engine does not start Quarkus, so this is a @QuarkusTest that
 * draws from jqwik's generators itself: no shrinking, but each failure prints
 * the request as sent, and the seed reproduces the whole run
 * ({@code -Dregistry.fuzz.seed=N}; {@code -Dregistry.fuzz.tries=N} per operation).
 */
@QuarkusTest
class HostileInputTest {

    private static final long SEED = Long.getLong("registry.fuzz.seed", 20_180_314L);
    /**
     * Tries per operation. 28 operations × 12 tries, plus a 10 MB body for each,
     * is about 360 requests; with the parameter sweep (about 840) the class
     * keeps the 1 to 3 minutes that 25 tries alone took on the shared 2-core
     * machine. Bug hunts raise both: -Dregistry.fuzz.tries=120
     * -Dregistry.fuzz.parameter-tries=40 -Dregistry.fuzz.seed=7.
     */
    private static final int TRIES = Integer.getInteger("registry.fuzz.tries", 12);
    /**
     * Hostile values per parameter in the parameter sweep: at the default,
     * each kind once (93 parameters in the contract, so about 840 requests).
     */
    private static final int PARAMETER_TRIES = Integer.getInteger("registry.fuzz.parameter-tries",
            HostileInputs.Kind.values().length);
    private static final int MAX_REPORTED = 40;
    private static final String ORGANIZATION = "refugee-womens-centre";
    /** What only an internal failure puts in a body: stack frames, exception names, SQL, Java packages. */
    private static final List<String> LEAKS = List.of("Exception", "at org.", "\tat ", "Caused by", "PSQL",
            "SQLState", "ERROR:", "SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", "org.hibernate", "java.",
            "jakarta.", "io.quarkus", "io.vertx", "org.jointregistry");
    private static final String TEN_MEGABYTES_OF_JSON = "[\"" + "a".repeat(10 * 1024 * 1024) + "\"]";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** HTTP/1.1 and raw URLs: what is generated is what goes on the wire, nothing re-encoded or normalised. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final Contract contract = Contract.load();

    /** Leak markers some request of this run has sent, and that a stored record may therefore hold. */
    private final Set<String> markersSent = new HashSet<>();

    @TestHTTPResource("/")
    URL server;

    @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length")
    int requestLineLimit;

    /** A request as it goes on the wire; the caller named, never its token. */
    record HostileRequest(String caller, String method, String url, Map<String, String> headers,
            String contentType, byte[] body) {

        String describe() {
            String preview = body == null ? "none" : body.length + " bytes: " + printable(body, 600);
            return method + " " + url + "\n    caller: " + caller + "\n    headers: " + headers
                    + "\n    content-type: " + contentType + "\n    body: " + preview;
        }

        /** All the request says, decoded as the service reads it, to tell a value echoed back from a leak. */
        String text() {
            String decoded;
            try {
                decoded = URLDecoder.decode(url, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = url;
            }
            return url + decoded + headers + (body == null ? "" : new String(body, StandardCharsets.UTF_8));
        }
    }

    /** An answer as received. */
    record Answer(int status, String contentType, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The organisation's records the requests aim at, made afresh for each operation. */
    private record Targets(String incident, String externalId, String volunteer, String snapshot) {
    }

    @Test
    void everyOperationSurvivesHostileInput() {
        System.out.printf("HostileInputTest: seed %d, %d tries per operation (-Dregistry.fuzz.seed, "
                + "-Dregistry.fuzz.tries)%n", SEED, TRIES);
        String snapshot = given().auth().oauth2(Tokens.coordinator(ORGANIZATION)).contentType("application/json")
                .body("{}").post("/api/v1/reports").then().statusCode(201).extract().path("id");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        JqwikSession.start();
        try {
            for (Contract.Operation operation : contract.operations()) {
                Targets targets = targets(snapshot);
                RandomGenerator<HostileRequest> requests = requests(operation, targets).generator(1_000);
                Random random = new Random(SEED ^ operation.key().hashCode());
                String digest = Db.tenantDigest(ORGANIZATION);
                for (int i = 0; i < TRIES; i++) {
                    HostileRequest request = requests.next(random).value();
                    Answer answer = send(request);
                    sent++;
                    String after = Db.tenantDigest(ORGANIZATION);
                    List<String> broken = check(operation, request, answer, !digest.equals(after));
                    digest = after;
                    if (!broken.isEmpty() && failures.size() < MAX_REPORTED) {
                        failures.add(operation.key() + " try " + i + ": " + String.join("; ", broken) + "\n  "
                                + request.describe() + "\n  answer: " + answer.status() + " "
                                + answer.contentType() + " " + printable(answer.body(), 600));
                    }
                }
            }
        } finally {
            JqwikSession.finish();
        }
        System.out.printf("HostileInputTest: %d requests sent%n", sent);
        if (!failures.isEmpty()) {
            fail(failures.size() + " hostile request(s) broke the contract (seed " + SEED + ", " + TRIES
                    + " tries per operation):\n" + String.join("\n", failures));
        }
    }

    @Test
    void aTenMegabyteBodyIsRefusedWith413Everywhere() {
        // The bulk paths take bodies up to the absolute cap (64 MB): 10 MB of one string is then a 4xx problem.
        List<String> bulk = List.of("/api/v1/incidents/batch", "/api/v1/incidents/import");
        List<String> failures = new ArrayList<>();
        String digest = Db.tenantDigest(ORGANIZATION);
        for (Contract.Operation operation : contract.operations()) {
            HostileRequest request = new HostileRequest("COORDINATOR", operation.method(),
                    operation.path().replace("{id}", UUID.randomUUID().toString()).replace("{externalId}", "X"),
                    Map.of(), operation.requestMediaType().orElse("application/json"),
                    TEN_MEGABYTES_OF_JSON.getBytes(StandardCharsets.UTF_8));
            Answer answer = send(request);
            List<String> broken = new ArrayList<>(check(operation, request, answer, false));
            if (!bulk.contains(operation.path()) && answer.status() != 413) {
                broken.add("not 413");
            }
            if (!broken.isEmpty()) {
                failures.add(operation.key() + ": " + String.join("; ", broken) + ": " + answer.status() + " "
                        + printable(answer.body(), 300));
            }
        }
        if (!digest.equals(Db.tenantDigest(ORGANIZATION))) {
            failures.add("a 10 MB body changed the organisation's data");
        }
        if (!failures.isEmpty()) {
            fail(String.join("\n", failures));
        }
    }

    /**
     * Every parameter of every operation as the contract lists them (query,
     * path and header) tried alone with each kind of hostile value, the
     * rest of the request valid, sent through a raw socket so that lone `%`,
     * invalid UTF-8 and control bytes in headers reach the server as written.
     * Beyond the general promises: a query parameter holding NUL, a control
     * character or invalid UTF-8 is a 400 invalid-parameter problem naming
     * it, on every endpoint alike; what the HTTP layer refuses before routing
     * is accepted as it answers (see refusedBeforeRouting).
     */
    @Test
    void everyParameterRefusesHostileValues() {
        System.out.printf("HostileInputTest: seed %d, %d tries per parameter (-Dregistry.fuzz.parameter-tries)%n",
                SEED, PARAMETER_TRIES);
        String snapshot = given().auth().oauth2(Tokens.coordinator(ORGANIZATION)).contentType("application/json")
                .body("{}").post("/api/v1/reports").then().statusCode(201).extract().path("id");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Contract.Operation operation : contract.operations()) {
            Targets targets = targets(snapshot);
            // A GET changes nothing whatever it is sent: its data is compared once per parameter, not per request.
            boolean safe = operation.method().equals("GET");
            for (Contract.Parameter parameter : operation.parameters()) {
                Random random = new Random(SEED ^ (operation.key() + parameter.name()).hashCode());
                String before = Db.tenantDigest(ORGANIZATION);
                for (HostileInputs.Case hostile : cases(parameter.in(), random)) {
                    HostileRequest request = sweepRequest(operation, targets, parameter.name(), parameter.in(),
                            hostile);
                    Answer answer = sendRaw(request);
                    sent++;
                    String after = safe ? before : Db.tenantDigest(ORGANIZATION);
                    boolean changed = !before.equals(after);
                    List<String> broken = new ArrayList<>(refusedBeforeRouting(hostile.kind(), parameter.in(),
                            answer).orElseGet(() -> check(operation, request, answer, changed)));
                    if (parameter.in().equals("query") && hostile.kind().refused()
                            && !(hostile.kind() == HostileInputs.Kind.BAD_ESCAPE && answer.body().length == 0)) {
                        namesParameter(answer, parameter.name()).ifPresent(broken::add);
                    }
                    before = after;
                    if (!broken.isEmpty() && failures.size() < MAX_REPORTED) {
                        failures.add(operation.key() + " " + parameter.in() + " " + parameter.name() + " "
                                + hostile.kind() + ": " + String.join("; ", broken) + "\n  "
                                + printable(request.describe().getBytes(StandardCharsets.ISO_8859_1), 600)
                                + "\n  answer: " + answer.status() + " " + answer.contentType() + " "
                                + printable(answer.body(), 400));
                    }
                }
                if (safe && !before.equals(Db.tenantDigest(ORGANIZATION))) {
                    failures.add(operation.key() + " " + parameter.name() + ": a GET changed the organisation's data");
                }
            }
        }
        System.out.printf("HostileInputTest: %d parameter requests sent%n", sent);
        if (!failures.isEmpty()) {
            fail(failures.size() + " hostile parameter value(s) broke the contract (seed " + SEED + ", "
                    + PARAMETER_TRIES + " tries per parameter):\n" + String.join("\n", failures));
        }
    }

    /**
     * {@link #PARAMETER_TRIES} cases for a parameter in {@code in}: the kinds
     * in turn (every kind once at the default), each a value drawn from its list.
     */
    private List<HostileInputs.Case> cases(String in, Random random) {
        boolean header = in.equals("header");
        Map<HostileInputs.Kind, List<String>> lists = header ? HostileInputs.HEADER_CASES : HostileInputs.URL_CASES;
        int lineRoom = requestLineLimit - 400;
        List<HostileInputs.Case> cases = new ArrayList<>();
        HostileInputs.Kind[] kinds = HostileInputs.Kind.values();
        for (int i = 0; i < PARAMETER_TRIES; i++) {
            HostileInputs.Kind kind = kinds[i % kinds.length];
            String wire = switch (kind) {
                // Near the limit the HTTP layer enforces (request line 4 KiB, headers 20 KiB): still served.
                case LONG -> {
                    String unit = header ? "a" : random.nextBoolean() ? "a" : "%C3%A9";
                    yield unit.repeat((header ? 16 * 1024 : lineRoom) / unit.length());
                }
                case OVER_LIMIT -> "a".repeat(64 * 1024);
                // The value and how often it repeats are chosen where the name is known (sweepRequest).
                case REPEATED -> String.valueOf(100 + random.nextInt(300));
                case EMPTY -> header ? random.nextBoolean() ? "" : "   " : random.nextBoolean() ? "" : ",,";
                default -> lists.get(kind).get(random.nextInt(lists.get(kind).size()));
            };
            cases.add(new HostileInputs.Case(kind, wire));
        }
        return cases;
    }

    /** The operation's valid request (live targets, required query, valid body) with one parameter hostile. */
    private HostileRequest sweepRequest(Contract.Operation operation, Targets targets, String name, String in,
            HostileInputs.Case hostile) {
        String path = operation.path();
        for (Contract.Parameter parameter : operation.parameters("path")) {
            String value = parameter.name().equals(name) ? hostile.wire()
                    : HostileInputs.encode(liveId(operation, parameter.name(), targets));
            path = path.replace("{" + parameter.name() + "}", value);
        }
        List<String> query = new ArrayList<>();
        Samples.requiredQuery(operation).forEach((parameter, values) -> {
            if (!parameter.equals(name)) {
                query.add(parameter + "=" + HostileInputs.encode(String.join(",", values)));
            }
        });
        Map<String, String> headers = new LinkedHashMap<>();
        if (operation.parameters("header").stream().anyMatch(p -> p.name().equals("If-Match"))) {
            headers.put("If-Match", "\"1\"");
        }
        if (in.equals("query")) {
            if (hostile.kind() == HostileInputs.Kind.REPEATED) {
                String value = HostileInputs.encode(String.join(",", Samples.requiredQuery(operation)
                        .getOrDefault(name, List.of("x"))));
                int times = Math.min(Integer.parseInt(hostile.wire()),
                        (requestLineLimit - 400) / (name.length() + value.length() + 2));
                query.add(String.join("&", Collections.nCopies(times, name + "=" + value)));
            } else if (hostile.kind() == HostileInputs.Kind.EMPTY && hostile.wire().isEmpty()) {
                query.add(name);
            } else {
                query.add(name + "=" + hostile.wire());
            }
        } else if (in.equals("header")) {
            headers.remove(name);
            if (hostile.kind() == HostileInputs.Kind.REPEATED) {
                // The same header line repeated: the raw sender writes one line per value.
                int times = Math.min(Integer.parseInt(hostile.wire()), 300);
                headers.put(name, String.join("\n", Collections.nCopies(times, liveHeader(name))));
            } else {
                headers.put(name, hostile.wire());
            }
        }
        Optional<byte[]> body = Samples.body(operation, targets.volunteer());
        return new HostileRequest("COORDINATOR", operation.method(),
                path + (query.isEmpty() ? "" : "?" + String.join("&", query)), headers,
                body.map(b -> operation.requestMediaType().orElseThrow()).orElse(null), body.orElse(null));
    }

    private static String liveId(Contract.Operation operation, String parameter, Targets targets) {
        if (operation.path().startsWith("/api/v1/reports")) {
            return targets.snapshot();
        }
        if (parameter.equals("externalId")) {
            return targets.externalId();
        }
        return operation.path().startsWith("/api/v1/volunteers") ? targets.volunteer() : targets.incident();
    }

    /** A valid value of a header the sweep repeats. */
    private static String liveHeader(String name) {
        return switch (name) {
            case "X-Organization" -> ORGANIZATION;
            case "Idempotency-Key" -> Api.unique("key");
            default -> "\"1\"";
        };
    }

    /**
     * What the HTTP layer (Netty, Vert.x) refuses before any routing, with a
     * bare status and no body, so no code of ours can answer a problem: a
     * value beyond its limits (414 for the request line, 431 for headers, as
     * RequestLimitsTest checks), a header holding NUL or another control
     * byte and a URL with a broken escape such as a lone `%` (400: not a
     * well-formed HTTP message; no route, not even the first, sees it). Empty
     * when the request is
     * not one of those; else the broken promises (none when so refused).
     */
    private static Optional<List<String>> refusedBeforeRouting(HostileInputs.Kind kind, String in, Answer answer) {
        boolean header = in.equals("header");
        if (kind == HostileInputs.Kind.OVER_LIMIT) {
            int expected = header ? 431 : 414;
            return Optional.of(answer.status() == expected ? List.of()
                    : List.of("a 64 KiB " + in + " value answered " + answer.status() + ", not " + expected));
        }
        boolean malformed = header ? kind == HostileInputs.Kind.NUL || kind == HostileInputs.Kind.CONTROL
                : kind == HostileInputs.Kind.BAD_ESCAPE;
        return malformed && answer.status() == 400 && answer.body().length == 0 ? Optional.of(List.of())
                : Optional.empty();
    }

    /** Why the answer is not a 400 invalid-parameter problem naming {@code parameter}, if it is not. */
    private static Optional<String> namesParameter(Answer answer, String parameter) {
        if (answer.status() != 400) {
            return Optional.of("answered " + answer.status() + ", not a 400 naming " + parameter);
        }
        try {
            JsonNode problem = JSON.readTree(answer.body());
            boolean named = false;
            for (JsonNode error : problem.path("errors")) {
                named |= error.path("field").asText().equals(parameter);
            }
            return problem.path("type").asText().equals(ProblemType.INVALID_PARAMETER.uri()) && named
                    ? Optional.empty()
                    : Optional.of("the 400 is not an invalid-parameter problem naming " + parameter);
        } catch (IOException e) {
            return Optional.of("the 400 body is not JSON");
        }
    }

    /**
     * Sends the request byte for byte over a socket (HTTP/1.1, one request per
     * connection): Java's HTTP client refuses lone `%` in a URL and control
     * bytes in headers, which is just what the sweep must send. A header value
     * holding newlines is sent as one header line per line.
     */
    private Answer sendRaw(HostileRequest request) {
        StringBuilder head = new StringBuilder(request.method()).append(' ').append(request.url())
                .append(" HTTP/1.1\r\nHost: ").append(server.getHost()).append(':').append(server.getPort())
                .append("\r\nConnection: close\r\n");
        String token = token(request.caller());
        if (token != null) {
            head.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        request.headers().forEach((name, value) -> {
            for (String line : value.split("\n", -1)) {
                head.append(name).append(": ").append(line).append("\r\n");
            }
        });
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (request.contentType() != null) {
            head.append("Content-Type: ").append(request.contentType()).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return RawAnswer.read(socket.getInputStream());
        } catch (IOException e) {
            throw new AssertionError("the connection failed: " + e + "\n  " + request.describe(), e);
        }
    }

    /** A live incident (with an externalId and a volunteer), and a volunteer, of the organisation. */
    private static Targets targets(String snapshot) {
        String volunteer = Api.createVolunteer(Tokens.coordinator(ORGANIZATION), Api.unique("V"));
        Map<String, Object> incident = Samples.incident(volunteer, true);
        return new Targets(Api.createIncident(Tokens.coordinator(ORGANIZATION), incident),
                (String) incident.get("externalId"), volunteer, snapshot);
    }

    /** Hostile requests for one operation: every part generated, the caller mostly one who gets in. */
    private Arbitrary<HostileRequest> requests(Contract.Operation operation, Targets targets) {
        Arbitrary<String> caller = Arbitraries.frequencyOf(of(7, Arbitraries.just("COORDINATOR")),
                of(2, Arbitraries.just("REPORTER")), of(1, Arbitraries.of("SYNC_CLIENT", "ANALYST", "ANONYMOUS",
                        "OTHER_ORGANISATION", "FORGED")));
        Arbitrary<Optional<byte[]>> body = body(operation, targets);
        Arbitrary<String> contentType = contentType(operation);
        // Within the HTTP layer's request-line limit: beyond it Vert.x answers 414 before any routing
        // (RequestLimitsTest covers that), and every generated request should reach the service.
        return Combinators.combine(caller, path(operation, targets), query(operation), headers(operation, targets),
                contentType, body)
                .as((who, path, query, headers, type, content) -> new HostileRequest(who, operation.method(),
                        path + query, headers, content.isPresent() ? type : null, content.orElse(null)))
                .filter(request -> request.url().length() < requestLineLimit - 100);
    }

    private static Arbitrary<String> path(Contract.Operation operation, Targets targets) {
        Arbitrary<String> path = Arbitraries.just(operation.path());
        for (Contract.Parameter parameter : operation.parameters("path")) {
            String live = switch (operation.path().startsWith("/api/v1/reports") ? "snapshot" : parameter.name()) {
                case "externalId" -> targets.externalId();
                case "snapshot" -> targets.snapshot();
                default -> operation.path().startsWith("/api/v1/volunteers") ? targets.volunteer()
                        : targets.incident();
            };
            Arbitrary<String> value = Arbitraries.frequencyOf(
                    of(3, Arbitraries.just(HostileInputs.encode(live))),
                    of(1, Arbitraries.just(UUID.randomUUID().toString())),
                    of(1, Arbitraries.just(live.toUpperCase())),
                    of(4, HostileInputs.urlText()),
                    of(1, HostileInputs.urlText().map(hostile -> HostileInputs.encode(live) + hostile)));
            String placeholder = "{" + parameter.name() + "}";
            path = Combinators.combine(path, value).as((p, v) -> p.replace(placeholder, v));
        }
        return path;
    }

    /** Each documented query parameter left out, valid, hostile or repeated, and sometimes an unknown one. */
    private static Arbitrary<String> query(Contract.Operation operation) {
        List<Arbitrary<String>> pairs = new ArrayList<>();
        for (Contract.Parameter parameter : operation.parameters("query")) {
            List<String> examples = Samples.requiredQuery(operation).getOrDefault(parameter.name(), List.of());
            Arbitrary<String> valid = examples.isEmpty() ? Arbitraries.just("")
                    : Arbitraries.of(examples).map(HostileInputs::encode);
            Arbitrary<String> value = Arbitraries.frequencyOf(of(2, valid), of(5, HostileInputs.urlText()));
            String name = parameter.name();
            pairs.add(Arbitraries.frequencyOf(
                    of(parameter.required() ? 1 : 4, Arbitraries.just("")),
                    of(5, value.map(v -> name + "=" + v)),
                    of(1, value.list().ofMinSize(2).ofMaxSize(60)
                            .map(vs -> vs.stream().map(v -> name + "=" + v).collect(Collectors.joining("&"))))));
        }
        pairs.add(Arbitraries.frequencyOf(of(6, Arbitraries.just("")),
                of(1, HostileInputs.urlText().map(v -> v + "=" + v)),
                of(1, Arbitraries.of("organization=help-refugees", "tenant=utopia-56", "limit", "=", "&&", "a%5Bb%5D=c"))));
        return Combinators.combine(pairs).as(parts -> {
            String joined = parts.stream().filter(p -> !p.isEmpty()).collect(Collectors.joining("&"));
            return joined.isEmpty() ? "" : "?" + joined;
        });
    }

    /** The contract's header parameters and the headers every operation reads, each left out or hostile. */
    private static Arbitrary<Map<String, String>> headers(Contract.Operation operation, Targets targets) {
        Map<String, Arbitrary<String>> candidates = new LinkedHashMap<>();
        candidates.put("If-Match", Arbitraries.frequencyOf(of(2, Arbitraries.just("\"1\"")),
                of(3, HostileInputs.headerText())));
        candidates.put("If-None-Match", HostileInputs.headerText());
        candidates.put("Idempotency-Key", Arbitraries.frequencyOf(of(2, Arbitraries.just(Api.unique("key"))),
                of(3, HostileInputs.headerText())));
        candidates.put("X-Organization", Arbitraries.frequencyOf(of(1, Arbitraries.just(ORGANIZATION)),
                of(3, HostileInputs.headerText())));
        candidates.put("Accept", Arbitraries.of("application/json", "text/csv", "application/xml", "text/html",
                "*/*", "application/problem+json", "text/csv;q=0", "garbage", "", "application/json;charset=latin1"));
        operation.parameters("header").forEach(p -> candidates.putIfAbsent(p.name(), HostileInputs.headerText()));
        List<Arbitrary<Optional<Map.Entry<String, String>>>> entries = new ArrayList<>();
        candidates.forEach((name, values) -> entries.add(Arbitraries.frequencyOf(
                of(3, Arbitraries.just(Optional.empty())),
                of(1, values.map(v -> Optional.of(Map.entry(name, v)))))));
        return Combinators.combine(entries).as(chosen -> {
            Map<String, String> headers = new LinkedHashMap<>();
            chosen.forEach(entry -> entry.ifPresent(e -> headers.put(e.getKey(), e.getValue())));
            return headers;
        });
    }

    private static Arbitrary<String> contentType(Contract.Operation operation) {
        String declared = operation.requestMediaType().orElse("application/json");
        return Arbitraries.frequencyOf(of(8, Arbitraries.just(declared)),
                of(2, Arbitraries.of("text/plain", "application/xml", "application/json; charset=ISO-8859-1",
                        "application/json; charset=UTF-16", "multipart/form-data; boundary=x", "text/csv",
                        "application/x-www-form-urlencoded", "application/merge-patch+json", "garbage",
                        "application/json; charset=nope")));
    }

    /** The operation's valid body mutated or replaced; for one that takes none, usually none. */
    private static Arbitrary<Optional<byte[]>> body(Contract.Operation operation, Targets targets) {
        Optional<byte[]> valid = Samples.body(operation, targets.volunteer());
        if (valid.isEmpty()) {
            return Arbitraries.frequencyOf(of(8, Arbitraries.just(Optional.empty())),
                    of(1, HostileInputs.body("{}".getBytes(StandardCharsets.UTF_8), false).map(Optional::of)));
        }
        boolean csv = operation.requestMediaType().orElseThrow().equals("text/csv");
        return HostileInputs.body(valid.get(), csv).map(Optional::of);
    }

    private Answer send(HostileRequest request) {
        HttpRequest.Builder http = HttpRequest.newBuilder(URI.create(server.toString().replaceFirst("/$", "")
                + request.url())).timeout(Duration.ofSeconds(60))
                .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        String token = token(request.caller());
        if (token != null) {
            http.header("Authorization", "Bearer " + token);
        }
        request.headers().forEach(http::header);
        if (request.contentType() != null) {
            http.header("Content-Type", request.contentType());
        }
        try {
            HttpResponse<byte[]> response = HTTP.send(http.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new AssertionError("the connection failed: " + e + "\n  " + request.describe(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String token(String caller) {
        return switch (caller) {
            case "COORDINATOR" -> Tokens.coordinator(ORGANIZATION);
            case "REPORTER" -> Tokens.reporter(ORGANIZATION);
            case "SYNC_CLIENT" -> Tokens.syncClient(ORGANIZATION);
            case "ANALYST" -> Tokens.analyst();
            case "OTHER_ORGANISATION" -> Tokens.coordinator("help-refugees");
            case "FORGED" -> Tokens.coordinator(ORGANIZATION).replaceFirst("\\.[^.]*$", ".AAAA");
            default -> null;
        };
    }

    /** Every promise the answer breaks; empty when it keeps them all. */
    private List<String> check(Contract.Operation operation, HostileRequest request, Answer answer,
            boolean changedData) {
        List<String> broken = new ArrayList<>();
        int status = answer.status();
        String body = answer.text();
        if (status >= 500) {
            broken.add("server error " + status);
        }
        if (status >= 400) {
            problemMismatch(answer).ifPresent(broken::add);
        }
        if (status >= 200 && status < 300) {
            List<String> violations = operation.responseViolations(status, answer.contentType(), body);
            if (!violations.isEmpty()) {
                broken.add("2xx body does not match the contract: " + violations);
            }
        }
        // A marker is no leak when it echoes what was sent: by this request in an error, by any request of the
        // run in a success (a stored narrative may say "SELECT ").
        String said = request.text();
        LEAKS.stream().filter(said::contains).forEach(markersSent::add);
        boolean success = status >= 200 && status < 300;
        LEAKS.stream().filter(body::contains).filter(leak -> !said.contains(leak))
                .filter(leak -> !(success && markersSent.contains(leak)))
                .forEach(leak -> broken.add("body leaks internals (\"" + leak.strip() + "\")"));
        if (changedData && (status < 200 || status >= 300)) {
            broken.add("refused (" + status + ") but changed the organisation's data");
        }
        return broken;
    }

    /** Why the answer is not the problem its status calls for, if it is not. */
    private static Optional<String> problemMismatch(Answer answer) {
        int status = answer.status();
        if (answer.contentType() == null || !answer.contentType().startsWith(Problem.MEDIA_TYPE)) {
            return Optional.of("error without a problem body (" + answer.contentType() + ")");
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (IOException e) {
            return Optional.of("problem body is not JSON");
        }
        String type = problem.path("type").asText();
        Optional<ProblemType> known = Arrays.stream(ProblemType.values()).filter(t -> t.uri().equals(type))
                .findFirst();
        if (known.isEmpty()) {
            return Optional.of("unknown problem type " + type);
        }
        if (known.get().status() != status || problem.path("status").asInt() != status
                || !known.get().title().equals(problem.path("title").asText())) {
            return Optional.of("problem " + problem + " on a " + status);
        }
        return Optional.empty();
    }

    /** The bytes as text, non-printable ones as \xNN, cut to {@code max} characters. */
    private static String printable(byte[] bytes, int max) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(max).forEach(c -> {
            if (c < 0x20 || c == 0x7F || c == 0xFFFD) {
                out.append(String.format("\\x%02X", c & 0xFF));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.length() > max ? out + "… (" + bytes.length + " bytes)" : out.toString();
    }
}
