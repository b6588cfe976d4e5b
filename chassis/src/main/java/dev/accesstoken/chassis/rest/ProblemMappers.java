package dev.accesstoken.chassis.rest;

import java.util.Comparator;
import java.util.List;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.lang.UnresolvableKeyException;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.accesstoken.chassis.client.DatabaseFailures;
import dev.accesstoken.chassis.client.DownstreamException;
import dev.accesstoken.chassis.client.DownstreamFailures;
import dev.accesstoken.chassis.metrics.SecurityMeters;
import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.security.Audit;
import dev.accesstoken.chassis.security.RefusalReason;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error leaves a service as RFC 9457 problem+json, and never with a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    Audit audit;

    @Inject
    SecurityIdentity identity;

    @Inject
    SecurityMeters meters;

    /** The RFC 6750 realm of this service's challenges. */
    @ConfigProperty(name = "quarkus.application.name")
    String realm;

    /**
     * No token: a bare challenge, no {@code error} (RFC 6750, 3.1). A token that failed verification: audited,
     * and answered with {@code invalid_token} and the reason, a {@link RefusalReason}: a fixed phrase that never
     * quotes the token.
     */
    @ServerExceptionMapper({ AuthenticationFailedException.class, UnauthorizedException.class })
    public Response unauthenticated(Exception e, HttpServerRequest request, UriInfo uri) {
        if (e instanceof AuthenticationFailedException) {
            RefusalReason reason = refusal(e);
            audit.tokenRefused(request.remoteAddress().hostAddress(), reason,
                    java.util.Map.of("method", request.method().name(), "path", uri.getPath()));
            meters.tokenRefused(reason);
            return Problem.of(401, "The bearer token was refused: " + reason.phrase()).toResponse()
                    .header(HttpHeaders.WWW_AUTHENTICATE, challenge("invalid_token", reason)).build();
        }
        return Problem.of(401, "A bearer token is required").toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge(null, null)).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request, UriInfo uri) {
        audit.record("access.denied", identity.isAnonymous() ? request.remoteAddress().hostAddress()
                : identity.getPrincipal().getName(), e.getMessage() != null ? e.getMessage() : "role not allowed",
                java.util.Map.of("method", request.method().name(), "path", uri.getPath(), "roles", identity.getRoles()));
        return Problem.of(403, "Your role does not allow this").toResponse()
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge("insufficient_scope", null)).build();
    }

    /** {@code Bearer realm="order-service", error="invalid_token", error_description="expired"}: fixed values only. */
    String challenge(String error, RefusalReason reason) {
        StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm).append('"');
        if (error != null) {
            challenge.append(", error=\"").append(error).append('"');
        }
        if (reason != null) {
            challenge.append(", error_description=\"").append(reason.phrase()).append('"');
        }
        return challenge.toString();
    }

    /**
     * Why SmallRye JWT refused a token, from jose4j's error codes: never the token itself.
     */
    static RefusalReason refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException invalid) {
                if (invalid.hasExpired()) {
                    return RefusalReason.EXPIRED;
                }
                if (invalid.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
                    return RefusalReason.BAD_SIGNATURE;
                }
                if (invalid.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || invalid.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return RefusalReason.WRONG_AUDIENCE;
                }
                if (invalid.hasErrorCode(ErrorCodes.ISSUER_INVALID) || invalid.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return RefusalReason.WRONG_ISSUER;
                }
                if (invalid.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
                    return RefusalReason.NOT_YET_VALID;
                }
            }
            if (t instanceof UnresolvableKeyException) {
                return RefusalReason.UNKNOWN_KID_OR_UNSIGNED;
            }
            if (t.getMessage() != null && t.getMessage().contains("not a permitted algorithm")) {
                return RefusalReason.ALGORITHM_NOT_ALLOWED;
            }
        }
        return RefusalReason.MALFORMED_OR_UNVERIFIABLE;
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
    public Response unreadable(JsonProcessingException e) {
        return Problem.of(400, unreadableDetail(e)).toResponse().build();
    }

    /**
     * What is wrong with a body, in the client's terms: the field with the wrong type and the type it takes, or
     * where the JSON stopped parsing. Jackson's own message is not used: it names Java types and quotes input.
     */
    static String unreadableDetail(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String field = fieldPath(mismatch.getPath());
            return field.isEmpty()
                    ? "The request body must be " + expected(mismatch.getTargetType())
                    : "The field '" + field + "' must be " + expected(mismatch.getTargetType());
        }
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            return "The request body is not valid JSON: parsing failed at line " + at.getLineNr()
                    + ", column " + at.getColumnNr();
        }
        return "The request body is not valid JSON";
    }

    /** {@code items[0].amount}, from Jackson's path of references. */
    private static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String expected(Class<?> type) {
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class && type != char.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (CharSequence.class.isAssignableFrom(type) || type.isEnum() || type == java.util.UUID.class
                || java.time.temporal.Temporal.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a JSON object";
    }

    /** 415: say what to send, not which annotation did not match. */
    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e) {
        return unsupportedMediaType(MediaType.APPLICATION_JSON);
    }

    /** The 415 of an endpoint that takes {@code contentType}. */
    public static Response unsupportedMediaType(String contentType) {
        return Problem.of(415, "send Content-Type: " + contentType).toResponse().build();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse().build();
    }

    /** A downstream error reaches our caller as it was, so a 404 there stays a 404 here, Retry-After included. */
    @ServerExceptionMapper
    public Response downstream(DownstreamException e) {
        Response.ResponseBuilder relayed = Response.status(e.status()).type(Problem.MEDIA_TYPE).entity(e.problem());
        if (e.status() == 401) {
            // The token we passed on was refused there: the reason is in the relayed problem's detail.
            relayed.header(HttpHeaders.WWW_AUTHENTICATE, challenge("invalid_token", null));
        }
        e.retryAfter().ifPresent(seconds -> relayed.header(HttpHeaders.RETRY_AFTER, seconds));
        return relayed.build();
    }

    /** A downstream service that is down, too slow, or whose connection broke: a prompt 503 or 504, never a hang. */
    @ServerExceptionMapper
    public Response unavailable(ProcessingException e) {
        return downstreamFailed(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        // A body that is not JSON at all: Jackson's parse error is the cause.
        for (Throwable t = e.getCause(); status == 400 && t != null; t = t.getCause()) {
            if (t instanceof JsonProcessingException unparsable) {
                return unreadable(unparsable);
            }
        }
        Response.ResponseBuilder problem = Problem.of(status, plain(e, request)).toResponse();
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
        // The service's own database out of reach (its JDBC chain may hold an IOException too: test this first).
        if (DatabaseFailures.isUnavailable(e)) {
            return databaseUnavailable(e);
        }
        // A value the database cannot take (SQLState class 22, e.g. a NUL byte in text) is bad input, not an outage.
        if (DatabaseFailures.isInvalidValue(e)) {
            LOG.debugf("The database refused a value: %s", e.getMessage());
            return Problem.of(400, "The request holds a value that cannot be stored").toResponse().build();
        }
        // A connection that ended mid-response can surface unwrapped (a Vert.x or I/O exception).
        if (DownstreamFailures.isTransportFailure(e)) {
            return downstreamFailed(e);
        }
        LOG.error("Unexpected error", e);
        return Problem.of(500, "An unexpected error occurred").toResponse().build();
    }

    /** Retry-After: about the time a restarting PostgreSQL, or a replica taking over, needs. */
    private static Response databaseUnavailable(Throwable e) {
        LOG.warnf("The database is unavailable: %s", DatabaseFailures.reason(e));
        return Problem.of(503, "A database this service depends on is unavailable").toResponse()
                .header(HttpHeaders.RETRY_AFTER, "5").build();
    }

    private static Response downstreamFailed(Throwable e) {
        boolean timedOut = DownstreamFailures.isTimeout(e);
        LOG.warnf("A downstream service %s: %s", timedOut ? "timed out" : "is unavailable", e.getMessage());
        return timedOut
                ? Problem.of(504, "A service this request depends on did not answer in time").toResponse().build()
                : Problem.of(503, "A service this request depends on is unavailable").toResponse().build();
    }

    /**
     * A service's own message as it is; in place of the framework's ("HTTP 404 Not Found", "Unable to find matching
     * target resource method"), one a client can act on.
     */
    private static String plain(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        String message = e.getMessage();
        boolean frameworks = message == null || message.startsWith("HTTP " + status)
                || message.startsWith("Unable to find matching target resource method");
        if (!frameworks) {
            return message;
        }
        return switch (status) {
            case 404 -> "There is nothing at this path: the API is described at /q/openapi";
            case 405 -> {
                String allowed = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
                yield request.method().name() + " is not allowed at this path: "
                        + (allowed == null || allowed.isBlank() ? "the API is described at /q/openapi" : "use " + allowed);
            }
            case 415 -> "send Content-Type: " + MediaType.APPLICATION_JSON;
            default -> message;
        };
    }

    private static String field(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        // "reserve.request.amount" -> "amount": the method and parameter names mean nothing to a client.
        int lastDot = path.lastIndexOf('.');
        return lastDot < 0 ? path : path.substring(lastDot + 1);
    }
}
