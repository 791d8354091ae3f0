package org.jointregistry.ha;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jointregistry.faults.Await;
import org.jointregistry.faults.DrillHttp;
import org.jointregistry.faults.DrillHttp.Outcome;
import org.jointregistry.faults.WriteLoad;
import org.jointregistry.faults.WriteLoad.Attempt;
import org.jointregistry.faults.WriteLoad.Write;
import org.jointregistry.ha.HaCluster.Cluster;
import org.jointregistry.ha.HaCluster.Node;
import org.jointregistry.ha.HaCluster.Replica;
import org.jointregistry.stack.LocalStack;
import org.jointregistry.support.Tokens;

/**
 * The high-availability drill (issue 17), `./mvnw -Pha`: brings up
 * {@link HaCluster}, puts it under a mixed load from the five organisations
 * (creates and 1,000-incident batches with Idempotency-Keys, edits under
 * If-Match, aggregate reads), and in turn SIGKILLs the PostgreSQL primary's
 * postmaster, SIGKILLs one registry replica, and restarts etcd. Then it checks
 * every acknowledged write in the database (present once, no partial batch,
 * on both nodes) and prints a table. Every wait is bounded; it fails (exit
 * status 1) on any loss, duplicate or bound exceeded.
 *
 * -Dha.scenarios=failover runs the primary failover only (CI's short variant).
 */
public final class HaDrill {

    private static final List<String> ORGANIZATIONS = List.of("help-refugees", "utopia-56",
            "auberge-des-migrants", "refugee-info-bus", "refugee-womens-centre");
    private static final Duration PROMOTION_BOUND = Duration.ofSeconds(60);
    private static final Duration REJOIN_BOUND = Duration.ofMinutes(3);
    private static final Duration RECOVERY_BOUND = Duration.ofMinutes(3);
    /** Load on the survivor after a replica is killed; more than HAProxy needs to mark it DOWN (2 s). */
    private static final Duration AFTER_REPLICA_KILL = Duration.ofSeconds(10);
    /** Longer than the leader key's TTL (10 s): without failsafe mode the primary would demote itself. */
    private static final Duration ETCD_DOWN = Duration.ofSeconds(20);
    private static final Duration TOKEN_REFRESH = Duration.ofMinutes(2);
    /** registry.replica.max-lag's default, which the replicas run with. */
    private static final Duration REPLICA_MAX_LAG = Duration.ofSeconds(5);
    private static final Pattern FIGURE_READS = Pattern.compile(
            "(?m)^registry_figure_reads_total\\{[^}]*source=\"([a-z-]+)\"[^}]*} ([0-9.E+]+)$");

    private final Path build = Path.of(System.getProperty("registry.build.dir", "target"));
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final List<Window> windows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private HaCluster cluster;
    private WriteLoad writes;
    private EditAndReadLoad editsAndReads;

    /** A scenario's time span (System.nanoTime) and when its fault was applied. */
    private record Window(String name, long from, long fault, long to) {

        boolean holds(long nanos) {
            return nanos >= from && nanos < to;
        }
    }

    private HaDrill() {
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = List.of(System.getProperty("ha.scenarios", "failover,replica,etcd").split(","));
        try {
            new HaDrill().run(scenarios);
        } catch (Exception | AssertionError e) {
            System.out.println("[ha] FAILED: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run(List<String> scenarios) throws Exception {
        long started = System.nanoTime();
        HaPackages.ensureInstalled();
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ha-token-refresh");
            t.setDaemon(true);
            return t;
        });
        try (LocalStack.Handle keycloak = LocalStack.keycloak(Path.of(System.getProperty("registry.keycloak.dist")),
                Path.of("docker/registry-realm.json"), build.resolve("keycloak.log"));
                HaCluster layout = new HaCluster(build)) {
            cluster = layout;
            cluster.start();
            print("layout up in %d s: etcd, PostgreSQL %s under Patroni, registry replicas %s behind HAProxy at "
                    + "%s; JDBC URL %s", (System.nanoTime() - started) / 1_000_000_000L, cluster.cluster().members(),
                    cluster.replicas().stream().map(r -> r.name() + ":" + r.port()).toList(), cluster.url(),
                    cluster.jdbcUrl());
            refreshTokens();
            refresher.scheduleAtFixedRate(this::refreshTokens, TOKEN_REFRESH.toSeconds(), TOKEN_REFRESH.toSeconds(),
                    TimeUnit.SECONDS);
            DrillHttp http = new DrillHttp(cluster.url());
            writes = new WriteLoad(http, tokens);
            editsAndReads = new EditAndReadLoad(http, tokens);
            editsAndReads.start();
            writes.start(ORGANIZATIONS.size() - 1, 1); // a writer per organisation, the last one sending batches
            Await.until(() -> writes.acknowledged().stream().anyMatch(Write::batch), RECOVERY_BOUND,
                    "a batch acknowledged before the first fault");
            if (scenarios.contains("failover")) {
                primaryFailover();
            }
            if (scenarios.contains("replica")) {
                replicaKilled();
            }
            if (scenarios.contains("etcd")) {
                etcdRestarted();
            }
            writes.stop();
            editsAndReads.stop();
            report();
        } finally {
            refresher.shutdownNow();
        }
        print("drill done in %d s", (System.nanoTime() - started) / 1_000_000_000L);
    }

