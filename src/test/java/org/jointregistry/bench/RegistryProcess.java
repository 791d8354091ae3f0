package org.jointregistry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jointregistry.stack.LocalStack;

/** The packaged registry started as a separate process in its production profile. */
final class RegistryProcess implements AutoCloseable {

    static final String URL = "http://localhost:8080";

    private final Process process;
    final Duration startUp;

    private RegistryProcess(Process process, Duration startUp) {
        this.process = process;
        this.startUp = startUp;
    }

    /** Starts the jar with {@code jvmOptions} and waits until /q/health/ready is UP. */
    static RegistryProcess start(Path build, String jdbcUrl, Path log, String... jvmOptions)
            throws IOException, InterruptedException {
        if (LocalStack.answers(URL + "/q/health/live")) {
            throw new IllegalStateException("Something already listens on " + URL + ": stop it first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", build.resolve("quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("REGISTRY_DB_URL", jdbcUrl);
        builder.environment().put("REGISTRY_OIDC_URL", LocalStack.REALM_URL);
        Files.createDirectories(log.getParent());
        Instant started = Instant.now();
        Process process = builder.start();
        while (!LocalStack.answers(URL + "/q/health/ready")) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The registry exited; see " + log);
            }
            Thread.sleep(20);
        }
        return new RegistryProcess(process, Duration.between(started, Instant.now()));
    }

    /** Resident set size in MB, from /proc. */
    double residentMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
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
}
