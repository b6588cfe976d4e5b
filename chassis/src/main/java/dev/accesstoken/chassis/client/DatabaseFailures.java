package dev.accesstoken.chassis.client;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Every way the service's own database can be out of reach: stopped, restarting, refusing connections, or
 * silent. The driver's {@link SQLException} arrives wrapped (in the chassis's {@code Sql.Failure}, or in a
 * framework's exception), so the cause chain is walked for java.sql types alone: the same test fits any
 * JDBC code. A database out of reach is a dependency lost, so a 503 to retry, never a 500.
 */
public final class DatabaseFailures {

    /** admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseFailures() {
    }

    public static boolean isUnavailable(Throwable e) {
        return unavailability(e) != null;
    }

    /** What to log: the SQLState and the driver's or pool's own message, never the SQL of the statement. */
    public static String reason(Throwable e) {
        SQLException sql = unavailability(e);
        if (sql == null) {
            return String.valueOf(e);
        }
        return (sql.getSQLState() == null ? "" : "SQLState " + sql.getSQLState() + ": ") + sql.getMessage();
    }

    /**
     * The statement carried a value the database cannot take (SQLState class 22, data exception: a NUL byte in
     * text, a number out of range, an invalid encoding). The caller's input, so a 400, never a 503: retrying the
     * same request cannot help.
     */
    public static boolean isInvalidValue(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    private static SQLException unavailability(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && isUnavailable(sql)) {
                return sql;
            }
        }
        return null;
    }

    private static boolean isUnavailable(SQLException e) {
        if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state))) {
            return true; // class 08: connection exception
        }
        // Agroal's "Sorry, acquisition timeout!" and "Acquisition timeout while waiting for new connection"
        // carry no SQLState and no type of their own: no connection within quarkus.datasource.jdbc.acquisition-timeout.
        if (state == null && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("acquisition timeout")) {
            return true;
        }
        // The connection's socket failed or timed out under the driver.
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
