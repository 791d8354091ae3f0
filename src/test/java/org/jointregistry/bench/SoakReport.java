package org.jointregistry.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The soak's findings and verdict, as Markdown. The verdict's rules:
 * <ul>
 * <li>zero errors: no unwanted status (anything but 2xx and the 304, 409 and
 * 412 that deliberate scenarios provoke), no request without an answer, no
 * broken promise (replay, racing updates), no acknowledged write missing;
 * <li>flat memory: in the last minute, the highest RSS and the heap after a
 * full collection are within {@value #MEMORY_TOLERANCE_PERCENT}% of minute 2's
 * (minute 1 is the warm-up: JIT, pools, caches filling);
 * <li>no connection growth: the service's PostgreSQL sessions stay below the
 * pool's maximum (the load keeps far fewer requests in flight), and the last
 * minute sets no new high: a connection that is never given back stays
 * open, so leaks make the count climb to the end, while the pool's own
 * growth (one more connection whenever all are busy) levels off early.
 * </ul>
 * Memory and connections are judged on runs of 3 minutes or more.
 */
final class SoakReport {

    static final int MEMORY_TOLERANCE_PERCENT = 10;
    /** quarkus.datasource.jdbc.max-size, in application.properties. */
    static final int POOL_MAX = 20;
    private static final int MINUTES_TO_JUDGE = 3;

    /** The database's view of the run's writes. */
    record Integrity(long acknowledged, long updated, long missing, long behind, long writtenDuringRun) {
    }

    /** How the soak ran. */
    record Settings(Duration duration, int workers, int incidents, String jvmOptions) {
    }

    /** The samples of one minute, summed up. */
    private record Minute(int minute, double rssMax, double heapMax, double postGcHeap, int threadsMax,
            int sessionsMax, int activeMax, double serviceCpu, double requestsPerSecond, long errors) {
    }

    private final RequestTally tally;
    private final List<ServiceSampler.Sample> samples;
    private final Integrity integrity;
    private final long tokenRenewals;
    private final long identityProviderFailures;
    private final Settings settings;
    private final List<Minute> minutes;

    SoakReport(RequestTally tally, List<ServiceSampler.Sample> samples, Integrity integrity, long tokenRenewals,
            long identityProviderFailures, Settings settings) {
        this.tally = tally;
        this.samples = samples;
        this.integrity = integrity;
        this.tokenRenewals = tokenRenewals;
        this.identityProviderFailures = identityProviderFailures;
        this.settings = settings;
        this.minutes = minutes(samples);
    }

    private static List<Minute> minutes(List<ServiceSampler.Sample> samples) {
        List<Minute> minutes = new ArrayList<>();
        long requestsBefore = 0;
        long errorsBefore = 0;
        int last = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).minute();
        for (int m = 1; m <= last; m++) {
            int minute = m;
            List<ServiceSampler.Sample> in = samples.stream().filter(s -> s.minute() == minute).toList();
            if (in.isEmpty()) {
                continue;
            }
            ServiceSampler.Sample end = in.get(in.size() - 1);
            int seconds = end.second() - (minute - 1) * 60;
            minutes.add(new Minute(minute, in.stream().mapToDouble(ServiceSampler.Sample::rssMb).max().orElse(0),
                    in.stream().mapToDouble(ServiceSampler.Sample::heapMb).max().orElse(0), end.postGcHeapMb(),
                    in.stream().mapToInt(ServiceSampler.Sample::threads).max().orElse(0),
                    in.stream().mapToInt(ServiceSampler.Sample::sessions).max().orElse(0),
                    in.stream().mapToInt(ServiceSampler.Sample::activeSessions).max().orElse(0),
                    in.stream().mapToDouble(ServiceSampler.Sample::serviceCpu).average().orElse(0),
                    (double) (end.requests() - requestsBefore) / seconds, end.errors() - errorsBefore));
            requestsBefore = end.requests();
            errorsBefore = end.errors();
        }
        return minutes;
    }

    private boolean judged() {
        return minutes.size() >= MINUTES_TO_JUDGE;
    }

    private boolean errorFree() {
        return tally.errors() == 0 && integrity.missing() == 0 && integrity.behind() == 0;
    }

    private boolean memoryFlat() {
        Minute second = minutes.get(1);
        Minute last = minutes.get(minutes.size() - 1);
        return within(last.rssMax(), second.rssMax()) && within(last.postGcHeap(), second.postGcHeap());
    }

    private static boolean within(double last, double reference) {
        return last <= reference * (100 + MEMORY_TOLERANCE_PERCENT) / 100;
    }

    private boolean connectionsSteady() {
        return maxSessions() < POOL_MAX && minutes.get(minutes.size() - 1).sessionsMax() <= highestBefore();
    }

    /** The most sessions seen before the last minute. */
    private int highestBefore() {
        return minutes.subList(0, minutes.size() - 1).stream().mapToInt(Minute::sessionsMax).max().orElse(0);
    }

    private int maxSessions() {
        return samples.stream().mapToInt(ServiceSampler.Sample::sessions).max().orElse(0);
    }

    boolean passed() {
        return errorFree() && (!judged() || memoryFlat() && connectionsSteady());
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Soak: %s of mixed load, %s\n\n".formatted(minutesText(settings.duration()),
                passed() ? "PASS" : "FAIL"));
        md.append(verdict()).append("\n\n");
        md.append(("%s. %,d incidents preloaded (demo proportions), five organisations; %d workers, each sending its "
                + "next request as soon as the last one is answered; service JVM `%s`; %d cores, the load generator "
                + "on the same machine. Token renewals seen: %d; identity provider failures: %d.%n%n").formatted(
                        Instant.now().truncatedTo(ChronoUnit.SECONDS), settings.incidents(), settings.workers(),
                        settings.jvmOptions(), Runtime.getRuntime().availableProcessors(), tokenRenewals,
                        identityProviderFailures));
        requests(md);
        errors(md);
        overTime(md);
        md.append("\n## Integrity\n\n").append(("%,d incidents acknowledged (201, alone or in batches), %,d of them "
                + "also updated (200): %,d missing, %,d behind their last acknowledged version. Incidents written "
                + "during the run in all: %,d (%s).%n").formatted(integrity.acknowledged(), integrity.updated(),
                        integrity.missing(), integrity.behind(), integrity.writtenDuringRun(),
                        integrity.writtenDuringRun() == integrity.acknowledged()
                                ? "as many as acknowledged: no write without its answer, no replay wrote again"
                                : "not as many as acknowledged: see the errors without an answer"));
        everySample(md);
        return md.toString();
    }

    private String verdict() {
        long requests = tally.requests();
        String errors = errorFree() ? "zero errors in %,d requests".formatted(requests)
                : "%,d errors in %,d requests, %,d acknowledged incidents missing, %,d behind".formatted(
                        tally.errors(), requests, integrity.missing(), integrity.behind());
        if (!judged()) {
            return "**Verdict: %s**: %s; memory and connections not judged (run of less than %d minutes).".formatted(
                    passed() ? "PASS" : "FAIL", errors, MINUTES_TO_JUDGE);
        }
        Minute second = minutes.get(1);
        Minute last = minutes.get(minutes.size() - 1);
        return ("**Verdict: %s**: %s; memory %s (RSS %.0f MB in minute 2, %.0f MB in the last; heap after full GC "
                + "%.0f MB, %.0f MB; slope from minute 2 on %+.1f MB/min); connections %s (PostgreSQL sessions: at most %d in "
                + "minute 2, %d before the last minute, %d in the last; at most %d requests in flight; pool maximum "
                + "%d).").formatted(
                        passed() ? "PASS" : "FAIL", errors, memoryFlat() ? "flat" : "GROWING", second.rssMax(),
                        last.rssMax(), second.postGcHeap(), last.postGcHeap(), postGcSlope(),
                        connectionsSteady() ? "steady" : "GROWING",
                        second.sessionsMax(), highestBefore(), last.sessionsMax(),
                        MixedLoad.mostInFlight(settings.workers()), POOL_MAX);
    }

    /** Least-squares slope of the heap after full GC, minute 2 to the end. */
    private double postGcSlope() {
        List<Minute> steady = minutes.subList(1, minutes.size());
        double meanX = steady.stream().mapToInt(Minute::minute).average().orElse(0);
        double meanY = steady.stream().mapToDouble(Minute::postGcHeap).average().orElse(0);
        double covariance = steady.stream().mapToDouble(m -> (m.minute() - meanX) * (m.postGcHeap() - meanY)).sum();
        double variance = steady.stream().mapToDouble(m -> (m.minute() - meanX) * (m.minute() - meanX)).sum();
        return variance == 0 ? 0 : covariance / variance;
    }

    private void requests(StringBuilder md) {
        md.append("## Requests\n\n| request | count | rate | p50 | p99 | max | provoked 304/409/412 | errors |\n"
                + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        double seconds = settings.duration().toSeconds();
        for (RequestKind kind : RequestKind.values()) {
            RequestTally.KindTotals t = tally.totals(kind);
            if (t.requests() > 0) {
                md.append(String.format(Locale.ROOT, "| %s | %,d | %.1f/s | %s | %s | %s | %,d | %,d |%n",
                        kind.label, t.requests(), t.requests() / seconds, ms(t.p50Millis()), ms(t.p99Millis()),
                        ms(t.maxMillis()), t.provoked(), t.errors()));
            }
        }
        long[] byClass = tally.byClass();
        md.append(String.format(Locale.ROOT, "| **all** | **%,d** | **%.1f/s** | | | | | **%,d** |%n%n"
                + "Answers by class: %,d 2xx, %,d 3xx, %,d 4xx, %,d 5xx, %,d without an answer.%n",
                tally.requests(), tally.requests() / seconds, tally.errors(), byClass[2], byClass[3], byClass[4],
                byClass[5], byClass[0]));
    }

    private void errors(StringBuilder md) {
        Map<String, Long> causes = tally.errorCauses();
        if (!causes.isEmpty()) {
            md.append("\n## Errors by cause\n\n| request: cause | count |\n| --- | ---: |\n");
            causes.forEach((cause, count) -> md.append("| %s | %,d |%n".formatted(cause, count)));
        }
    }

    private void overTime(StringBuilder md) {
        md.append("\n## The service, minute by minute\n\n| minute | RSS max | heap max | heap after full GC | "
                + "live threads max | PostgreSQL sessions max (active) | service CPU | requests/s | errors |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Minute m : minutes) {
            md.append(String.format(Locale.ROOT, "| %d | %.0f MB | %.0f MB | %.0f MB | %d | %d (%d) | %.0f%% | %.1f "
                    + "| %,d |%n", m.minute(), m.rssMax(), m.heapMax(), m.postGcHeap(), m.threadsMax(),
                    m.sessionsMax(), m.activeMax(), m.serviceCpu(), m.requestsPerSecond(), m.errors()));
        }
        md.append(String.format(Locale.ROOT, "| **max** | %.0f MB | %.0f MB | %.0f MB | %d | %d (%d) | | | |%n%n",
                minutes.stream().mapToDouble(Minute::rssMax).max().orElse(0),
                minutes.stream().mapToDouble(Minute::heapMax).max().orElse(0),
                minutes.stream().mapToDouble(Minute::postGcHeap).max().orElse(0),
                minutes.stream().mapToInt(Minute::threadsMax).max().orElse(0), maxSessions(),
                minutes.stream().mapToInt(Minute::activeMax).max().orElse(0)));
        md.append("Service CPU is in % of one core (" + Runtime.getRuntime().availableProcessors()
                + " cores in all). The heap after full GC is read at each minute's end, right after the soak asks "
                + "the service for a full collection (`jcmd PID GC.run`).\n");
    }

    private void everySample(StringBuilder md) {
        md.append("\n## Every sample\n\n| t | RSS | heap | heap after full GC | threads | PostgreSQL sessions "
                + "(active) | service CPU | load generator CPU | load average | requests | errors |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (ServiceSampler.Sample s : samples) {
            md.append(String.format(Locale.ROOT, "| %d s | %.0f MB | %.0f MB | %s | %d | %d (%d) | %.0f%% | %.0f%% | "
                    + "%.1f | %,d | %,d |%n", s.second(), s.rssMb(), s.heapMb(),
                    Double.isNaN(s.postGcHeapMb()) ? "" : "%.0f MB".formatted(s.postGcHeapMb()), s.threads(),
                    s.sessions(), s.activeSessions(), s.serviceCpu(), s.driverCpu(), s.loadAverage(), s.requests(),
                    s.errors()));
        }
    }

    private static String minutesText(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds == 60 ? "1 minute" : seconds % 60 == 0 ? seconds / 60 + " minutes" : seconds + " s";
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "" : String.format(Locale.ROOT, millis < 10 ? "%.1f ms" : "%.0f ms", millis);
    }
}
