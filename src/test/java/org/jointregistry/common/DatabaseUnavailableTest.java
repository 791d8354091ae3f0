package org.jointregistry.common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import java.net.ConnectException;
import java.sql.SQLException;
import org.hibernate.exception.GenericJDBCException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/** Which failures answer 503 (retry later) rather than 500: the shapes the fault drill met. */
class DatabaseUnavailableTest {

    @Test
    void aBrokenOrRefusedConnectionDeepInTheChain() {
        assertTrue(DatabaseUnavailable.explains(new PersistenceException(new GenericJDBCException("statement",
                new PSQLException("I/O error", PSQLState.CONNECTION_FAILURE)))));
        assertTrue(DatabaseUnavailable.explains(new GenericJDBCException("connect",
                new PSQLException("refused", PSQLState.CONNECTION_UNABLE_TO_CONNECT, new ConnectException()))));
    }

    @Test
    void aServerShuttingDownOrStartingUp() {
        for (String state : new String[] { "57P01", "57P02", "57P03" }) {
            assertTrue(DatabaseUnavailable.explains(new GenericJDBCException("x", new SQLException("x", state))),
                    state);
        }
    }

    @Test
    void aFailedCommit() {
        assertTrue(DatabaseUnavailable.explains(new RuntimeException(new RollbackException("ARJUNA016053"))));
    }

    @Test
    void thePoolsAcquisitionTimeout() {
        SQLException timeout = new SQLException("Sorry, acquisition timeout!");
        timeout.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.agroal.pool.ConnectionPool", "waitAvailableHandler", null, 1) });
        assertTrue(DatabaseUnavailable.explains(new GenericJDBCException("acquire", timeout)));
    }

    @Test
    void aWriteRolledBackForAConcurrentOne() {
        for (String state : new String[] { "40P01", "40001" }) {
            assertTrue(DatabaseUnavailable.gaveWay(new PersistenceException(new GenericJDBCException("flush",
                    new SQLException("deadlock detected", state)))), state);
        }
        assertFalse(DatabaseUnavailable.gaveWay(new GenericJDBCException("x", new SQLException("dup", "23505"))));
        assertFalse(DatabaseUnavailable.gaveWay(new GenericJDBCException("x", new SQLException("x", "57P01"))));
    }

    @Test
    void notAnInvalidRequestNorABug() {
        assertFalse(DatabaseUnavailable.explains(new GenericJDBCException("x", new SQLException("dup", "23505"))));
        assertFalse(DatabaseUnavailable.explains(new SQLException("no state, not the pool's")));
        assertFalse(DatabaseUnavailable.explains(new IllegalStateException("bug")));
    }
}
