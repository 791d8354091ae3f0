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

    private void beat() {
        try (Connection connection = primary.getConnection(); Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE replication_heartbeat SET beat_at = clock_timestamp() WHERE id = 1");
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("Heartbeat skipped: %s", e.getMessage());
        }
    }
}
