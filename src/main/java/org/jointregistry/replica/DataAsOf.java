package org.jointregistry.replica;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The X-Data-As-Of header of the figure reads: every write committed before
 * that instant is in the answer. On the primary it is the moment the request
 * started reading; on a replica, the last heartbeat it has replayed. One rule
 * for which requests carry it, used by the routing, the response filter and
 * the contract.
 */
public final class DataAsOf {

    public static final String HEADER = "X-Data-As-Of";

    private DataAsOf() {
    }

    /**
     * Reads of shared figures: every GET under /api/v1/aggregates/ and the
     * live joint report. Not snapshots: they are single rows read by key from
     * the primary, so that a snapshot is readable the moment POST answers.
     */
    public static boolean covers(String method, String path) {
        return ("GET".equals(method) || "HEAD".equals(method))
                && (path.startsWith("/api/v1/aggregates/") || path.equals("/api/v1/reports/joint"));
    }

    /** The header's value: an RFC 3339 instant in UTC, to the millisecond (rounded down: never later than true). */
    static String format(Instant asOf) {
        return asOf.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
