package org.jointregistry.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.jointregistry.bench.RegistryProcess;
import org.jointregistry.faults.DrillHttp.Outcome;
import org.jointregistry.faults.DrillHttp.Readiness;
import org.jointregistry.faults.WriteLoad.Attempt;
import org.jointregistry.faults.WriteLoad.Write;
import org.jointregistry.stack.EmbeddedPostgresServer;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.TcpProxy;
import org.jointregistry.support.Tokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault drill (issue 7): the packaged registry as a child process, on an
 * embedded PostgreSQL of its own and behind a cuttable proxy to Keycloak, is
 * put through a database outage under write load, an identity provider
 * outage, and SIGKILLs in the middle of a batch import. Each drill prints
 * what it measured, prefixed "[drill]".
 *
 * Failsafe runs it after `package` (it needs the jar), and only what is
 * tagged {@value #TAG}; Surefire, which runs before, leaves that tag out, even
 * when the drill is named with -Dtest.
 */
@Tag(FaultDrillIT.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultDrillIT {

    static final String TAG = "fault-drill";

    private static final String DATABASE = "registry_drill";
    private static final List<String> ORGANIZATIONS = List.of("help-refugees", "utopia-56", "auberge-des-migrants",
            "refugee-info-bus");
    /** Longest a request may take while a dependency is down: the pool's acquisition timeout and then some. */
    private static final Duration FAIL_FAST = Duration.ofSeconds(10);
    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration READINESS_BOUND = Duration.ofSeconds(30);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(60);
    private static final int KEYCLOAK_PORT = 8180;
    /** More than the connections the write load leaves in the pool. */
    private static final int IDLE_RESTART_WRITES = 12;

    private final Path build = Path.of(System.getProperty("registry.build.dir", "target"));
    private final Path logs = build.resolve("fault-drill");
    private final ExecutorService background = Executors.newCachedThreadPool();
    private LocalStack.Handle keycloak;
    private EmbeddedPostgresServer postgresServer;
    private LocalStack.Postgres postgres;
    private TcpProxy identityProvider;
    private int servicePort;
    private RegistryProcess registry;
    private DrillHttp http;
    private int starts;

    @BeforeAll
    void bringUp() throws Exception {
        keycloak = LocalStack.keycloak(Path.of(System.getProperty("registry.keycloak.dist")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log"));
        int pgPort = LocalStack.freePort();
        postgresServer = EmbeddedPostgresServer.at(build, "fault-drill-" + pgPort, pgPort);
        postgresServer.start();
        postgres = new LocalStack.Postgres("127.0.0.1", pgPort, "postgres", "", true, postgresServer::stop);
        LocalStack.prepareDatabase(postgres, DATABASE, true);
        identityProvider = TcpProxy.start(LocalStack.freePort(), KEYCLOAK_PORT);
        servicePort = LocalStack.freePort();
        startRegistry();
        http = new DrillHttp(registry.url());
    }

    @AfterAll
    void tearDown() throws IOException {
        background.shutdownNow();
        if (registry != null) {
            registry.close();
        }
        if (identityProvider != null) {
            identityProvider.close();
        }
        if (postgresServer != null) {
            postgresServer.destroy();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    @Test
    @Order(1)
    void identityProviderOutage() throws Exception {
        String token = token("utopia-56");
        assertEquals(200, http.get("/api/v1/me", token).status(), "a token taken through the proxy is accepted");
        long pid = registry.pid();

        identityProvider.cut();
        long cut = System.nanoTime();
        Duration toDown = awaitReadiness(r -> "DOWN".equals(r.checks().get("identity-provider")), READINESS_BOUND,
                "identity provider reported DOWN after the cut");
        assertFalse(http.readiness().up(), "readiness is DOWN while the identity provider is");
        assertEquals("UP", http.readiness().checks().get("Database connections health check"),
                "only the identity provider is reported DOWN");
        int accepted = 0;
        for (int i = 0; i < 5; i++) {
            assertEquals(200, http.get("/api/v1/me", token).status(), "an issued token still works (cached keys)");
            Outcome created = http.post("/api/v1/incidents", token, null,
                    DrillHttp.incident("idp-outage-" + i));
            assertEquals(201, created.status(), "writes with an issued token still work: " + created.describe());
            accepted += 2;
        }
        assertThrows(Exception.class, () -> Tokens.syncClientGrant(realmUrl(), "utopia-56"),
                "no new token can be had while the identity provider is down");
        long outage = (System.nanoTime() - cut) / 1_000_000;

        identityProvider.restore();
        Duration toUp = awaitReadiness(Readiness::up, READINESS_BOUND, "readiness UP after the identity provider "
                + "came back");
        assertEquals(200, http.get("/api/v1/me", token("help-refugees")).status(), "a new token works again");
        assertEquals(pid, registry.pid(), "the service was not restarted");

        print("identity provider outage: readiness DOWN %d ms after the cut; %d requests with an already issued "
                + "token accepted during the %d ms outage; new token requests refused; readiness UP %d ms after "
                + "the proxy came back", toDown.toMillis(), accepted, outage, toUp.toMillis());
    }

    @Test
    @Order(2)
    void databaseStoppedUnderWriteLoad() throws Exception {
        Map<String, String> tokens = new LinkedHashMap<>();
        ORGANIZATIONS.forEach(o -> tokens.put(o, token(o)));
        long pid = registry.pid();
        WriteLoad load = new WriteLoad(http, tokens);
        load.start(2, 2);
        Await.until(() -> load.acknowledged().stream().anyMatch(Write::batch), RECOVERY_BOUND,
                "a batch acknowledged before the outage");

        postgresServer.crash();
        long crashed = System.nanoTime();
        Duration toDown = awaitReadiness(r -> "DOWN".equals(r.checks().get("Database connections health check")),
                OUTAGE, "database reported DOWN during the outage");
        sleepUntil(crashed + OUTAGE.toNanos());
        postgresServer.start();
        long restarted = System.nanoTime();
        Duration toUp = awaitReadiness(Readiness::up, READINESS_BOUND, "readiness UP after PostgreSQL came back");
        Await.until(() -> load.everyWriterAcknowledgedSince(restarted), RECOVERY_BOUND,
                "every writer's writes acknowledged again after the restart");
        load.stop();
        assertEquals(pid, registry.pid(), "the service was not restarted");
        assertTrue(registry.isAlive(), "the service is still running");

        List<Attempt> attempts = load.attempts();
        List<Attempt> refused = attempts.stream().filter(a -> !a.outcome().acknowledged()).toList();
        assertEquals(List.of(), refused.stream().filter(a -> !a.outcome().serviceUnavailableProblem())
                .map(a -> "%s, sent %+d ms from the stop, after %d ms".formatted(a.outcome().describe(),
                        (a.outcome().startedNanos() - crashed) / 1_000_000, a.outcome().millis())).toList(),
                "every write not acknowledged got a 503 service-unavailable problem with Retry-After");
        long duringOutage = refused.stream().filter(a -> a.outcome().startedNanos() > crashed
                && a.outcome().startedNanos() < restarted).count();
        assertTrue(duringOutage > 0, "writes sent during the outage were refused with 503");
        // How long each refused request waited for its 503 once the database was gone (a request sent
        // before the stop also spent time on its own work first).
        long[] refusalMillis = refused.stream().mapToLong(a -> a.outcome().millis()
                - Math.max(0, (crashed - a.outcome().startedNanos()) / 1_000_000)).sorted().toArray();
        long slowestRefusal = refusalMillis[refusalMillis.length - 1];
        assertTrue(slowestRefusal < FAIL_FAST.toMillis(), "503s answered within " + FAIL_FAST + " of the stop or "
                + "of their sending, the slowest in " + slowestRefusal + " ms");

        Map<String, Integer> stored = storedExternalIds("drill-%");
        List<String> lost = load.acknowledged().stream().flatMap(w -> w.externalIds().stream())
                .filter(id -> !stored.containsKey(id)).toList();
        assertEquals(List.of(), lost.stream().limit(10).toList(), lost.size() + " acknowledged incidents are missing");
        assertEquals(List.of(), stored.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .limit(10).toList(), "incidents stored more than once");
        List<Write> batches = load.sent().stream().filter(Write::batch).toList();
        Map<Write, Long> partial = new HashMap<>();
        for (Write batch : batches) {
            long present = batch.externalIds().stream().filter(stored::containsKey).count();
            if (present != 0 && present != WriteLoad.BATCH_SIZE) {
                partial.put(batch, present);
            }
        }
        assertEquals(Map.of(), partial, "batches stored in part");
        long retried = refused.stream().map(Attempt::write).distinct().count();
        long foundDone = attempts.stream().filter(a -> a.outcome().replayed()).count();

        print("PostgreSQL stopped (immediate) under write load for %d ms (%d s down, then its restart): %d writes "
                + "acknowledged (%d incidents, %d of them batches of 1,000); %d requests refused, %d of them sent "
                + "during the outage, all 503 problems with Retry-After, answered %d ms (median) and at most %d ms "
                + "after the stop or their sending; readiness DOWN %d ms after the stop and UP %d ms after the "
                + "restart; %d writes retried with their Idempotency-Key, %d of them found already committed "
                + "(replayed); 0 acknowledged incidents lost, 0 duplicates, 0 partial batches out of %d sent",
                (restarted - crashed) / 1_000_000, OUTAGE.toSeconds(), load.acknowledged().size(),
                load.acknowledged().stream().mapToInt(w -> w.externalIds().size()).sum(),
                load.acknowledged().stream().filter(Write::batch).count(), refused.size(), duringOutage,
                refusalMillis[refusalMillis.length / 2], slowestRefusal, toDown.toMillis(), toUp.toMillis(),
                retried, foundDone, batches.size());
    }

    @Test
    @Order(3)
    void databaseRestartedWhileIdle() throws Exception {
        String token = token("auberge-des-migrants");
        long pid = registry.pid();
        postgresServer.crash(); // no request meanwhile: the pooled connections die unnoticed
        Thread.sleep(OUTAGE.toMillis());
        postgresServer.start();
        List<CompletableFuture<Outcome>> writes = new ArrayList<>();
        for (int i = 0; i < IDLE_RESTART_WRITES; i++) {
            String externalId = "idle-restart-" + i;
            writes.add(CompletableFuture.supplyAsync(() -> http.post("/api/v1/incidents", token, null,
                    DrillHttp.incident(externalId)), background));
        }
        List<String> failed = new ArrayList<>();
        for (CompletableFuture<Outcome> write : writes) {
            Outcome outcome = write.get(DrillHttp.REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            if (outcome.status() != 201) {
                failed.add(outcome.describe());
            }
        }
        assertEquals(List.of(), failed, "the first writes after a restart get fresh connections, not dead ones");
        assertEquals(pid, registry.pid(), "the service was not restarted");
        print("PostgreSQL restarted while the service was idle: the first %d concurrent writes all acknowledged "
                + "(dead pooled connections replaced before use)", IDLE_RESTART_WRITES);
    }

    @Test
    @Order(4)
    void serviceKilledDuringBatchImport() throws Exception {
        String organization = "refugee-womens-centre";
        String token = token(organization);
        long[] warmUp = new long[2];
        for (int i = 0; i < warmUp.length; i++) {
            Outcome batch = http.post("/api/v1/incidents/batch", token, UUID.randomUUID().toString(),
                    DrillHttp.batch("warm-up-" + i + "-", WriteLoad.BATCH_SIZE));
            assertEquals(201, batch.status(), batch.describe());
            warmUp[i] = batch.millis();
        }
        long batchMillis = Math.min(warmUp[0], warmUp[1]);
        List<String> rounds = new ArrayList<>();
        int interrupted = 0;
        for (double fraction : new double[] { 0.1, 0.4, 0.75 }) {
            long killAfter = Math.round(batchMillis * fraction);
            String prefix = "kill-" + killAfter + "-";
            String key = UUID.randomUUID().toString();
            String body = DrillHttp.batch(prefix, WriteLoad.BATCH_SIZE);
            String roundToken = token(organization);
            CompletableFuture<Outcome> pending = CompletableFuture.supplyAsync(
                    () -> http.post("/api/v1/incidents/batch", roundToken, key, body), background);
            Thread.sleep(killAfter);
            boolean answered = pending.isDone();
            registry.kill();
            Outcome cut = pending.get(DrillHttp.REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
            if (!answered) {
                assertEquals(0, cut.status(), "no answer from a killed service: " + cut.describe());
                interrupted++;
            }
            long restart = System.nanoTime();
            startRegistry();
            long restartMillis = (System.nanoTime() - restart) / 1_000_000;

            int afterKill = storedExternalIds(prefix + "%").size();
            assertTrue(afterKill == 0 || afterKill == WriteLoad.BATCH_SIZE,
                    "the batch is whole or absent after the kill, not " + afterKill + " incidents");
            Outcome retry = http.post("/api/v1/incidents/batch", roundToken, key, body);
            assertEquals(201, retry.status(), "the retry completes the batch: " + retry.describe());
            assertEquals(afterKill == WriteLoad.BATCH_SIZE, retry.replayed(),
                    "the retry replays exactly when the killed request had committed");
            Map<String, Integer> stored = storedExternalIds(prefix + "%");
            assertEquals(WriteLoad.BATCH_SIZE, stored.size(), "the batch is stored once retried");
            assertTrue(stored.values().stream().allMatch(n -> n == 1), "no incident of the batch stored twice");
            Outcome again = http.post("/api/v1/incidents/batch", roundToken, key, body);
            assertEquals(201, again.status(), again.describe());
            assertTrue(again.replayed(), "a second retry replays the stored response");
            assertEquals(retry.body(), again.body(), "the replay is the first response itself");
            assertEquals(WriteLoad.BATCH_SIZE, storedExternalIds(prefix + "%").size(), "the replay wrote nothing");
            rounds.add("kill %d ms after sending (%s): %s after restart (%d ms), retry %s".formatted(killAfter,
                    answered ? "answered before the kill" : "no answer", afterKill == 0 ? "absent" : "whole",
                    restartMillis, retry.replayed() ? "replayed" : "wrote it"));
        }
        assertTrue(interrupted >= 2, "at least two kills landed while the batch was being processed: " + rounds);
        print("SIGKILL during a 1,000-incident batch (uninterrupted batch: %d ms): %s", batchMillis,
                String.join("; ", rounds));
    }

    private void startRegistry() throws IOException, InterruptedException {
        Files.createDirectories(logs);
        registry = RegistryProcess.start(build, servicePort, Map.of("REGISTRY_DB_URL", postgres.jdbcUrl(DATABASE),
                "REGISTRY_OIDC_URL", realmUrl()), logs.resolve("registry-" + ++starts + ".log"), "-Xmx512m");
    }

    /** The realm through the proxy: Keycloak (start-dev) names the issuer after the address it was asked on. */
    private String realmUrl() {
        return "http://localhost:" + identityProvider.port() + "/realms/registry";
    }

    private String token(String organization) {
        return Tokens.syncClientGrant(realmUrl(), organization).then().statusCode(200).extract()
                .path("access_token");
    }

    /** The drill's incidents by externalId, with how many live rows each has. */
    private Map<String, Integer> storedExternalIds(String like) throws SQLException {
        Map<String, Integer> stored = new HashMap<>();
        try (Connection db = postgres.admin(DATABASE); PreparedStatement query = db.prepareStatement(
                "SELECT external_id, count(*) FROM incident WHERE external_id LIKE ? AND deleted_at IS NULL "
                        + "GROUP BY external_id")) {
            query.setString(1, like);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return stored;
    }

    private Duration awaitReadiness(Predicate<Readiness> expected, Duration bound, String what)
            throws InterruptedException {
        long start = System.nanoTime();
        Readiness last = null;
        while (System.nanoTime() - start < bound.toNanos()) {
            last = http.readiness();
            if (expected.test(last)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Not " + what + " within " + bound + "; last answer: " + last);
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
    }

    private static void print(String format, Object... values) {
        System.out.println("[drill] " + format.formatted(values));
    }
}
