package dev.accesstoken.gateway.service;

import java.sql.SQLException;

/**
 * A statement of the gateway's database failed. Unchecked, with the driver's exception as its cause, so that the
 * chassis's {@code ProblemMappers} answers it as it answers the other services' databases: out of reach
 * ({@code DatabaseFailures.isUnavailable}) is a 503 with Retry-After, a value the database cannot take (SQLState
 * class 22) a 400, and anything else a 500 whose stack trace is logged and never answered.
 */
final class StorageFailure extends RuntimeException {

    StorageFailure(SQLException cause) {
        super("A statement of the gateway's database failed", cause);
    }
}
