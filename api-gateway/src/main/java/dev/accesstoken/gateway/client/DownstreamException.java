package dev.accesstoken.gateway.client;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.accesstoken.gateway.model.Problem;

/** A downstream service answered with an error; its problem is handed on to our caller unchanged. */
public class DownstreamException extends RuntimeException {

    private final Problem problem;

    public DownstreamException(String service, Problem problem) {
        super(service + " answered " + problem.status());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    static DownstreamException of(String service, Response response) {
        Problem problem = null;
        MediaType type = response.getMediaType();
        if (type != null && type.getSubtype().endsWith("json")) {
            try {
                problem = response.readEntity(Problem.class);
            } catch (RuntimeException unreadable) {
                // Fall through to a problem of our own.
            }
        }
        if (problem == null || problem.status() != response.getStatus()) {
            problem = new Problem("about:blank", response.getStatusInfo().getReasonPhrase(), response.getStatus(),
                    service + " answered " + response.getStatus(), null);
        }
        return new DownstreamException(service, problem);
    }
}