    private void primaryFailover() throws Exception {
        long from = System.nanoTime();
        Cluster before = cluster.cluster();
        String oldPrimary = before.leader().orElseThrow();
        Thread.sleep(2_000); // load on the healthy cluster first
        long fault = System.nanoTime();
        HaCluster.Kill kill = cluster.killPostmaster(cluster.node(oldPrimary));
        long pid = kill.pid();
        cluster.awaitCluster(c -> c.leader().filter(l -> !l.equals(oldPrimary)).isPresent(),
                PROMOTION_BOUND, "the standby promoted");
        Duration promoted = Duration.ofNanos(System.nanoTime() - fault);
        cluster.awaitCluster(c -> c.members().stream().anyMatch(m -> m.name().equals(oldPrimary)
                && m.role().equals("sync_standby") && m.running()), REJOIN_BOUND,
                oldPrimary + " back as the synchronous standby");
        Duration rejoined = Duration.ofNanos(System.nanoTime() - fault);
        Await.until(() -> writes.everyWriterAcknowledgedSince(fault), RECOVERY_BOUND,
                "every writer acknowledged again after the failover");
        Cluster after = cluster.cluster();
        windows.add(new Window("primary SIGKILL", from, fault, System.nanoTime()));
        notes.add("primary failover: postmaster %d of %s killed; %s promoted after %.1f s (timeline %d -> %d); %s "
                .formatted(pid, oldPrimary, after.leader().orElseThrow(), promoted.toMillis() / 1000.0,
                        before.timeline(), after.timeline(), oldPrimary)
                + "rejoined as the synchronous standby %.1f s after the kill".formatted(rejoined.toMillis() / 1000.0)
                + (kill.survivors().isEmpty() ? "" : "; backends alive 5 s after their postmaster, then SIGKILLed: "
                        + kill.survivors()));
    }

    private void replicaKilled() throws Exception {
        long from = System.nanoTime();
        Replica victim = cluster.replicas().get(0);
        Thread.sleep(2_000);
        long fault = System.nanoTime();
        cluster.killReplica(victim);
        long killed = System.nanoTime(); // the process is gone: a request sent until now may have reached it
        Thread.sleep(AFTER_REPLICA_KILL.toMillis());
        long to = System.nanoTime();
        windows.add(new Window("replica SIGKILL", from, fault, to));
        List<Outcome> failed = outcomes(new Window("", from, fault, to)).stream().filter(o -> !o.acknowledged())
                .toList();
        List<String> notInFlight = failed.stream().filter(o -> o.startedNanos() > killed
                || o.startedNanos() + o.millis() * 1_000_000 < fault).map(o -> "%s sent %+d ms from the kill, after %d ms"
                        .formatted(o.describe(), (o.startedNanos() - fault) / 1_000_000, o.millis())).toList();
        check(notInFlight.isEmpty(), "only requests in flight on the killed replica failed, not " + notInFlight);
        notes.add("replica kill: %s SIGKILLed; %d requests failed, all in flight on it at the kill (%s); HAProxy "
                .formatted(victim.name(), failed.size(), failed.stream().map(Outcome::describe).distinct()
                        .collect(Collectors.joining(", ")))
                + "sent every later one to the survivor (left running alone for the rest of the drill)");
    }

