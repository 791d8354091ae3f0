package org.jointregistry.ha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jointregistry.bench.RegistryProcess;
import org.jointregistry.stack.LocalStack;

/**
 * The highly available layout on one machine, every part a real engine from
 * Debian's packages: one etcd member, two PostgreSQL nodes under Patroni with
 * strict synchronous replication, two registry replicas (the packaged jar)
 * connecting through a multi-host JDBC URL, HAProxy in front of them, and the
 * shared Keycloak on :8180. Patroni and HAProxy read the same files as
 * docker/compose.ha.yaml (docker/ha/), with what differs per run (ports
 * free at start, 127.0.0.1 only, data under {@code target/ha/}) in their
 * environment; etcd is configured by its environment alone.
 */
final class HaCluster implements AutoCloseable {

    static final String DATABASE = "registry_ha";
    private static final Duration START_BOUND = Duration.ofMinutes(3);
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PostgreSQL refuses to run as root: as root, the nodes run as Debian's postgres user. */
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final String SERVER_USER = "postgres";
    /** The layout's superuser password (docker/ha/patroni.yml): a test layout's. */
    private static final String SUPERUSER_PASSWORD = "postgres";
    private static final Path CONFIG = Path.of("docker/ha");

    private final Path home;
    private final Path build;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Replica> replicas = new ArrayList<>();
    private final int etcdClientPort;
    private final int etcdPeerPort;
    private final int haproxyPort;
    private Process etcd;
    private Process haproxy;

    /** A PostgreSQL node: its Patroni process, REST API and database ports. */
    record Node(String name, int pgPort, int restPort, Path dir, Process[] patroni) {

        Path dataDir() {
            return dir.resolve("data");
        }
    }

    /** A registry replica on its own port; {@code process[0]} is its process once started. */
    record Replica(String name, int port, RegistryProcess[] process) {
    }

    HaCluster(Path build) throws IOException {
        this.build = build;
        this.home = build.resolve("ha");
        this.etcdClientPort = LocalStack.freePort();
        this.etcdPeerPort = LocalStack.freePort();
        this.haproxyPort = LocalStack.freePort();
    }

    /** Starts every part, prepares the registry's database on the primary, and waits until HAProxy serves it. */
    void start() throws IOException, InterruptedException {
        if (Files.exists(home)) {
            LocalStack.deleteTree(home); // a drill starts from an empty cluster
        }
        Files.createDirectories(home);
        if (ROOT) {
            letServerUserThrough(home);
        }
        startEtcd();
        for (String name : List.of("pg1", "pg2")) {
            Node node = new Node(name, LocalStack.freePort(), LocalStack.freePort(), home.resolve(name),
                    new Process[1]);
            nodes.add(node);
            startPatroni(node);
        }
        awaitCluster(c -> c.leader().isPresent() && c.syncStandby().isPresent(), START_BOUND,
                "a leader and a synchronous standby");
        LocalStack.prepareDatabase(primaryAdmin(), DATABASE, true);
        for (String name : List.of("registry-a", "registry-b")) {
            Replica replica = new Replica(name, LocalStack.freePort(), new RegistryProcess[1]);
            replicas.add(replica);
            startReplica(replica);
        }
        startHaproxy();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (!LocalStack.answers(url() + "/q/health/ready")) {
            if (System.nanoTime() > deadline || !haproxy.isAlive()) {
                throw new IllegalStateException("HAProxy does not serve the registry; see " + home);
            }
            Thread.sleep(200);
        }
    }

    /** Where partner tools reach the registry: HAProxy's frontend. */
    String url() {
        return "http://127.0.0.1:" + haproxyPort;
    }

    /** The multi-host URL the replicas connect with: whichever node is primary now. */
    String jdbcUrl() {
        return jdbcUrl("primary");
    }

    /** The URL of their read replica for the figures: the standby while one is up, else the primary. */
    String replicaJdbcUrl() {
        return jdbcUrl("preferSecondary");
    }

    private String jdbcUrl(String targetServerType) {
        return "jdbc:postgresql://" + nodes.stream().map(n -> "127.0.0.1:" + n.pgPort())
                .collect(Collectors.joining(",")) + "/" + DATABASE
                // Forget a host's role after 2 s, not 10: a standby just promoted is tried again soon.
                + "?targetServerType=" + targetServerType + "&hostRecheckSeconds=2";
    }

