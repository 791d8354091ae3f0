package org.jointregistry.replica;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.RequestScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * One request's reading of the figures: whether it may read them from the
 * replica ({@link DataAsOfFilter} decides from the method and path), the
 * replica connection it holds for the whole request (one REPEATABLE READ
 * transaction, so a document of several reads is consistent, as on the
 * primary), and the instant its data is current as of.
 */
@RequestScoped
class ReplicaSession {

    private boolean eligible;
    private Connection replicaConnection;
    private Instant asOf;

    void makeEligible() {
        eligible = true;
    }

    boolean eligible() {
        return eligible;
    }

    void servedBy(Connection connection, Instant dataAsOf) {
        replicaConnection = connection;
        asOf = dataAsOf;
    }

    Connection replicaConnection() {
        return replicaConnection;
    }

    Instant asOf() {
        return asOf;
    }

    @PreDestroy
    void close() {
        closeQuietly(replicaConnection);
    }

    /** Ends the read-only transaction and hands the connection back to the pool. */
    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try (connection) {
            connection.rollback();
        } catch (SQLException e) {
            // a broken connection: the pool discards it
        }
    }
}
