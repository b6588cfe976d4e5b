package dev.accesstoken.chassis.rest;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.accesstoken.chassis.client.DownstreamException;
import dev.accesstoken.chassis.client.DownstreamFailures;
import dev.accesstoken.chassis.model.Problem;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error leaves a service as RFC 9457 problem+json, and never with a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated() {
        return Problem.of(401, "A valid bearer token is required").toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "Your role does not allow this").toResponse().build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        return Problem.of(400, "The request is not valid").withViolations(violations).toResponse().build();
    }

    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class })
    public Response unreadable() {
        return Problem.of(400, "The request body is not valid JSON of the expected shape").toResponse().build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse().build();
    }

    /** A downstream error reaches our caller as it was, so a 404 there stays a 404 here. */
    @ServerExceptionMapper
    public Response downstream(DownstreamException e) {
        Response.ResponseBuilder relayed = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.problem());
        if (e.status() == 401) {
            relayed.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return relayed.build();
    }

    /** A downstream service that is down, too slow, or whose connection broke: a prompt 503 or 504, never a hang. */
    @ServerExceptionMapper
    public Response unavailable(ProcessingException e) {
        return downstreamFailed(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.ResponseBuilder problem = Problem.of(e.getResponse().getStatus(), e.getMessage()).toResponse();
        // Keep the headers the status relies on, such as the challenge of a 401.
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> problem.header(name, value));
            }
        });
        return problem.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        // A connection that ended mid-response can surface unwrapped (a Vert.x or I/O exception).
        if (DownstreamFailures.isTransportFailure(e)) {
            return downstreamFailed(e);
        }
        LOG.error("Unexpected error", e);
        return Problem.of(500, "An unexpected error occurred").toResponse().build();
    }

    private static Response downstreamFailed(Throwable e) {
        boolean timedOut = DownstreamFailures.isTimeout(e);
        LOG.warnf("A downstream service %s: %s", timedOut ? "timed out" : "is unavailable", e.getMessage());
        return timedOut
                ? Problem.of(504, "A service this request depends on did not answer in time").toResponse().build()
                : Problem.of(503, "A service this request depends on is unavailable").toResponse().build();
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "reserve.request.amount" -> "amount": the method and parameter names mean nothing to a client.
        int lastDot = path.lastIndexOf('.');
        return lastDot < 0 ? path : path.substring(lastDot + 1);
    }
}
