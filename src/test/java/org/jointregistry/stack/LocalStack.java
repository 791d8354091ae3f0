package org.jointregistry.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Brings up what the registry needs on a developer's machine or in CI, with no
 * Docker: PostgreSQL (the server on 127.0.0.1:5432 when one answers, else an
 * embedded one) and Keycloak (one already serving the realm on :8180, else the
 * distribution from Maven Central started on a Java 21+ runtime found here).
 * Shared by the test suite and the README's run command.
 */
public final class LocalStack {

    public static final String KEYCLOAK_URL = "http://localhost:8180";
    public static final String REALM_URL = KEYCLOAK_URL + "/realms/registry";
    public static final String OWNER_ROLE = "registry_owner";
    public static final String APP_ROLE = "registry_app";
    /**
     * The roles' passwords in the layouts this code starts (a test layout's, like the HA drill's
     * Patroni passwords): strong enough for the production profile (security/ProductionSecrets),
     * which refuses the development values of application.properties. Servers with trust
     * authentication (the local one, the embedded one) do not check them.
     */
    public static final String APP_PASSWORD = "layout-app-password-Zk4q9WcN2vXr7TbY1mHs";
    public static final String OWNER_PASSWORD = "layout-owner-password-Jd8fLp3RgQ6nVw0KcEu";
    /** The change-feed cursor key of the processes this code starts. */
    public static final String CURSOR_SECRET = "layout-cursor-secret-Hx5tMb2WqZ9rNc7LfVa3";
    static final int EMBEDDED_PG_PORT = 54329;
    private static final Duration KEYCLOAK_START_TIMEOUT = Duration.ofMinutes(4);

    private LocalStack() {
    }

    /** A started (or found) service and how to stop it; stopping a found one does nothing. */
    public interface Handle extends AutoCloseable {
        @Override
        void close();
    }

    /** A PostgreSQL server reachable as a superuser. */
    public record Postgres(String host, int port, String adminUser, String adminPassword, boolean embedded,
            Handle handle) {

        public String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }

