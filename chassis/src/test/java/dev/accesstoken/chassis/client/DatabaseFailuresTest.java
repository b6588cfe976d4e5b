package dev.accesstoken.chassis.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The chains below are the ones DatabaseOutageTest met in order-service and customer-service, plus the SQLStates PostgreSQL documents. */
class DatabaseFailuresTest {

    /** As Hibernate wraps a driver's exception: a RuntimeException whose message holds the SQL. */
    static RuntimeException hibernate(SQLException cause) {
        return new RuntimeException("JDBC exception executing SQL [" + cause.getMessage() + "] [select secret from t]", cause);
    }

    @Test
    void aStoppedDatabaseIsUnavailable() {
        // A pooled connection whose server went away, and a new one that is refused.
        assertTrue(DatabaseFailures.isUnavailable(hibernate(new SQLException(
                "An I/O error occurred while sending to the backend.", "08006", new EOFException()))));
        assertTrue(DatabaseFailures.isUnavailable(hibernate(new SQLException(
                "Connection to localhost:5432 refused.", "08001", new ConnectException("Connection refused")))));
    }

    @ParameterizedTest
    @ValueSource(strings = { "08000", "08003", "08004", "57P01", "57P02", "57P03", "53300" })
    void connectionAndShutdownStatesAreUnavailable(String state) {
        assertTrue(DatabaseFailures.isUnavailable(hibernate(new SQLException("x", state))));
    }

    @Test
    void aSilentDatabaseIsUnavailable() {
        // The driver's socket timeout, and Agroal's acquisition timeouts (no SQLState, no type of their own).
        assertTrue(DatabaseFailures.isUnavailable(hibernate(new SQLException(
                "An I/O error occurred while sending to the backend.", null, new SocketTimeoutException("Read timed out")))));
        assertTrue(DatabaseFailures.isUnavailable(new RuntimeException(new SQLException("Sorry, acquisition timeout!"))));
        assertTrue(DatabaseFailures.isUnavailable(hibernate(new SQLException(
                "Acquisition timeout while waiting for new connection", new TimeoutException()))));
        assertTrue(DatabaseFailures.isUnavailable(new SQLTransientConnectionException("pool")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "23505", "23503", "42P01", "42703", "22001", "40001", "57014" })
    void aBadStatementOrAConflictIsNotUnavailability(String state) {
        // A bug or a conflict of ours must stay visible (500 or its own mapping), not pass as an outage.
        assertFalse(DatabaseFailures.isUnavailable(hibernate(new SQLException("x", state))));
    }

    /** A NUL byte in text (22021) came back as a 503 and an ERROR line: it is the caller's value, a 400. */
    @ParameterizedTest
    @ValueSource(strings = { "22021", "22001", "22003", "22P02" })
    void aDataExceptionIsAnInvalidValueNotUnavailability(String state) {
        assertTrue(DatabaseFailures.isInvalidValue(hibernate(new SQLException("x", state))));
        assertFalse(DatabaseFailures.isUnavailable(hibernate(new SQLException("x", state))));
    }

    @ParameterizedTest
    @ValueSource(strings = { "23505", "42P01", "08001", "57P01", "40001" })
    void otherStatesAreNoInvalidValue(String state) {
        assertFalse(DatabaseFailures.isInvalidValue(hibernate(new SQLException("x", state))));
        assertFalse(DatabaseFailures.isInvalidValue(new SQLException("no state")));
    }

    @Test
    void otherFailuresAreNotTheDatabase() {
        assertFalse(DatabaseFailures.isUnavailable(new SQLIntegrityConstraintViolationException("dup", "23505")));
        assertFalse(DatabaseFailures.isUnavailable(new SQLException("syntax error")));
        assertFalse(DatabaseFailures.isUnavailable(new IllegalStateException("bug")));
        // A downstream HTTP service's broken connection is DownstreamFailures' concern, not this one.
        assertFalse(DatabaseFailures.isUnavailable(new RuntimeException(new ConnectException("refused"))));
    }

    @Test
    void theReasonNamesTheStateAndNeverTheStatement() {
        String reason = DatabaseFailures.reason(hibernate(new SQLException(
                "Connection to localhost:5432 refused.", "08001", new ConnectException())));
        assertEquals("SQLState 08001: Connection to localhost:5432 refused.", reason);
    }
}