    private void etcdRestarted() throws Exception {
        long from = System.nanoTime();
        Cluster before = cluster.cluster();
        Node primary = cluster.node(before.leader().orElseThrow());
        Thread.sleep(2_000);
        long fault = System.nanoTime();
        cluster.stopEtcd();
        int polls = 0;
        int notPrimary = 0;
        long until = System.nanoTime() + ETCD_DOWN.toNanos();
        while (System.nanoTime() < until) {
            polls++;
            notPrimary += cluster.isPrimary(primary) ? 0 : 1;
            Thread.sleep(500);
        }
        cluster.startEtcd();
        long restarted = System.nanoTime();
        Await.until(() -> writes.everyWriterAcknowledgedSince(restarted), RECOVERY_BOUND,
                "every writer acknowledged after etcd came back");
        Cluster after = cluster.cluster();
        windows.add(new Window("etcd restart", from, fault, System.nanoTime()));
        check(notPrimary == 0, notPrimary + " of " + polls + " polls found " + primary.name() + " not primary while "
                + "etcd was down");
        check(after.leader().equals(before.leader()) && after.timeline() == before.timeline(),
                "the same primary on the same timeline after the etcd restart: " + before + " -> " + after);
        notes.add("etcd restart: etcd stopped for %d s (leader key TTL 10 s); %s answered as primary in all %d polls "
                .formatted(ETCD_DOWN.toSeconds(), primary.name(), polls)
                + "(failsafe mode), same primary and timeline %d afterwards".formatted(after.timeline()));
    }

    /** Checks the database against what was acknowledged and prints the notes and the table. */
    private void report() throws Exception {
        Map<String, Integer> stored = storedExternalIds(cluster.primaryAdmin());
        List<Write> batches = writes.sent().stream().filter(Write::batch).toList();
        long partial = batches.stream().filter(b -> {
            long present = b.externalIds().stream().filter(stored::containsKey).count();
            return present != 0 && present != WriteLoad.BATCH_SIZE;
        }).count();
        Map<String, Integer> storedValues = officerCounts(cluster.primaryAdmin());
        long lostEdits = editsAndReads.acknowledgedValues().entrySet().stream()
                .filter(e -> !e.getValue().equals(storedValues.get(e.getKey()))).count();
        // Strict synchronous replication: the standby holds every acknowledged commit as well.
        for (Node node : cluster.nodes()) {
            Map<String, Integer> there = awaitReplayed(node, stored);
            check(there.equals(stored), node.name() + " holds " + there.size() + " of the " + stored.size()
                    + " drill incidents");
        }
        notes.forEach(HaDrill::print);
        print("edits: %d acknowledged values checked, %d lost; partial batches: %d of %d sent; both nodes hold the "
                + "same %d drill incidents", editsAndReads.acknowledgedValues().size(), lostEdits, partial,
                batches.size(), stored.size());
        print("| scenario | outage (s) | requests | failed | acknowledged writes | lost | duplicated |");
        print("|---|---:|---:|---:|---:|---:|---:|");
        List<String> failures = new ArrayList<>();
        long totalLost = lostEdits;
        long totalDuplicated = 0;
        for (Window window : windows) {
            List<Outcome> outcomes = outcomes(window);
            List<Attempt> acknowledged = writes.attempts().stream().filter(a -> a.outcome().acknowledged()
                    && window.holds(a.outcome().startedNanos())).toList();
            long editsAcknowledged = editsAndReads.requests().stream().filter(r -> r.write()
                    && r.outcome().acknowledged() && window.holds(r.outcome().startedNanos())).count();
            List<String> ids = acknowledged.stream().flatMap(a -> a.write().externalIds().stream()).toList();
            long lost = ids.stream().filter(id -> !stored.containsKey(id)).count();
            long duplicated = ids.stream().filter(id -> stored.getOrDefault(id, 0) > 1).count();
            totalLost += lost;
            totalDuplicated += duplicated;
            failures.add(window.name() + ": " + outcomes.stream().filter(o -> !o.acknowledged()).collect(
                    Collectors.groupingBy(Outcome::describe, java.util.TreeMap::new, Collectors.counting())));
            print("| %s | %.1f | %d | %d | %d (%d incidents, %d edits) | %d | %d |", window.name(),
                    longestWithoutWrites(window) / 1000.0, outcomes.size(), outcomes.stream()
                            .filter(o -> !o.acknowledged()).count(), acknowledged.size() + editsAcknowledged,
                    ids.size(), editsAcknowledged, lost, duplicated);
        }
        failures.forEach(f -> print("failed requests, %s", f));
        figureReads();
        check(totalLost == 0 && totalDuplicated == 0 && partial == 0, totalLost + " acknowledged writes lost, "
                + totalDuplicated + " duplicated, " + partial + " partial batches");
    }

