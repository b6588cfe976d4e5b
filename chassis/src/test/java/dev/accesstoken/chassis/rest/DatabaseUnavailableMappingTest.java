package dev.accesstoken.chassis.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.sql.SQLException;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.accesstoken.chassis.model.Problem;

/** The catch-all mapper tells the service's own database from a downstream service and from a bug. */
class DatabaseUnavailableMappingTest {

    final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aLostDatabaseIs503WithRetryAfter() {
        // Its chain holds an IOException as a broken downstream connection's does: the database must win.
        Response response = mappers.unexpected(new RuntimeException("JDBC exception executing SQL",
                new SQLException("An I/O error occurred while sending to the backend.", "08006", new EOFException())));
        assertEquals(503, response.getStatus());
        assertEquals(Problem.MEDIA_TYPE, response.getMediaType().toString());
        assertEquals("5", response.getHeaderString(HttpHeaders.RETRY_AFTER));
        assertEquals("A database this service depends on is unavailable", ((Problem) response.getEntity()).detail());
    }

    @Test
    void aBrokenDownstreamConnectionStaysADownstreamFailure() {
        Response response = mappers.unexpected(new RuntimeException(new java.net.ConnectException("refused")));
        assertEquals(503, response.getStatus());
        assertEquals("A service this request depends on is unavailable", ((Problem) response.getEntity()).detail());
        assertEquals(null, response.getHeaderString(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void aValueTheDatabaseCannotTakeIs400() {
        Response response = mappers.unexpected(new RuntimeException(new SQLException("invalid byte sequence", "22021")));
        assertEquals(400, response.getStatus());
        assertEquals(null, response.getHeaderString(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void aBadStatementIsStillA500() {
        Response response = mappers.unexpected(new RuntimeException(new SQLException("syntax error", "42601")));
        assertEquals(500, response.getStatus());
    }
}