        public Connection admin(String database) throws SQLException {
            Properties credentials = new Properties();
            credentials.setProperty("user", adminUser);
            credentials.setProperty("password", adminPassword);
            // The driver directly, not DriverManager: under `mvn exec:java` the
            // driver is not visible to DriverManager's class loader.
            Connection connection = new org.postgresql.Driver().connect(jdbcUrl(database), credentials);
            if (connection == null) {
                throw new SQLException("Not a PostgreSQL URL: " + jdbcUrl(database));
            }
            return connection;
        }
    }

    /**
     * The PostgreSQL server at REGISTRY_PG_HOST:REGISTRY_PG_PORT (default
     * 127.0.0.1:5432, superuser REGISTRY_PG_ADMIN_USER / _PASSWORD, default
     * postgres with no password) if it answers, else an embedded one keeping its
     * data in {@code home/name}.
     */
    public static Postgres postgres(Path home, String name) {
        String host = env("REGISTRY_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("REGISTRY_PG_PORT", "5432"));
        String user = env("REGISTRY_PG_ADMIN_USER", "postgres");
        String password = env("REGISTRY_PG_ADMIN_PASSWORD", "");
        Postgres configured = new Postgres(host, port, user, password, false, () -> { });
        try (Connection ignored = configured.admin("postgres")) {
            log("PostgreSQL: using the server on " + host + ":" + port);
            return configured;
        } catch (SQLException e) {
            log("PostgreSQL: nothing usable on " + host + ":" + port + " (" + e.getMessage()
                    + "); starting an embedded server");
        }
        return embeddedPostgres(home, name);
    }

    private static Postgres embeddedPostgres(Path home, String name) {
        Postgres embedded = new Postgres("127.0.0.1", EMBEDDED_PG_PORT, "postgres", "", true, () -> { });
        try (Connection ignored = embedded.admin("postgres")) {
            log("PostgreSQL: reusing the embedded server already running on :" + EMBEDDED_PG_PORT);
            return embedded;
        } catch (SQLException notRunning) {
            Handle server = EmbeddedPostgresServer.start(home, name, EMBEDDED_PG_PORT);
            return new Postgres("127.0.0.1", EMBEDDED_PG_PORT, "postgres", "", true, server);
        }
    }

    /**
     * Creates the registry's roles (an owner that migrates, a service role that
     * owns nothing) and its database, dropping the database first when
     * {@code fresh}. Idempotent.
     */
    public static void prepareDatabase(Postgres pg, String database, boolean fresh) {
        try (Connection admin = pg.admin("postgres"); Statement sql = admin.createStatement()) {
            for (String role : List.of(OWNER_ROLE, APP_ROLE)) {
                String password = role.equals(APP_ROLE) ? APP_PASSWORD : OWNER_PASSWORD;
                sql.execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN "
                        + "CREATE ROLE " + role + " LOGIN NOSUPERUSER NOBYPASSRLS; END IF; END $$");
                // Also for a role an earlier version made with another password: a server that asks
                // for passwords would refuse the service otherwise.
                sql.execute("ALTER ROLE " + role + " PASSWORD '" + password + "'");
            }
            if (fresh) {
                sql.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            boolean exists;
            try (var rs = sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                exists = rs.next();
            }
            if (!exists) {
                sql.execute("CREATE DATABASE " + database + " OWNER " + OWNER_ROLE + " ENCODING 'UTF8'");
                try (Connection db = pg.admin(database); Statement dbSql = db.createStatement()) {
                    // Only the owner creates objects; the service role may not even make its own tables.
                    dbSql.execute("ALTER SCHEMA public OWNER TO " + OWNER_ROLE);
                    dbSql.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prepare database " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Keycloak serving realm "registry" on :8180: reused when one answers, else
     * started from {@code distribution} (the unpacked keycloak-quarkus-dist) with
     * the realm imported afresh from {@code realmFile}.
     */
    public static Handle keycloak(Path distribution, Path realmFile, Path logFile) {
        if (answers(REALM_URL + "/.well-known/openid-configuration")) {
            log("Keycloak: reusing the server already serving realm 'registry' on " + KEYCLOAK_URL);
            return () -> { };
        }
        Path script = distribution.resolve("bin/kc.sh");
        if (!Files.isExecutable(script) && !script.toFile().setExecutable(true)) {
            throw new IllegalStateException("No Keycloak distribution at " + distribution
                    + ": build with Maven first (it unpacks org.keycloak:keycloak-quarkus-dist there).");
        }
        Path javaHome = findJava(21).orElseThrow(() -> new IllegalStateException(
                "Keycloak needs a Java 21+ runtime and none was found: set KEYCLOAK_JAVA_HOME to one."));
        try {
            Path imports = Files.createDirectories(distribution.resolve("data/import"));
            Files.copy(realmFile, imports.resolve("registry-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            deleteTree(distribution.resolve("data/h2")); // import the realm file afresh every start
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(script.toString(), "start-dev", "--http-port=8180",
                    "--import-realm")
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().put("JAVA_HOME", javaHome.toString());
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            log("Keycloak: starting " + distribution.getFileName() + " on Java at " + javaHome + " (log: " + logFile
                    + ")");
            Process process = builder.start();
            Instant deadline = Instant.now().plus(KEYCLOAK_START_TIMEOUT);
            while (!answers(REALM_URL + "/.well-known/openid-configuration")) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    stop(process);
                    throw new IllegalStateException("Keycloak did not start; see " + logFile);
                }
                Thread.sleep(500);
            }
            log("Keycloak: ready on " + KEYCLOAK_URL);
            return () -> stop(process);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Keycloak", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Keycloak", e);
        }
    }

    /**
     * The newest Java runtime of at least {@code minimum}: KEYCLOAK_JAVA_HOME,
     * JAVA_HOME, the running JVM, or one of the usual JDK folders.
     */
    static Optional<Path> findJava(int minimum) {
        Stream<Path> declared = Stream.of(System.getenv("KEYCLOAK_JAVA_HOME"), System.getenv("JAVA_HOME"),
                System.getProperty("java.home")).filter(p -> p != null && !p.isBlank()).map(Path::of);
        Stream<Path> installed = Stream.of("/usr/lib/jvm", "/usr/java", "/opt/java", "/opt",
                System.getProperty("user.home") + "/.sdkman/candidates/java",
                "/Library/Java/JavaVirtualMachines").map(Path::of).filter(Files::isDirectory)
                .flatMap(LocalStack::children)
                .map(p -> Files.isDirectory(p.resolve("Contents/Home")) ? p.resolve("Contents/Home") : p);
        return Stream.concat(declared, installed)
                .filter(home -> Files.isExecutable(home.resolve("bin/java")))
                .filter(home -> javaVersion(home) >= minimum)
                .max(Comparator.comparingInt(LocalStack::javaVersion));
    }

    private static int javaVersion(Path home) {
        Properties release = new Properties();
        try (InputStream in = Files.newInputStream(home.resolve("release"))) {
            release.load(in);
        } catch (IOException e) {
            return 0;
        }
        String version = release.getProperty("JAVA_VERSION", "\"0\"").replace("\"", "");
        String major = version.startsWith("1.") ? version.substring(2) : version;
        try {
            return Integer.parseInt(major.split("[.+-]")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Stream<Path> children(Path dir) {
        try (Stream<Path> list = Files.list(dir)) {
            return list.toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    /** A port nothing listens on now, for a child process to take (the drills run several side by side). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static boolean answers(String url) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static void log(String message) {
        System.out.println("[stack] " + message);
    }
}
