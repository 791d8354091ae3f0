package org.jointregistry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.jointregistry.support.Tokens;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.PoliceForce;

/**
 * The soak's traffic: a fixed number of workers, each sending one request
 * after another (no think time), each request drawn from a weighted mix of
 * every kind of call the partners and analysts make, for a random one of the
 * five organisations, with that organisation's real tokens, renewed before
 * they expire.
 * <p>
 * A worker updates only the incidents it created itself, so it always knows
 * their current version: a 412 on a plain update, or a 200 where a 304 or 412
 * was provoked, is then an error of the service, never a race of the load.
 */
final class MixedLoad {

    static final List<String> ORGANISATIONS = List.of("help-refugees", "auberge-des-migrants", "utopia-56",
            "refugee-info-bus", "refugee-womens-centre");
    static final int BATCH_SIZE = 50;
    private static final int RECENT = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(180);
    private static final String[] GROUPINGS = { "category", "category,month", "gender,category", "organization",
            "force", "commune", "complaintStatus", "week", "nationality", "categoryGroup,month" };
    private static final String MERGE_PATCH = "application/merge-patch+json";

    /** The preloaded data the load reads and links to: each organisation's volunteers and a sample of incidents. */
    record Fixtures(Map<String, List<UUID>> volunteers, Map<String, List<UUID>> incidents) {
    }

    /** An incident the load created, in which organisation, and its last acknowledged version. */
    record Acknowledged(String organization, UUID id, int version) {
    }

    private final String base;
    private final Fixtures fixtures;
    private final RequestTally tally;
    private final String runId = Long.toString(System.currentTimeMillis(), 36);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> lastTokens = new ConcurrentHashMap<>();
    private final LongAdder tokenRenewals = new LongAdder();
    private final LongAdder identityProviderFailures = new LongAdder();
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    MixedLoad(String base, Fixtures fixtures, RequestTally tally, int workerCount) {
        this.base = base;
        this.fixtures = fixtures;
        this.tally = tally;
        for (int i = 0; i < workerCount; i++) {
            workers.add(new Worker(i));
        }
    }

    void start() {
        running = true;
        for (Worker worker : workers) {
            Thread thread = new Thread(worker, "soak-worker-" + worker.number);
            threads.add(thread);
            thread.start();
        }
    }

