package org.jointregistry.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * The kinds of request the soak sends, named as its report names them, with
 * their weight in the mix (out of about 100 requests).
 */
enum RequestKind {
    READ_BY_ID("GET /incidents/{id}", 28),
    CONDITIONAL_READ("GET /incidents/{id}, If-None-Match current (304)", 4),
    LIST("GET /incidents?filter, 50 a page", 14),
    CREATE("POST /incidents", 14),
    DUPLICATE_EXTERNAL_ID("POST /incidents, externalId taken (409)", 1),
    UPDATE("PATCH /incidents/{id}, If-Match", 10),
    STALE_UPDATE("PATCH /incidents/{id}, stale If-Match (412)", 1),
    RACING_UPDATES("2 PATCHes at once, same If-Match (200 + 412)", 1),
    BATCH("POST /incidents/batch, " + MixedLoad.BATCH_SIZE + " incidents, Idempotency-Key", 2),
    /** Not drawn: a quarter of the batches are sent again, as a client's retry. */
    BATCH_REPLAY("POST /incidents/batch, same key again (replay)", 0),
    CHANGES("GET /incidents/changes, cursor followed", 8),
    SUMMARY("GET /aggregates/summary", 5),
    COUNTS("GET /aggregates/counts", 6),
    JOINT_REPORT("GET /reports/joint", 0.3);

    private static final double TOTAL_WEIGHT = Arrays.stream(values()).mapToDouble(k -> k.weight).sum();

    final String label;
    private final double weight;

    RequestKind(String label, double weight) {
        this.label = label;
        this.weight = weight;
    }

    /** A kind drawn at random by weight. */
    static RequestKind pick(Random random) {
        double at = random.nextDouble() * TOTAL_WEIGHT;
        for (RequestKind kind : values()) {
            at -= kind.weight;
            if (at < 0) {
                return kind;
            }
        }
        return READ_BY_ID;
    }
}
