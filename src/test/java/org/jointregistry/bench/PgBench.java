package org.jointregistry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jointregistry.stack.LocalStack;

/**
 * The database's floor: the same SQL work as an endpoint, run by pgbench as
 * the service's own role (so under the same row-level security) at the same
 * concurrency, with no HTTP, JSON or framework in between.
 */
final class PgBench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: ([0-9]+)");

    private PgBench() {
    }

    static LoadResult run(LocalStack.Postgres pg, String database, String script, int clients, Duration duration,
            Path workDir) throws IOException, InterruptedException {
        Path file = Files.writeString(Files.createTempFile(workDir, "pgbench", ".sql"), script);
        Path log = Files.createTempDirectory(workDir, "pgbench-log");
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-h", pg.host(), "-p",
                Integer.toString(pg.port()), "-U", LocalStack.APP_ROLE, "-c", Integer.toString(clients), "-j", "2",
                "-T", Long.toString(duration.toSeconds()), "-f", file.toString(), "-l", "--log-prefix",
                log.resolve("tx").toString(), database));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", LocalStack.APP_PASSWORD);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("pgbench failed: " + output);
        }
        // Per-transaction log lines: client_id transaction_no latency_us script_no epoch epoch_us
        List<Double> latencies = new ArrayList<>();
        try (var files = Files.list(log)) {
            for (Path f : files.toList()) {
                for (String line : Files.readAllLines(f)) {
                    String latency = line.split(" ")[2];
                    // A failed or skipped transaction has a word there instead ("failed").
                    if (latency.chars().allMatch(Character::isDigit)) {
                        latencies.add(Long.parseLong(latency) / 1000.0);
                    }
                }
            }
        }
        double[] millis = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Matcher tps = TPS.matcher(output);
        Matcher failed = FAILED.matcher(output);
        return new LoadResult(tps.find() ? Double.parseDouble(tps.group(1)) : 0,
                LoadResult.percentile(millis, 50), LoadResult.percentile(millis, 99), millis.length,
                failed.find() ? Long.parseLong(failed.group(1)) : 0);
    }
}
