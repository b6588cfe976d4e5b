package dev.accesstoken.gateway.service;

import java.sql.SQLException;

import org.jboss.logging.Logger;

import dev.accesstoken.chassis.client.DatabaseFailures;
import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.ProblemException;

/**
 * A statement of the gateway's database failed. A value it cannot take (SQLState class 22, data exception, such as
 * a NUL byte in text) is the caller's: a 400, logged at debug. Anything else is the database's: a 503 to retry,
 * never a 500.
 */
final class Storage {

    private static final Logger LOG = Logger.getLogger(Storage.class);

    private Storage() {
    }

    static ProblemException failure(SQLException e) {
        if (DatabaseFailures.isInvalidValue(e)) {
            LOG.debugf("gateway database refused a value: SQLState %s", e.getSQLState());
            return new ProblemException(Problem.of(400, "The request holds a value that cannot be stored"), e);
        }
        LOG.errorf("gateway database: %s (SQLState %s)", e.getMessage(), e.getSQLState());
        return new ProblemException(Problem.of(503, "Sign-in is unavailable for a moment; try again shortly"), e);
    }
}
