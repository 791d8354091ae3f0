package org.jointregistry.replica;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableInstance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.jointregistry.common.RegistryClock;
import org.jointregistry.limits.LimitsConfig;

/**
 * Where the shared figures are read: the aggregate door's calls of one request
 * (aggregates, the live joint report) go to the read replica when one is
 * configured, the request is a read of figures ({@link DataAsOf#covers}) and
 * the replica's data is at most {@code registry.replica.max-lag} old;
 * otherwise, and always outside a request (the demo seeder) or when freezing a
 * snapshot (a POST: it must include every write acknowledged before it), they
 * go to the primary inside the caller's transaction. Either way the request
 * learns the instant its data is current as of, for the X-Data-As-Of header.
 */
@ApplicationScoped
public class FigureReads {

    private static final Logger LOG = Logger.getLogger(FigureReads.class);
    private static final Duration REBALANCE_EVERY = Duration.ofSeconds(10);

    private final AtomicLong lastRebalance = new AtomicLong(System.nanoTime() - REBALANCE_EVERY.toNanos());

    /** Work on a connection that the caller must not close. */
    @FunctionalInterface
    public interface Work<T> {
        T apply(Connection connection) throws SQLException;
    }

    @Inject
    javax.sql.DataSource primary;

    @Inject
    @DataSource("replica")
    InjectableInstance<AgroalDataSource> replica;

    @Inject
    ReplicaSettings settings;

    @Inject
    RegistryClock clock;

    @Inject
    MeterRegistry meters;

    @Inject
    LimitsConfig limits;

    /** Runs {@code work} on the connection this read belongs on. */
    public <T> T read(Work<T> work) throws SQLException {
        Connection onReplica = replicaConnection();
        if (onReplica != null) {
            return work.apply(onReplica);
        }
        try (Connection connection = primary.getConnection()) {
            return work.apply(connection);
        }
    }

    /**
     * Makes a document of several reads see one snapshot of the data. On the
     * primary the caller's transaction becomes REPEATABLE READ (this must come
     * first in it); a replica session is opened REPEATABLE READ already.
     */
    public void readConsistently() throws SQLException {
        if (replicaConnection() != null) {
            return;
        }
        try (Connection connection = primary.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        }
    }

    /**
     * This request's replica connection when its figures are read there, else
     * null; on its first read a request of figures also records its as-of.
     */
    private Connection replicaConnection() {
        ReplicaSession session = session();
        if (session == null) {
            return null;
        }
        if (session.asOf() == null) {
            if (settings.url().isPresent()) {
                decide(session);
            } else {
                // Read after this instant, so it includes every commit before it.
                session.servedBy(null, clock.now());
            }
        }
        return session.replicaConnection();
    }

    private void decide(ReplicaSession session) {
        Connection connection = null;
        try {
            connection = replica.get().getConnection();
            connection.setReadOnly(true);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            if (limits.enabled()) {
                // As on the primary (limits.StatementTimeoutInterceptor); SET takes no snapshot, so the
                // heartbeat read next still dates the transaction's.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL statement_timeout = "
                            + limits.expensive().statementTimeout().toMillis());
                }
            }
            ReplicaLag.Reading reading = ReplicaLag.read(connection);
            if (!reading.standby()) {
                rebalance();
            }
            Instant asOf = reading.asOf(settings.maxLag());
            if (asOf != null) {
                session.servedBy(connection, asOf);
                meters.counter("registry.figure.reads", "source", reading.standby() ? "standby" : "primary-via-replica")
                        .increment();
                return;
            }
            LOG.infof("Replica data is %s old, beyond %s: reading figures from the primary", reading.lag(),
                    settings.maxLag());
        } catch (SQLException e) {
            LOG.warnf("Replica unavailable (%s): reading figures from the primary", e.getSQLState());
        }
        ReplicaSession.closeQuietly(connection);
        meters.counter("registry.figure.reads", "source", "primary-fallback").increment();
        session.servedBy(null, clock.now());
    }

    /**
     * The replica's pool reached a primary: no standby was up when those
     * connections were made, or theirs was promoted. pgjdbc picks a host only
     * when it connects, so the pool is flushed (idle connections now, the
     * others when handed back, at most every {@link #REBALANCE_EVERY}) and new
     * connections go to a standby again once one is up.
     */
    private void rebalance() {
        long now = System.nanoTime();
        long last = lastRebalance.get();
        if (now - last >= REBALANCE_EVERY.toNanos() && lastRebalance.compareAndSet(last, now)) {
            replica.get().flush(AgroalDataSource.FlushMode.GRACEFUL);
        }
    }

    /** The session of the request being served when it reads figures ({@link DataAsOf#covers}), else null. */
    private static ReplicaSession session() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        ReplicaSession session = Arc.container().instance(ReplicaSession.class).get();
        return session.eligible() ? session : null;
    }
}