    /**
     * The aggregate reads went to the standby while it was up (the replicas'
     * metrics say how many), each with an X-Data-As-Of that is neither later
     * than its answer nor older than the replica's bound at the time it was sent.
     */
    private void figureReads() throws InterruptedException {
        List<EditAndReadLoad.FigureRead> reads = editsAndReads.figureReads();
        long missing = reads.stream().filter(r -> r.dataAsOf().isEmpty()).count();
        List<Duration> lags = reads.stream().filter(r -> !r.dataAsOf().isEmpty()).map(r -> Duration.between(
                Instant.parse(r.dataAsOf()), r.received())).sorted().toList();
        long outOfBounds = reads.stream().filter(r -> !r.dataAsOf().isEmpty()).filter(r -> {
            Instant asOf = Instant.parse(r.dataAsOf());
            return asOf.isAfter(r.received()) || asOf.isBefore(r.sent().minus(REPLICA_MAX_LAG).minusMillis(1));
        }).count();
        Map<String, Long> bySource = new TreeMap<>();
        for (Replica replica : cluster.replicas()) {
            Matcher counter = FIGURE_READS.matcher(cluster.metrics(replica));
            while (counter.find()) {
                bySource.merge(counter.group(1), (long) Double.parseDouble(counter.group(2)), Long::sum);
            }
        }
        print("figure reads: %d acknowledged, by source %s; X-Data-As-Of behind the answer: median %d ms, max %d ms",
                reads.size(), bySource, lags.isEmpty() ? 0 : lags.get(lags.size() / 2).toMillis(),
                lags.isEmpty() ? 0 : lags.get(lags.size() - 1).toMillis());
        check(missing == 0, missing + " acknowledged aggregate reads without X-Data-As-Of");
        check(outOfBounds == 0, outOfBounds + " aggregate reads with an X-Data-As-Of later than their answer or "
                + "older than the replica's bound (" + REPLICA_MAX_LAG + ")");
        check(bySource.getOrDefault("standby", 0L) > 0, "no aggregate read was served by the standby: " + bySource);
    }

    /** Every request of the load (writes, edits, reads) sent in the window. */
    private List<Outcome> outcomes(Window window) {
        List<Outcome> all = new ArrayList<>();
        writes.attempts().forEach(a -> all.add(a.outcome()));
        editsAndReads.requests().forEach(r -> all.add(r.outcome()));
        return all.stream().filter(o -> window.holds(o.startedNanos())).toList();
    }

    /** The longest stretch, from the fault on, in which no write (create, batch, edit) was acknowledged, in ms. */
    private long longestWithoutWrites(Window window) {
        List<Long> done = new ArrayList<>();
        writes.attempts().stream().map(Attempt::outcome).filter(Outcome::acknowledged).forEach(o -> done.add(
                o.startedNanos() + o.millis() * 1_000_000));
        editsAndReads.requests().stream().filter(r -> r.write() && r.outcome().acknowledged()).forEach(r -> done.add(
                r.outcome().startedNanos() + r.outcome().millis() * 1_000_000));
        List<Long> points = new ArrayList<>(done.stream().filter(t -> t > window.fault() && t < window.to())
                .sorted().toList());
        points.add(0, window.fault());
        points.add(window.to());
        long longest = 0;
        for (int i = 1; i < points.size(); i++) {
            longest = Math.max(longest, points.get(i) - points.get(i - 1));
        }
        return longest / 1_000_000;
    }

    /** The node's drill incidents once it has replayed as many as the primary holds (a standby may lag a moment). */
    private Map<String, Integer> awaitReplayed(Node node, Map<String, Integer> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Integer> there = storedExternalIds(cluster.admin(node));
        while (!there.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            there = storedExternalIds(cluster.admin(node));
        }
        return there;
    }

    /** The drill's incidents by externalId, with how many live rows each has. */
    private static Map<String, Integer> storedExternalIds(LocalStack.Postgres node) throws SQLException {
        return query(node, "SELECT external_id, count(*) FROM incident WHERE external_id LIKE 'drill-%' "
                + "AND deleted_at IS NULL GROUP BY external_id");
    }

    private static Map<String, Integer> officerCounts(LocalStack.Postgres node) throws SQLException {
        return query(node, "SELECT id::text, officer_count FROM incident WHERE external_id LIKE 'ha-edit-%'");
    }

    private static Map<String, Integer> query(LocalStack.Postgres node, String sql) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection db = node.admin(HaCluster.DATABASE); PreparedStatement query = db.prepareStatement(sql);
                ResultSet result = query.executeQuery()) {
            while (result.next()) {
                rows.put(result.getString(1), result.getInt(2));
            }
        }
        return rows;
    }

    private void refreshTokens() {
        ORGANIZATIONS.forEach(o -> tokens.put(o, Tokens.syncClientGrant(LocalStack.REALM_URL, o).then()
                .statusCode(200).extract().path("access_token")));
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void print(String format, Object... values) {
        System.out.println("[ha] " + format.formatted(values));
    }
}
