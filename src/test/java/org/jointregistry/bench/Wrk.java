package org.jointregistry.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (HTTP load at fixed concurrency) and reads its summary. */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("([0-9]+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile(
            "Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");

    private Wrk() {
    }

    /**
     * Loads {@code url} with {@code connections} connections for {@code duration};
     * {@code script} (a Lua file under src/test/resources/bench) shapes the requests.
     */
    static LoadResult run(String url, String token, int connections, Duration duration, Path script, String... env)
            throws IOException, InterruptedException {
        // A loaded machine can take more than wrk's default 2 s: a slow answer is a latency, not a failure.
        List<String> command = new ArrayList<>(List.of("wrk", "--latency", "--timeout", "30s", "-t", "2", "-c",
                Integer.toString(connections), "-d", duration.toSeconds() + "s", "-H", "Authorization: Bearer " + token));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(url);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        for (int i = 0; i + 1 < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        long failures = find(NON_2XX, output).map(Long::parseLong).orElse(0L);
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                failures += Long.parseLong(socket.group(g));
            }
        }
        return new LoadResult(Double.parseDouble(find(RATE, output).orElse("0")), latency(output, "50%"),
                latency(output, "99%"), Long.parseLong(find(TOTAL, output).orElse("0")), failures);
    }

    private static java.util.Optional<String> find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    /** wrk prints "  99%   12.34ms" (or us / s) under "Latency Distribution". */
    private static double latency(String output, String percentile) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\s*$",
                Pattern.MULTILINE).matcher(output);
        if (!m.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
