package org.jointregistry.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.jointregistry.faults.DrillHttp.Outcome;

/**
 * Writer threads that behave as careful partner tools: each write carries an
 * Idempotency-Key and unique externalIds, and a write that was not
 * acknowledged is sent again, same key and body, until it is or the load
 * stops. Half of the writers send single incidents, half batches.
 */
public final class WriteLoad {

    public static final int BATCH_SIZE = 1000;
    /** Sooner than Retry-After asks: the drill probes the outage rather than waiting it out. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

    /** One logical write: a single incident or a batch, by its externalIds. */
    public record Write(String organization, String key, String externalIdPrefix, boolean batch) {

        public List<String> externalIds() {
            return batch ? IntStream.range(0, BATCH_SIZE).mapToObj(i -> externalIdPrefix + i).toList()
                    : List.of(externalIdPrefix);
        }
    }

    /** A request of a write and what it got. */
    public record Attempt(Write write, Outcome outcome) {
    }

    private final DrillHttp http;
    private final Map<String, String> tokens;
    private final List<Thread> writers = new ArrayList<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final List<Write> acknowledged = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> lastAcknowledgedAt = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** {@code tokens}: a token per organisation, writer {@code i} writes for the {@code i % n}-th. */
    public WriteLoad(DrillHttp http, Map<String, String> tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    public void start(int singleWriters, int batchWriters) {
        List<String> organizations = List.copyOf(tokens.keySet());
        for (int w = 0; w < singleWriters + batchWriters; w++) {
            int writer = w;
            boolean batch = w >= singleWriters;
            String organization = organizations.get(w % organizations.size());
            Thread thread = new Thread(() -> write(writer, organization, batch), "drill-writer-" + w);
            thread.setDaemon(true);
            writers.add(thread);
            thread.start();
        }
    }

    /** Lets every in-flight request finish (each is bounded by the request timeout), then returns. */
    public void stop() throws InterruptedException {
        stopping = true;
        for (Thread writer : writers) {
            writer.join(DrillHttp.REQUEST_TIMEOUT.toMillis() + 5_000);
            if (writer.isAlive()) {
                throw new AssertionError(writer.getName() + " still waits for an answer after the request timeout");
            }
        }
    }

    /** True once every writer has had a write acknowledged that it sent after {@code nanos}. */
    public boolean everyWriterAcknowledgedSince(long nanos) {
        return IntStream.range(0, writers.size()).allMatch(w -> lastAcknowledgedAt.getOrDefault(w, 0L) > nanos);
    }

    public List<Attempt> attempts() {
        return attempts;
    }

    public List<Write> acknowledged() {
        return acknowledged;
    }

    /** Every write sent at least once, acknowledged or not. */
    public List<Write> sent() {
        return attempts.stream().map(Attempt::write).distinct().toList();
    }

    private void write(int writer, String organization, boolean batch) {
        String path = batch ? "/api/v1/incidents/batch" : "/api/v1/incidents";
        for (int sequence = 0; !stopping; sequence++) {
            Write write = new Write(organization, UUID.randomUUID().toString(),
                    "drill-" + writer + "-" + sequence + (batch ? "-" : ""), batch);
            String body = batch ? DrillHttp.batch(write.externalIdPrefix(), BATCH_SIZE)
                    : DrillHttp.incident(write.externalIdPrefix());
            while (!stopping) {
                Outcome outcome = http.post(path, tokens.get(organization), write.key(), body);
                attempts.add(new Attempt(write, outcome));
                if (outcome.acknowledged()) {
                    acknowledged.add(write);
                    lastAcknowledgedAt.put(writer, outcome.startedNanos());
                    break;
                }
                pause();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