    /** A live replica's Prometheus metrics (empty when it does not answer). */
    String metrics(Replica replica) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        }
    }

    /** The current primary as a superuser connection target (trust on loopback). */
    LocalStack.Postgres primaryAdmin() throws IOException, InterruptedException {
        return admin(node(cluster().leader().orElseThrow(() -> new IllegalStateException("No primary now"))));
    }

    List<Replica> replicas() {
        return replicas;
    }

    Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /** What {@link #killPostmaster} did: the postmaster's pid, and its processes still alive 5 s later. */
    record Kill(long pid, List<String> survivors) {
    }

    /**
     * SIGKILL of a node's postmaster (its pid from postmaster.pid), as a crash
     * would. Its backends exit on their own when they next wait; one that has
     * not after {@link #ORPHAN_GRACE} is described (from pg_stat_activity just
     * before the kill) and SIGKILLed as well, as the loss of the node would:
     * an orphan keeps the data directory's shared memory, so the node could
     * not start again as a standby (seen twice on the loaded 2-core machine).
     */
    Kill killPostmaster(Node node) throws IOException, InterruptedException {
        long pid = Long.parseLong(Files.readAllLines(node.dataDir().resolve("postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException(
                "No postmaster " + pid + " for " + node.name()));
        Map<Long, String> activity = activity(node);
        List<ProcessHandle> children = postmaster.children().toList();
        postmaster.destroyForcibly();
        long deadline = System.nanoTime() + ORPHAN_GRACE.toNanos();
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        List<String> survivors = new ArrayList<>();
        for (ProcessHandle orphan : children.stream().filter(ProcessHandle::isAlive).toList()) {
            survivors.add(orphan.pid() + " (" + activity.getOrDefault(orphan.pid(), "not a client backend") + ")");
            orphan.destroyForcibly();
        }
        return new Kill(pid, survivors);
    }

    /** Each backend's state, wait event and statement (the drill's own, all with bind parameters), by pid. */
    private Map<Long, String> activity(Node node) {
        Map<Long, String> activity = new java.util.HashMap<>();
        try (var db = admin(node).admin(DATABASE); var query = db.prepareStatement("SELECT pid, concat_ws(' ', "
                + "backend_type, state, wait_event_type, wait_event, left(query, 80)) FROM pg_stat_activity");
                var result = query.executeQuery()) {
            while (result.next()) {
                activity.put(result.getLong(1), result.getString(2));
            }
        } catch (java.sql.SQLException e) {
            activity.put(0L, "pg_stat_activity unreadable: " + e.getMessage());
        }
        return activity;
    }

    /** SIGKILL of a replica; {@link #startReplica} brings it back. */
    void killReplica(Replica replica) throws InterruptedException {
        replica.process()[0].kill();
    }

    void startReplica(Replica replica) throws IOException, InterruptedException {
        // One cursor secret for both: a change-feed cursor from one replica is read by the other.
        replica.process()[0] = RegistryProcess.start(build, replica.port(), Map.of("REGISTRY_DB_URL", jdbcUrl(),
                "REGISTRY_REPLICA_URL", replicaJdbcUrl(), "REGISTRY_OIDC_URL", LocalStack.REALM_URL,
                "REGISTRY_SYNC_CURSOR_SECRET", "ha-drill-cursor-secret-shared-by-both-replicas"),
                home.resolve(replica.name() + ".log"), "-Xmx384m");
    }

    /** Stops etcd (SIGTERM, as a restart does) and waits until it is gone. */
    void stopEtcd() throws InterruptedException {
        etcd.destroy();
        if (!etcd.waitFor(30, TimeUnit.SECONDS)) {
            etcd.destroyForcibly().waitFor();
        }
    }

    /** Starts etcd on its data directory (kept across restarts) and waits until it answers. */
    void startEtcd() throws IOException, InterruptedException {
        String client = "http://127.0.0.1:" + etcdClientPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        ProcessBuilder builder = new ProcessBuilder(HaPackages.ETCD).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("etcd.log").toFile()));
        // One member; production runs three (or five) on separate machines. A restart keeps its data directory.
        builder.environment().putAll(Map.of("ETCD_NAME", "etcd", "ETCD_DATA_DIR", home.resolve("etcd").toString(),
                "ETCD_LISTEN_CLIENT_URLS", client, "ETCD_ADVERTISE_CLIENT_URLS", client, "ETCD_LISTEN_PEER_URLS", peer,
                "ETCD_INITIAL_ADVERTISE_PEER_URLS", peer, "ETCD_INITIAL_CLUSTER", "etcd=" + peer));
        etcd = builder.start();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (!LocalStack.answers("http://127.0.0.1:" + etcdClientPort + "/health")) {
            if (System.nanoTime() > deadline || !etcd.isAlive()) {
                throw new IllegalStateException("etcd did not start; see " + home.resolve("etcd.log"));
            }
            Thread.sleep(100);
        }
    }

    /** Patroni's view of the cluster, asked of any node that answers. */
    Cluster cluster() throws InterruptedException {
        for (Node node : nodes) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + node.restPort() + "/cluster")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Cluster.of(JSON.readTree(response.body()));
                }
            } catch (IOException e) {
                // that node's Patroni does not answer now: ask the next
            }
        }
        return new Cluster(List.of());
    }

    /** Whether the node's Patroni says it runs the primary now (GET /primary answers 200); asks no etcd. */
    boolean isPrimary(Node node) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.restPort() + "/primary"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** A superuser connection target for one node, primary or standby. */
    LocalStack.Postgres admin(Node node) {
        return new LocalStack.Postgres("127.0.0.1", node.pgPort(), "postgres", SUPERUSER_PASSWORD, false, () -> { });
    }

    List<Node> nodes() {
        return nodes;
    }

    /** Waits until Patroni's view satisfies {@code expected}; returns how long that took. */
    Duration awaitCluster(Predicate<Cluster> expected, Duration bound, String what) throws InterruptedException {
        long start = System.nanoTime();
        Cluster last = null;
        while (System.nanoTime() - start < bound.toNanos()) {
            last = cluster();
            if (expected.test(last)) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Not " + what + " within " + bound + "; last view: " + last);
    }

    /** One member as Patroni's /cluster lists it. */
    record Member(String name, String role, String state, int timeline) {

        boolean running() {
            return state.equals("running") || state.equals("streaming");
        }
    }

    /** Patroni's /cluster answer: the members, their roles and states. */
    record Cluster(List<Member> members) {

        static Cluster of(JsonNode body) {
            List<Member> members = new ArrayList<>();
            body.path("members").forEach(m -> members.add(new Member(m.path("name").asText(),
                    m.path("role").asText(), m.path("state").asText(), m.path("timeline").asInt())));
            return new Cluster(members);
        }

        Optional<String> leader() {
            return members.stream().filter(m -> m.role().equals("leader") && m.running()).map(Member::name)
                    .findFirst();
        }

        Optional<String> syncStandby() {
            return members.stream().filter(m -> m.role().equals("sync_standby") && m.running()).map(Member::name)
                    .findFirst();
        }

        int timeline() {
            return members.stream().filter(m -> m.role().equals("leader")).mapToInt(Member::timeline).max()
                    .orElse(0);
        }
    }

    @Override
    public void close() {
        if (haproxy != null) {
            stop(haproxy);
        }
        replicas.forEach(r -> {
            if (r.process()[0] != null) {
                r.process()[0].close();
            }
        });
        nodes.forEach(n -> {
            if (n.patroni()[0] != null) {
                stop(n.patroni()[0]); // Patroni stops its PostgreSQL (fast) before it exits
            }
        });
        if (etcd != null) {
            stop(etcd);
        }
    }

    private void startPatroni(Node node) throws IOException {
        Files.createDirectories(node.dir());
        List<String> command = new ArrayList<>();
        if (ROOT) {
            // setpriv execs Patroni itself (no parent left in between), so that its stop signal reaches Patroni.
            chownTree(node.dir());
            command.addAll(List.of("setpriv", "--reuid=" + SERVER_USER, "--regid=" + SERVER_USER, "--init-groups",
                    "--"));
        }
        command.addAll(List.of(HaPackages.PATRONI, CONFIG.resolve("patroni.yml").toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.dir().resolveSibling(node.name() + ".log")
                        .toFile()));
        String rest = "127.0.0.1:" + node.restPort();
        String pg = "127.0.0.1:" + node.pgPort();
        builder.environment().putAll(Map.of("PATRONI_NAME", node.name(), "PATRONI_RESTAPI_LISTEN", rest,
                "PATRONI_RESTAPI_CONNECT_ADDRESS", rest, "PATRONI_ETCD3_HOSTS", "127.0.0.1:" + etcdClientPort,
                "PATRONI_POSTGRESQL_LISTEN", pg, "PATRONI_POSTGRESQL_CONNECT_ADDRESS", pg,
                "PATRONI_POSTGRESQL_DATA_DIR", node.dataDir().toString(), "PATRONI_POSTGRESQL_BIN_DIR",
                HaPackages.postgresBinaries().toString(), "HOME", node.dir().toString())); // ~/.pgpass lives there
        node.patroni()[0] = builder.start();
    }

    private void startHaproxy() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(HaPackages.HAPROXY, "-db", "-f", CONFIG.resolve("haproxy.cfg")
                .toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("haproxy.log").toFile()));
        builder.environment().putAll(Map.of("HA_BIND", "127.0.0.1:" + haproxyPort, "HA_ERROR_FILE",
                CONFIG.resolve("service-unavailable.http").toAbsolutePath().toString(), "HA_REGISTRY_A",
                "127.0.0.1:" + replicas.get(0).port(), "HA_REGISTRY_B", "127.0.0.1:" + replicas.get(1).port()));
        haproxy = builder.start();
    }

    /**
     * The nodes run as the postgres user, whose Patroni reads docker/ha/patroni.yml and
     * whose PostgreSQL keeps its data under {@code dir}: every folder above it must let
     * others pass (search, not list). A clone in a folder only root may enter (mktemp -d
     * makes one) would leave Patroni without its configuration otherwise.
     */
    private static void letServerUserThrough(Path dir) throws IOException {
        for (Path folder = dir.toAbsolutePath().getParent(); folder != null; folder = folder.getParent()) {
            var permissions = java.util.EnumSet.copyOf(Files.getPosixFilePermissions(folder));
            if (permissions.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                Files.setPosixFilePermissions(folder, permissions);
            }
        }
    }

    private static void chownTree(Path dir) throws IOException {
        var owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVER_USER);
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.setOwner(path, owner);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** SIGTERM, then SIGKILL of what is left after 30 s. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle child : children) {
                try {
                    child.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    child.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
