package dev.accesstoken.gateway.rest;

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

import dev.accesstoken.gateway.model.Problem;
import dev.accesstoken.gateway.client.DownstreamException;
import dev.accesstoken.gateway.client.DownstreamFailures;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error leaves this service as RFC 9457 problem+json, and never with a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated() {
        return problem(401, "A valid bearer token is required")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(403, "Your role does not allow this").build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.Violation> violations = e.getConstraintViolations().stream()
                .map(v -> new Problem.Violation(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.Violation::field))
                .toList();
        return problem(400, "The request is not valid", violations).build();
    }

    @ServerExceptionMapper({ JsonProcessingException.class, MismatchedInputException.class })
    public Response unreadable() {
        return problem(400, "The request body is not valid JSON of the expected shape").build();
    }

    /** A downstream error reaches our caller as it was, so a 404 there stays a 404 here. */
    @ServerExceptionMapper
    public Response downstream(DownstreamException e) {
        Response.ResponseBuilder relayed = Response.status(e.problem().status()).type(Problem.MEDIA_TYPE)
                .entity(e.problem());
        if (e.problem().status() == 401) {
            relayed.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return relayed.build();
    }

    /** A downstream service that is down or too slow: the caller gets a prompt 503 or 504, never a hang. */
    @ServerExceptionMapper
    public Response unavailable(ProcessingException e) {
        return downstreamFailed(e);
    }

    private static Response downstreamFailed(Throwable e) {
        boolean timedOut = DownstreamFailures.isTimeout(e);
        LOG.warnf("A downstream service %s: %s", timedOut ? "timed out" : "is unavailable", e.getMessage());
        return timedOut
                ? problem(504, "A service behind the gateway did not answer in time").build()
                : problem(503, "A service behind the gateway is unavailable").build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response.ResponseBuilder problem = problem(e.getResponse().getStatus(), e.getMessage());
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
        if (DownstreamFailures.isTransportFailure(e)) {
            return downstreamFailed(e);
        }
        LOG.error("Unexpected error", e);
        return problem(500, "An unexpected error occurred").build();
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "reserve.request.amount" -> "amount": the method and parameter names mean nothing to a client.
        int lastDot = path.lastIndexOf('.');
        return lastDot < 0 ? path : path.substring(lastDot + 1);
    }

    static Response.ResponseBuilder problem(int status, String detail) {
        return problem(status, detail, null);
    }

    private static Response.ResponseBuilder problem(int status, String detail, List<Problem.Violation> violations) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "HTTP " + status;
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, violations));
    }
}
