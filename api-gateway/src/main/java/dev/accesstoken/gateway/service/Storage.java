package dev.accesstoken.gateway.service;

import java.sql.SQLException;

import org.jboss.logging.Logger;

import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.ProblemException;

/** The gateway's database could not be reached: the caller gets a 503 to retry, never a 500. */
final class Storage {

    private static final Logger LOG = Logger.getLogger(Storage.class);

    private Storage() {
    }

    static ProblemException unavailable(SQLException e) {
        LOG.errorf("gateway database: %s (SQLState %s)", e.getMessage(), e.getSQLState());
        return new ProblemException(Problem.of(503, "Sign-in is unavailable for a moment; try again shortly"), e);
    }
}
