package org.jointregistry.replica;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** How current a database's data is, from the replicated heartbeat (V90__replication_heartbeat.sql). */
final class ReplicaLag {

    private ReplicaLag() {
    }

    /**
     * What one connection reads: whether it is a standby, the heartbeat it
     * has replayed, and its server's time (both times from database clocks, so
     * the application's clock does not enter the lag).
     */
    record Reading(boolean standby, Instant heartbeat, Instant now) {

        Duration lag() {
            return heartbeat == null ? null : Duration.between(heartbeat, now);
        }

        /**
         * The instant its data is current as of, or null when it is too old
         * to serve: a primary (preferSecondary found no standby) is current
         * now; a standby as of the heartbeat it has replayed, if that is at
         * most {@code maxLag} old.
         */
        Instant asOf(Duration maxLag) {
            if (!standby) {
                return now;
            }
            if (heartbeat == null || lag().compareTo(maxLag) > 0) {
                return null;
            }
            return heartbeat;
        }
    }

    /** Reads it as the first statement of the connection's transaction, so it dates that transaction's snapshot. */
    static Reading read(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT pg_is_in_recovery(), "
                + "(SELECT beat_at FROM replication_heartbeat WHERE id = 1), clock_timestamp()");
                ResultSet result = query.executeQuery()) {
            result.next();
            OffsetDateTime beat = result.getObject(2, OffsetDateTime.class);
            return new Reading(result.getBoolean(1), beat == null ? null : beat.toInstant(),
                    result.getObject(3, OffsetDateTime.class).toInstant());
        }
    }
}
