package dev.accesstoken.chassis.rest;

import dev.accesstoken.chassis.model.Problem;

/** Ends a request with exactly this problem, extension members included. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem, Throwable cause) {
        super(problem.detail(), cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
