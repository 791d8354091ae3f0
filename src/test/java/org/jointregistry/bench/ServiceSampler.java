package org.jointregistry.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jointregistry.stack.LocalStack;

/**
 * Watches the service while the soak runs: every interval its resident memory
 * (/proc), heap and live threads (its own /q/metrics), CPU, and PostgreSQL
 * sessions (pg_stat_activity, the service's role on the soak's database; client
 * backends only, as the parallel workers of an aggregate query show there too
 * under the same role, without being connections), with
 * the load's requests and errors; once a minute also the heap right after a
 * full collection that the sampler asks for (jcmd GC.run), the one heap figure
 * that a leak moves and garbage does not.
 */
final class ServiceSampler {

    /** One sample; {@code postGcHeapMb} is NaN except at the end of each minute. */
    record Sample(int second, double rssMb, double heapMb, double postGcHeapMb, int threads, int sessions,
            int activeSessions, double serviceCpu, double driverCpu, double loadAverage, long requests,
            long errors, long[] byClass) {

        int minute() {
            return (second + 59) / 60;
        }
    }

    private static final double CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux
    private static final Path SELF = Path.of("/proc/self/stat");

    private final RegistryProcess registry;
    private final LocalStack.Postgres pg;
    private final String database;
    private final RequestTally tally;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** CPU clock ticks at the previous sample, the service's and the load generator's own. */
    private double serviceTicks;
    private double driverTicks;

    ServiceSampler(RegistryProcess registry, LocalStack.Postgres pg, String database, RequestTally tally) {
        this.registry = registry;
        this.pg = pg;
        this.database = database;
        this.tally = tally;
    }

    /** Samples every {@code interval} until {@code duration} has passed, printing each sample as it comes. */
    List<Sample> run(Duration duration, Duration interval) throws Exception {
        List<Sample> samples = new ArrayList<>();
        int perMinute = (int) Math.max(1, 60 / interval.toSeconds());
        long count = duration.toSeconds() / interval.toSeconds();
        System.out.println("[soak]     t   RSS MB  heap MB  post-GC  threads  PG sessions (active)  service CPU  "
                + "driver CPU  load  req/s  errors  no-answer/2xx/3xx/4xx/5xx");
        try (Connection admin = pg.admin(database); PreparedStatement sessions = admin.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE state = 'active') FROM pg_stat_activity "
                        + "WHERE datname = ? AND usename = ? AND backend_type = 'client backend'")) {
            sessions.setString(1, database);
            sessions.setString(2, LocalStack.APP_ROLE);
            long start = System.nanoTime();
            serviceTicks = ticks(procStat(registry.pid()));
            driverTicks = ticks(SELF);
            Sample previous = null;
            for (int i = 1; i <= count; i++) {
                long due = start + i * interval.toNanos();
                TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
                double postGc = i % perMinute == 0 ? postGcHeap() : Double.NaN;
                Sample sample = sample((int) (i * interval.toSeconds()), postGc, sessions, interval);
                print(sample, previous, interval);
                samples.add(sample);
                previous = sample;
            }
        }
        return samples;
    }

    private Sample sample(int second, double postGcHeap, PreparedStatement sessions, Duration interval) throws IOException, InterruptedException, SQLException {
        String metrics = metrics();
        int all;
        int active;
        try (ResultSet rs = sessions.executeQuery()) {
            rs.next();
            all = rs.getInt(1);
            active = rs.getInt(2);
        }
        double service = ticks(procStat(registry.pid()));
        double driver = ticks(SELF);
        double seconds = interval.toSeconds();
        Sample sample = new Sample(second, registry.residentMegabytes(), heapMegabytes(metrics), postGcHeap,
                (int) metric(metrics, "jvm_threads_live_threads"), all, active,
                100 * (service - serviceTicks) / CLOCK_TICKS_PER_SECOND / seconds,
                100 * (driver - driverTicks) / CLOCK_TICKS_PER_SECOND / seconds, loadAverage(), tally.requests(),
                tally.errors(), tally.byClass());
        serviceTicks = service;
        driverTicks = driver;
        return sample;
    }

    private static void print(Sample s, Sample previous, Duration interval) {
        long requests = s.requests() - (previous == null ? 0 : previous.requests());
        long[] classes = s.byClass().clone();
        for (int c = 0; previous != null && c < classes.length; c++) {
            classes[c] -= previous.byClass()[c];
        }
        System.out.printf(Locale.ROOT, "[soak] %5d %8.0f %8.0f %8s %8d %7d (%2d)        %8.0f%%  %9.0f%%  %4.1f %6.0f "
                + "%7d  %d/%d/%d/%d/%d%n", s.second(), s.rssMb(), s.heapMb(),
                Double.isNaN(s.postGcHeapMb()) ? "" : "%.0f".formatted(s.postGcHeapMb()), s.threads(), s.sessions(),
                s.activeSessions(), s.serviceCpu(), s.driverCpu(), s.loadAverage(),
                (double) requests / interval.toSeconds(), s.errors(), classes[0], classes[2], classes[3], classes[4],
                classes[5]);
    }

    /** A full collection, then the heap in use: what survives is what the service holds on to. */
    private double postGcHeap() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd",
                Long.toString(registry.pid()), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (gc.waitFor() != 0) {
            return Double.NaN;
        }
        return heapMegabytes(metrics());
    }

    private String metrics() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(registry.url() + "/q/metrics"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The sum of jvm_memory_used_bytes over the heap's pools. */
    private static double heapMegabytes(String metrics) {
        return metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(ServiceSampler::value).sum() / (1024 * 1024);
    }

    private static double metric(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(ServiceSampler::value).findFirst().orElse(Double.NaN);
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    private static Path procStat(long pid) {
        return Path.of("/proc", Long.toString(pid), "stat");
    }

    /** User plus system CPU time of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static double ticks(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        return Double.parseDouble(fields[11]) + Double.parseDouble(fields[12]);
    }

    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
