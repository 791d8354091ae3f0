package org.jointregistry.replica;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Sets the replication heartbeat on the primary every {@code registry.replica.heartbeat}
 * while a read replica is configured, so a replica can tell how current it is
 * ({@link ReplicaLag}). Every instance beats: one is enough, several keep it
 * going when one is down. A beat that fails (the primary failing over) is
 * skipped; figures then read from the primary until beats resume.
 */
@ApplicationScoped
class Heartbeat {

    private static final Logger LOG = Logger.getLogger(Heartbeat.class);

    @Inject
    DataSource primary;

    @Inject
    ReplicaSettings settings;

    private ScheduledExecutorService beats;

    void start(@Observes StartupEvent started) {
        if (settings.url().isEmpty()) {
            return;
        }
        beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "replication-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long period = settings.heartbeat().toMillis();
        beats.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent stopping) {
        if (beats != null) {
            beats.shutdownNow();
        }
    }

    /**
     * One beat, committed without waiting for the synchronous standby
     * (synchronous_commit local, for this transaction only): it is no record,
     * and a beat must never sit among the writes that wait while the standby is
     * away, nor keep a backend of a crashed primary waiting for an answer that
     * cannot come. The standby still replays it in commit order.
     */
    private void beat() {
        try (Connection connection = primary.getConnection(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            try {
                statement.execute("SET LOCAL synchronous_commit = local");
                statement.executeUpdate("UPDATE replication_heartbeat SET beat_at = clock_timestamp() WHERE id = 1");
                connection.commit();
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Heartbeat skipped: %s", e.getMessage());
        }
    }
}
