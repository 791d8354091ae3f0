package org.jointregistry.ha;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jointregistry.faults.DrillHttp;
import org.jointregistry.faults.DrillHttp.Outcome;

/**
 * The rest of the drill's mixed load, beside the creates and batches of
 * {@link org.jointregistry.faults.WriteLoad}: an editor that changes one
 * incident per organisation in turn (JSON merge patch under If-Match), and a
 * reader of the shared aggregates. An edit that got no acknowledgement is
 * settled as a careful client would: read the incident again; if the change
 * is there it was committed, else send it again on the version just read.
 */
final class EditAndReadLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PAUSE_MILLIS = 100;

    /** A request of the editor or the reader and what it got; {@code write} for edits. */
    record Request(boolean write, Outcome outcome) {
    }

    /** An acknowledged aggregate read: when it was sent (wall clock) and the X-Data-As-Of it answered. */
    record FigureRead(Instant sent, Instant received, String dataAsOf) {
    }

    private final DrillHttp http;
    private final Map<String, String> tokens;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<FigureRead> figureReads = new CopyOnWriteArrayList<>();
    /** Incident id by organisation, and the officer count its last acknowledged edit set. */
    private final Map<String, String> incidents = new ConcurrentHashMap<>();
    private final Map<String, Integer> acknowledgedValues = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    /** {@code tokens}: the current token per organisation (the caller keeps them fresh). */
    EditAndReadLoad(DrillHttp http, Map<String, String> tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    /** Creates the incident each organisation's edits change, then starts the editor and the reader. */
    void start() {
        for (String organization : tokens.keySet()) {
            Outcome created = http.post("/api/v1/incidents", tokens.get(organization), UUID.randomUUID().toString(),
                    DrillHttp.incident("ha-edit-" + organization));
            if (created.status() != 201) {
                throw new IllegalStateException("Could not create the incident to edit: " + created.describe());
            }
            incidents.put(organization, field(created, "id").asText());
        }
        threads.add(new Thread(this::edit, "ha-editor"));
        threads.add(new Thread(this::read, "ha-aggregate-reader"));
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    void stop() throws InterruptedException {
        stopping = true;
        for (Thread thread : threads) {
            thread.join(DrillHttp.REQUEST_TIMEOUT.toMillis() * 3);
            if (thread.isAlive()) {
                throw new AssertionError(thread.getName() + " still waits for an answer after the request timeout");
            }
        }
    }

    List<Request> requests() {
        return requests;
    }

    List<FigureRead> figureReads() {
        return figureReads;
    }

    /** Incident id by organisation. */
    Map<String, String> incidents() {
        return incidents;
    }

    /** The officer count each incident's last acknowledged (or found committed) edit set, by incident id. */
    Map<String, Integer> acknowledgedValues() {
        return acknowledgedValues;
    }

    private void edit() {
        List<String> organizations = List.copyOf(incidents.keySet());
        for (int sequence = 0; !stopping; sequence++) {
            String organization = organizations.get(sequence % organizations.size());
            String id = incidents.get(organization);
            int value = 1 + sequence % 400;
            String path = "/api/v1/incidents/" + id;
            while (!stopping) {
                Outcome current = record(false, http.get(path, tokens.get(organization)));
                if (current.acknowledged()) {
                    if (field(current, "officerCount").asInt() == value) {
                        acknowledgedValues.put(id, value); // an earlier try was committed, its answer lost
                        break;
                    }
                    Outcome patched = record(true, http.patch(path, tokens.get(organization), "\""
                            + field(current, "version").asInt() + "\"", "{\"officerCount\":" + value + "}"));
                    if (patched.acknowledged()) {
                        acknowledgedValues.put(id, value);
                        break;
                    }
                }
                pause();
            }
        }
    }

    private void read() {
        List<String> organizations = List.copyOf(tokens.keySet());
        for (int sequence = 0; !stopping; sequence++) {
            Instant sent = Instant.now();
            Outcome read = record(false, http.get("/api/v1/aggregates/summary", tokens.get(organizations.get(sequence
                    % organizations.size()))));
            if (read.acknowledged()) {
                figureReads.add(new FigureRead(sent, Instant.now(), read.dataAsOf()));
            }
            pause();
        }
    }

    private Outcome record(boolean write, Outcome outcome) {
        requests.add(new Request(write, outcome));
        return outcome;
    }

    private static JsonNode field(Outcome outcome, String name) {
        try {
            return JSON.readTree(outcome.body()).path(name);
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable answer: " + outcome.describe(), e);
        }
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }
}
