package org.jointregistry.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the soak's requests answered, per kind: counts, latencies, statuses.
 * An error is any answer that its scenario did not ask for (so any status
 * but 2xx and the 304, 409 or 412 that deliberate scenarios provoke), a
 * request with no answer, or a broken promise seen in a good answer (a replay
 * that differs, two updates that both won).
 */
final class RequestTally {

    private final Map<RequestKind, PerKind> kinds = new EnumMap<>(RequestKind.class);
    /** Answers by status class, index status / 100; index 0 counts requests with no answer. */
    private final LongAdder[] byClass = new LongAdder[6];
    private final LongAdder errors = new LongAdder();
    private final Map<String, LongAdder> errorCauses = new ConcurrentHashMap<>();

    RequestTally() {
        for (RequestKind kind : RequestKind.values()) {
            kinds.put(kind, new PerKind());
        }
        Arrays.setAll(byClass, i -> new LongAdder());
    }

    /** A kind's totals over the whole run. */
    record KindTotals(RequestKind kind, long requests, double p50Millis, double p99Millis, double maxMillis,
            long provoked, long errors) {
    }

    private static final class PerKind {
        final LongAdder requests = new LongAdder();
        final LongAdder provoked = new LongAdder();
        final LongAdder errors = new LongAdder();
        private long[] micros = new long[4096];
        private int size;

        synchronized void latency(long nanos) {
            if (size == micros.length) {
                micros = Arrays.copyOf(micros, size * 2);
            }
            micros[size++] = nanos / 1000;
        }

        synchronized double[] sortedMillis() {
            return Arrays.stream(micros, 0, size).sorted().mapToDouble(us -> us / 1000.0).toArray();
        }
    }

    /**
     * One answer ({@code status} 0: none came, {@code cause} says why);
     * {@code wanted} tells whether its scenario expected this status.
     */
    void record(RequestKind kind, long nanos, int status, boolean wanted, String cause) {
        PerKind perKind = kinds.get(kind);
        perKind.requests.increment();
        perKind.latency(nanos);
        byClass[Math.min(status / 100, 5)].increment();
        if (!wanted) {
            error(kind, status == 0 ? "no answer: " + cause : "HTTP " + status + " " + cause);
        } else if (status >= 300) {
            perKind.provoked.increment();
        }
    }

    /** A failure that no status shows, or an unwanted status. */
    void error(RequestKind kind, String cause) {
        kinds.get(kind).errors.increment();
        errors.increment();
        errorCauses.computeIfAbsent(kind.label + ": " + cause, c -> new LongAdder()).increment();
    }

    long requests() {
        return kinds.values().stream().mapToLong(k -> k.requests.sum()).sum();
    }

    long errors() {
        return errors.sum();
    }

    /** Answers so far by status class: [no answer, 1xx, 2xx, 3xx, 4xx, 5xx]. */
    long[] byClass() {
        return Arrays.stream(byClass).mapToLong(LongAdder::sum).toArray();
    }

    Map<String, Long> errorCauses() {
        Map<String, Long> causes = new LinkedHashMap<>();
        errorCauses.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().sum(), a.getValue().sum()))
                .forEach(e -> causes.put(e.getKey(), e.getValue().sum()));
        return causes;
    }

    KindTotals totals(RequestKind kind) {
        PerKind perKind = kinds.get(kind);
        double[] millis = perKind.sortedMillis();
        return new KindTotals(kind, perKind.requests.sum(), LoadResult.percentile(millis, 50),
                LoadResult.percentile(millis, 99), millis.length == 0 ? Double.NaN : millis[millis.length - 1],
                perKind.provoked.sum(), perKind.errors.sum());
    }
}
