package org.jointregistry.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jointregistry.atrest.RegistryMain;
import org.jointregistry.stack.LocalStack;

/**
 * The packaged registry started as a separate process in its production
 * profile; the benchmark, the soak and the fault drills run it this way.
 */
public final class RegistryProcess implements AutoCloseable {

    /** Where the benchmark's registry listens. */
    static final String URL = "http://localhost:8080";
    /** Far beyond a normal start (seconds, migrations included): a start that takes longer has failed. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Process process;
    private final String url;
    final Duration startUp;

    private RegistryProcess(Process process, String url, Duration startUp) {
        this.process = process;
        this.url = url;
        this.startUp = startUp;
    }

    /**
     * Budgets and caps that the benchmark's, soak's and drills' closed-loop
     * loads never reach (they would reach the production ones within seconds
     * and measure refusals): every request is still drawn and admitted, so the
     * cost of the checks is in every figure; RateLimitTest and BoundedCostTest
     * cover the refusals. An environment given to {@link #start} overrides them.
     */
    static final Map<String, String> UNREACHED_LIMITS = Map.of(
            "REGISTRY_LIMITS_WRITES_ORGANIZATION", "100000000", "REGISTRY_LIMITS_WRITES_CLIENT", "100000000",
            "REGISTRY_LIMITS_READS_ORGANIZATION", "100000000", "REGISTRY_LIMITS_READS_CLIENT", "100000000",
            "REGISTRY_LIMITS_AGGREGATES_ORGANIZATION", "100000000", "REGISTRY_LIMITS_AGGREGATES_CLIENT", "100000000",
            "REGISTRY_LIMITS_EXPENSIVE_PER_ORGANIZATION", "1000", "REGISTRY_LIMITS_EXPENSIVE_OVERALL", "1000");

    /** Starts the jar on port 8080 against the local Keycloak; see {@link #start(Path, int, Map, Path, String...)}. */
    static RegistryProcess start(Path build, String jdbcUrl, Path log, String... jvmOptions)
            throws IOException, InterruptedException {
        return start(build, 8080, Map.of("REGISTRY_DB_URL", jdbcUrl, "REGISTRY_OIDC_URL", LocalStack.REALM_URL), log,
                jvmOptions);
    }

    /**
     * Starts {@code build}/quarkus-app/quarkus-run.jar on {@code port} with
     * {@code environment} (REGISTRY_DB_URL, REGISTRY_OIDC_URL, ...) and
     * {@code jvmOptions}, and waits until /q/health/ready is UP (at most
     * three minutes: then it stops the process and fails).
     */
    public static RegistryProcess start(Path build, int port, Map<String, String> environment, Path log,
            String... jvmOptions) throws IOException, InterruptedException {
        String url = "http://localhost:" + port;
        if (LocalStack.answers(url + "/q/health/live")) {
            throw new IllegalStateException("Something already listens on " + url + ": stop it first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", build.resolve("quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(UNREACHED_LIMITS);
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        // The production profile refuses to start without strong secrets and a key-encryption key;
        // every process of one build (the HA drill's two replicas among them) shares these.
        Map<String, String> secrets = Map.of("REGISTRY_MASTER_KEY_FILE", masterKeyFile(build).toString(),
                "REGISTRY_DB_APP_PASSWORD", LocalStack.APP_PASSWORD, "REGISTRY_DB_OWNER_PASSWORD",
                LocalStack.OWNER_PASSWORD, "REGISTRY_SYNC_CURSOR_SECRET", LocalStack.CURSOR_SECRET);
        secrets.forEach((name, value) -> {
            if (!environment.containsKey(name)) {
                builder.environment().put(name, value);
            }
        });
        Files.createDirectories(log.getParent());
        Instant started = Instant.now();
        Process process = builder.start();
        Instant deadline = started.plus(START_TIMEOUT);
        while (!LocalStack.answers(url + "/q/health/ready")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The registry exited; see " + log);
            }
            if (Instant.now().isAfter(deadline)) {
                process.destroyForcibly();
                throw new IllegalStateException("The registry was not ready within " + START_TIMEOUT + "; see " + log);
            }
            Thread.sleep(20);
        }
        return new RegistryProcess(process, url, Duration.between(started, Instant.now()));
    }

    /** The base URL, http://localhost:port. */
    public String url() {
        return url;
    }

    /** The operating system's process id, for signals and /proc. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Resident set size in MB, from /proc. */
    public double residentMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** Kills the process at once (SIGKILL), as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The build's key-encryption key file for child processes, generated by the service's own command. */
    static synchronized Path masterKeyFile(Path build) throws IOException {
        Path file = build.resolve("child-master-key.json").toAbsolutePath();
        if (!Files.exists(file)) {
            try {
                RegistryMain.main("generate-master-key", file.toString());
            } catch (Exception e) {
                throw new IOException("Cannot generate " + file, e);
            }
        }
        return file;
    }

    /** How a packaged service run to its end ended: its exit code and everything it printed. */
    public record Ended(int exitCode, String output) {
    }

    /**
     * Runs the packaged service in its production profile with {@code args}
     * (a key command, or none to serve) and waits for it to exit; only
     * {@code environment} reaches it of the REGISTRY_ variables.
     */
    public static Ended runToEnd(Path build, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", build.resolve("quarkus-app/quarkus-run.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("REGISTRY_"));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", "0");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // readAllBytes returns at the process's end; the bound only guards one that would serve or hang.
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("The registry did not end:\n" + output);
        }
        return new Ended(process.exitValue(), output);
    }

    /** The production settings of {@link #start}, for a service on {@code database} with that key file. */
    public static Map<String, String> productionEnvironment(LocalStack.Postgres pg, String database, Path key) {
        return new HashMap<>(Map.of("REGISTRY_DB_URL", pg.jdbcUrl(database), "REGISTRY_OIDC_URL",
                LocalStack.REALM_URL, "REGISTRY_SYNC_CURSOR_SECRET", LocalStack.CURSOR_SECRET,
                "REGISTRY_DB_APP_PASSWORD", LocalStack.APP_PASSWORD, "REGISTRY_DB_OWNER_PASSWORD",
                LocalStack.OWNER_PASSWORD, "REGISTRY_MASTER_KEY_FILE", key.toAbsolutePath().toString()));
    }
}
