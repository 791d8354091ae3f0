package org.jointregistry.common;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Predicate;
import org.hibernate.exception.JDBCConnectionException;

/**
 * Recognises a failure that says the database cannot be reached just now
 * (stopped, restarting, the network down, or no pooled connection free in
 * time), wherever it sits in the chain of causes: Hibernate, Narayana and
 * Agroal each wrap the driver's exception in their own. A commit that failed
 * counts too: Narayana answers it with a RollbackException (or a heuristic
 * one) that does not chain the driver's exception (it logs it, ARJUNA016039),
 * and whatever the cause, the write was not done or not for sure.
 */
final class DatabaseUnavailable {

    private DatabaseUnavailable() {
    }

    /**
     * A statement cancelled by PostgreSQL (SQLState 57014): past the
     * statement timeout of an expensive request (limits/StatementTimeoutInterceptor),
     * or cancelled by an operator. The transaction rolled back; its connection is free again.
     */
    static boolean cancelled(Throwable failure) {
        return anyCause(failure, t -> t instanceof SQLException sql && "57014".equals(sql.getSQLState()));
    }

    /**
     * A transaction PostgreSQL rolled back to let a concurrent one through: a
     * deadlock broken (40P01; writers of one organisation run side by side and
     * two edits of incidents sharing volunteers can meet on membership rows in
     * opposite orders, R__aggregate_rollup.sql) or a serialisation failure
     * (40001). Nothing was written, and the same request can succeed at once.
     */
    static boolean gaveWay(Throwable failure) {
        return anyCause(failure, t -> t instanceof SQLException sql
                && ("40P01".equals(sql.getSQLState()) || "40001".equals(sql.getSQLState())));
    }

    static boolean explains(Throwable failure) {
        return anyCause(failure, t -> t instanceof JDBCConnectionException
                || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof RollbackException || t instanceof HeuristicMixedException
                || t instanceof HeuristicRollbackException
                || t instanceof SQLException sql && (unreachableState(sql.getSQLState()) || raisedByPool(sql)));
    }

    private static boolean anyCause(Throwable failure, Predicate<Throwable> test) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (test.test(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLState class 08 (connection exception), and 57P01 to 57P03: the server
     * is shutting down, crashed, or is starting up and not accepting connections yet.
     */
    private static boolean unreachableState(String state) {
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03"));
    }

    /**
     * Agroal raises a plain SQLException, without SQLState, when no connection
     * could be had within the acquisition timeout (all busy, or none can be opened).
     */
    private static boolean raisedByPool(SQLException sql) {
        StackTraceElement[] trace = sql.getStackTrace();
        return sql.getSQLState() == null && trace.length > 0 && trace[0].getClassName().startsWith("io.agroal.");
    }
}