    /** Lets each worker finish its request in flight, then returns every incident the load created. */
    List<Acknowledged> stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join();
        }
        return workers.stream().flatMap(w -> w.acknowledged.values().stream()).toList();
    }

    /** The most requests in flight at once: one per worker, two for a worker sending racing updates. */
    static int mostInFlight(int workers) {
        return workers + 1;
    }

    long tokenRenewals() {
        return tokenRenewals.sum();
    }

    long identityProviderFailures() {
        return identityProviderFailures.sum();
    }

    private final class Worker implements Runnable {

        final int number;
        final Random random;
        /** Every incident this worker created, by id; only this worker writes them. */
        final Map<UUID, Acknowledged> acknowledged = new HashMap<>();
        /** The last ones, which updates and conditional reads pick from. */
        final List<UUID> recent = new ArrayList<>();
        final Map<String, String> feedCursors = new HashMap<>();
        Acknowledged lastWithExternalId;
        String lastExternalId;
        int sequence;

        Worker(int number) {
            this.number = number;
            this.random = new Random(number * 7919L + System.nanoTime());
        }

        @Override
        public void run() {
            while (running) {
                String organization = ORGANISATIONS.get(random.nextInt(ORGANISATIONS.size()));
                RequestKind kind = RequestKind.pick(random);
                try {
                    step(kind, organization);
                } catch (TokenUnavailable e) {
                    identityProviderFailures.increment();
                    sleep();
                } catch (RuntimeException e) {
                    tally.error(kind, "answer not understood: " + e.getClass().getSimpleName());
                }
            }
        }

        private void step(RequestKind kind, String organization) {
            switch (kind) {
                case READ_BY_ID -> readById(organization);
                case CONDITIONAL_READ -> conditionalRead();
                case LIST -> list(organization);
                case CREATE -> create(organization);
                case DUPLICATE_EXTERNAL_ID -> duplicateExternalId(organization);
                case UPDATE -> update(organization);
                case STALE_UPDATE -> staleUpdate(organization);
                case RACING_UPDATES -> racingUpdates(organization);
                case BATCH -> batch(organization);
                case CHANGES -> changes(organization);
                case SUMMARY -> aggregate(RequestKind.SUMMARY, "/api/v1/aggregates/summary?" + filter(), organization);
                case COUNTS -> aggregate(RequestKind.COUNTS, "/api/v1/aggregates/counts?groupBy="
                        + GROUPINGS[random.nextInt(GROUPINGS.length)] + "&" + filter(), organization);
                case JOINT_REPORT -> jointReport();
            }
        }

        private void readById(String organization) {
            List<UUID> sample = fixtures.incidents().get(organization);
            UUID id = sample.get(random.nextInt(sample.size()));
            send(RequestKind.READ_BY_ID, get("/api/v1/incidents/" + id, reporter(organization)).build(), 200);
        }

        private void conditionalRead() {
            Acknowledged mine = pickRecent();
            if (mine == null) {
                return;
            }
            send(RequestKind.CONDITIONAL_READ, get("/api/v1/incidents/" + mine.id(),
                    reporter(mine.organization())).header("If-None-Match", etag(mine.version())).build(), 304);
        }

        private void list(String organization) {
            String query = switch (random.nextInt(6)) {
                case 0 -> "";
                case 1 -> "commune=" + SoakIncidents.COMMUNES[random.nextInt(SoakIncidents.COMMUNES.length)];
                case 2 -> "category=" + Category.values()[random.nextInt(Category.values().length)].code();
                case 3 -> "status=verified";
                case 4 -> "force=" + PoliceForce.values()[random.nextInt(PoliceForce.values().length)].code();
                default -> period();
            };
            String token = coordinator(organization);
            HttpResponse<String> page = send(RequestKind.LIST, get("/api/v1/incidents?limit=50&" + query, token)
                    .build(), 200);
            String next = page == null || page.statusCode() != 200 ? null : field(page, "nextCursor");
            if (next != null && random.nextInt(3) == 0) {
                send(RequestKind.LIST, get("/api/v1/incidents?limit=50&" + query + "&cursor=" + encode(next), token)
                        .build(), 200);
            }
        }

        private void create(String organization) {
            String externalId = random.nextBoolean() ? "soak-" + runId + "-" + number + "-" + sequence++ : null;
            HttpResponse<String> created = send(RequestKind.CREATE, post("/api/v1/incidents",
                    reporter(organization), SoakIncidents.json(random, externalId,
                            fixtures.volunteers().get(organization))).build(), 201);
            if (created != null && created.statusCode() == 201) {
                Acknowledged incident = remember(organization, UUID.fromString(field(created, "id")),
                        version(created));
                if (externalId != null) {
                    lastWithExternalId = incident;
                    lastExternalId = externalId;
                }
            }
        }

        /** The same externalId again in the same organisation: 409, and nothing written. */
        private void duplicateExternalId(String organization) {
            if (lastWithExternalId == null) {
                create(organization);
                return;
            }
            String owner = lastWithExternalId.organization();
            send(RequestKind.DUPLICATE_EXTERNAL_ID, post("/api/v1/incidents", reporter(owner),
                    SoakIncidents.json(random, lastExternalId, fixtures.volunteers().get(owner))).build(), 409);
        }

        private void update(String organization) {
            Acknowledged mine = pickRecent();
            if (mine == null) {
                create(organization);
                return;
            }
            HttpResponse<String> updated = send(RequestKind.UPDATE, patch(mine, mine.version()).build(), 200);
            if (updated != null && updated.statusCode() == 200) {
                remember(mine.organization(), mine.id(), version(updated));
            }
        }

        /** If-Match naming the version before the current one: 412, and nothing written. */
        private void staleUpdate(String organization) {
            Acknowledged mine = pickRecent();
            if (mine == null) {
                create(organization);
                return;
            }
            HttpResponse<String> answer = send(RequestKind.STALE_UPDATE, patch(mine, mine.version() - 1).build(),
                    412);
            if (answer != null && answer.statusCode() == 200) {
                remember(mine.organization(), mine.id(), version(answer)); // keep the check of versions exact
            }
        }

        /**
         * Two updates of one version at once, each a real change (a no-op
         * update answers 200 with the version unchanged): exactly one may win,
         * the other must get 412.
         */
        private void racingUpdates(String organization) {
            Acknowledged mine = pickRecent();
            if (mine == null) {
                create(organization);
                return;
            }
            List<CompletableFuture<HttpResponse<String>>> racing = IntStream.range(0, 2)
                    .mapToObj(i -> exchange(RequestKind.RACING_UPDATES, patch(mine, mine.version(),
                            "{\"description\":\"Soak race " + UUID.randomUUID() + "\"}").build(), 200, 412))
                    .toList();
            List<HttpResponse<String>> answers = racing.stream().map(CompletableFuture::join)
                    .filter(r -> r != null).toList();
            int[] won = answers.stream().filter(r -> r.statusCode() == 200).mapToInt(MixedLoad.this::version)
                    .toArray();
            if (answers.size() == 2 && won.length != 1) {
                tally.error(RequestKind.RACING_UPDATES, won.length == 0 ? "neither update won"
                        : "both updates of one version won: one was lost");
            }
            IntStream.of(won).max().ifPresent(v -> remember(mine.organization(), mine.id(), v));
        }

        /** A partner tool's batch under an Idempotency-Key; now and then its retry, which must replay. */
        private void batch(String organization) {
            String body = SoakIncidents.batch(random, BATCH_SIZE, "soak-" + runId + "-" + number + "-" + sequence++,
                    fixtures.volunteers().get(organization));
            String key = UUID.randomUUID().toString();
            Supplier<HttpRequest> request = () -> post("/api/v1/incidents/batch", syncClient(organization),
                    body).header("Idempotency-Key", key).build();
            HttpResponse<String> created = send(RequestKind.BATCH, request.get(), 201);
            if (created == null || created.statusCode() != 201) {
                return;
            }
            List<String> ids = ids(created);
            ids.forEach(id -> remember(organization, UUID.fromString(id), 1));
            if (random.nextInt(4) == 0) {
                HttpResponse<String> replay = send(RequestKind.BATCH_REPLAY, request.get(), 201);
                if (replay != null && replay.statusCode() == 201 && (!ids.equals(ids(replay))
                        || !"true".equals(replay.headers().firstValue("Idempotent-Replayed").orElse(null)))) {
                    tally.error(RequestKind.BATCH_REPLAY, "the retry was not the first answer replayed");
                }
            }
        }

        /** A mirror following its organisation's change feed from where it stopped. */
        private void changes(String organization) {
            String since = feedCursors.get(organization);
            HttpResponse<String> page = send(RequestKind.CHANGES, get("/api/v1/incidents/changes?limit=100"
                    + (since == null ? "" : "&since=" + encode(since)), syncClient(organization)).build(),
                    200);
            if (page != null && page.statusCode() == 200) {
                feedCursors.put(organization, field(page, "nextCursor"));
            }
        }

        private void aggregate(RequestKind kind, String path, String organization) {
            String token = random.nextBoolean() ? analyst() : reporter(organization);
            send(kind, get(path, token).build(), 200);
        }

        private void jointReport() {
            String query = random.nextBoolean() ? "" : "?" + period();
            send(RequestKind.JOINT_REPORT, get("/api/v1/reports/joint" + query, analyst())
                    .timeout(REPORT_TIMEOUT).build(), 200);
        }

        /** A filter of the aggregates: none, an organisation, a category, a commune or a period. */
        private String filter() {
            return switch (random.nextInt(5)) {
                case 0 -> "";
                case 1 -> "organization=" + ORGANISATIONS.get(random.nextInt(ORGANISATIONS.size()));
                case 2 -> "category=" + Category.values()[random.nextInt(Category.values().length)].code();
                case 3 -> "commune=" + SoakIncidents.COMMUNES[random.nextInt(SoakIncidents.COMMUNES.length)];
                default -> period();
            };
        }

        /** One to three whole months of the demo data's period, as days (the list and the aggregates take them). */
        private String period() {
            YearMonth first = YearMonth.of(2017, 11).plusMonths(random.nextInt(8));
            return "from=" + first.atDay(1) + "&to=" + first.plusMonths(random.nextInt(3)).atEndOfMonth();
        }

        private HttpRequest.Builder patch(Acknowledged incident, int version) {
            return patch(incident, version, switch (random.nextInt(3)) {
                case 0 -> "{\"officerCount\":" + random.nextInt(20) + "}";
                case 1 -> "{\"status\":\"" + (random.nextBoolean() ? "verified" : "submitted") + "\"}";
                default -> "{\"complaint\":{\"status\":\"planned\"},\"forces\":[\"crs\"]}";
            });
        }

        private HttpRequest.Builder patch(Acknowledged incident, int version, String change) {
            return request("/api/v1/incidents/" + incident.id(), reporter(incident.organization()))
                    .header("Content-Type", MERGE_PATCH).header("If-Match", etag(version))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(change));
        }

        private Acknowledged pickRecent() {
            return recent.isEmpty() ? null : acknowledged.get(recent.get(random.nextInt(recent.size())));
        }

        private Acknowledged remember(String organization, UUID id, int version) {
            Acknowledged incident = new Acknowledged(organization, id, version);
            if (acknowledged.put(id, incident) == null) {
                recent.add(id);
                if (recent.size() > RECENT) {
                    recent.remove(0);
                }
            }
            return incident;
        }
    }

    /** Thrown when Keycloak gives no token: the identity provider's failure, not the service's. */
    private static final class TokenUnavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TokenUnavailable(Throwable cause) {
            super(cause);
        }
    }

    private String reporter(String organization) {
        return token("reporter:" + organization, () -> Tokens.reporter(organization));
    }

    private String coordinator(String organization) {
        return token("coordinator:" + organization, () -> Tokens.coordinator(organization));
    }

    private String syncClient(String organization) {
        return token("sync:" + organization, () -> Tokens.syncClient(organization));
    }

    private String analyst() {
        return token("analyst", Tokens::analyst);
    }

    /** A valid token (Tokens renews it 30 s before it expires); counts the renewals seen. */
    private String token(String principal, Supplier<String> fetch) {
        String token;
        try {
            token = fetch.get();
        } catch (RuntimeException | AssertionError e) {
            throw new TokenUnavailable(e);
        }
        String previous = lastTokens.put(principal, token);
        if (previous != null && !previous.equals(token)) {
            tokenRenewals.increment();
        }
        return token;
    }

    private HttpResponse<String> send(RequestKind kind, HttpRequest request, int... wanted) {
        return exchange(kind, request, wanted).join();
    }

    /** Sends, times and records one request; completes with null when no answer came. */
    private CompletableFuture<HttpResponse<String>> exchange(RequestKind kind, HttpRequest request, int... wanted) {
        long start = System.nanoTime();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            long nanos = System.nanoTime() - start;
            if (response == null) {
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                tally.record(kind, nanos, 0, false, cause.getClass().getSimpleName() + " " + cause.getMessage());
                return null;
            }
            boolean expected = IntStream.of(wanted).anyMatch(s -> s == response.statusCode());
            tally.record(kind, nanos, response.statusCode(), expected, expected ? null : problemType(response));
            return response;
        });
    }

    /** The problem's type and title: enough to tell causes apart, nothing of the request's data. */
    private String problemType(HttpResponse<String> response) {
        try {
            JsonNode problem = json.readTree(response.body());
            return problem.path("type").asText("") + " " + problem.path("title").asText("");
        } catch (IOException | RuntimeException notJson) {
            return "(no problem details)";
        }
    }

    private HttpRequest.Builder request(String path, String token) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization",
                "Bearer " + token);
    }

    private HttpRequest.Builder get(String path, String token) {
        return request(path, token).GET();
    }

    private HttpRequest.Builder post(String path, String token, String body) {
        return request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private String field(HttpResponse<String> response, String name) {
        try {
            JsonNode value = json.readTree(response.body()).get(name);
            return value == null || value.isNull() ? null : value.asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> ids(HttpResponse<String> response) {
        try {
            List<String> ids = new ArrayList<>();
            json.readTree(response.body()).path("ids").forEach(id -> ids.add(id.asText()));
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version in an ETag header such as "3". */
    private int version(HttpResponse<String> response) {
        return Integer.parseInt(response.headers().firstValue("ETag").orElseThrow().replaceAll("[^0-9]", ""));
    }

    private static String etag(int version) {
        return "\"" + version + "\"";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
