package dev.accesstoken.chassis.client;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A downstream service answered with an error. Its problem is handed on to our caller unchanged, extension
 * members included, so a 404 there stays a 404 here, and so does its {@code Retry-After} (a 503 of a lost
 * database, a 429), which tells our caller when to try again. Register it on a REST client with
 * {@code @ClientExceptionMapper static RuntimeException toException(Response r) { return DownstreamException.of("name", r); }}.
 */
public class DownstreamException extends RuntimeException {

    /** delay-seconds only (RFC 9110, 10.2.3): what these services send, and nothing else is handed on. */
    private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]{1,6}");

    private final int status;
    private final ObjectNode problem;
    private final String retryAfter;

    DownstreamException(String service, int status, ObjectNode problem, String retryAfter) {
        super(service + " answered " + status);
        this.status = status;
        this.problem = problem;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    /** The downstream's problem+json body, or one of our own when it sent none we could read. */
    public ObjectNode problem() {
        return problem;
    }

    /** The downstream's {@code Retry-After}, in seconds, when it sent one. */
    public Optional<String> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public static DownstreamException of(String service, Response response) {
        int status = response.getStatus();
        ObjectNode problem = null;
        MediaType type = response.getMediaType();
        if (type != null && type.getSubtype().endsWith("json")) {
            try {
                JsonNode body = response.readEntity(JsonNode.class);
                if (body instanceof ObjectNode object && object.path("status").asInt() == status) {
                    problem = object;
                }
            } catch (RuntimeException unreadable) {
                // Fall through to a problem of our own.
            }
        }
        if (problem == null) {
            problem = JsonNodeFactory.instance.objectNode()
                    .put("type", "about:blank")
                    .put("title", response.getStatusInfo().getReasonPhrase())
                    .put("status", status)
                    .put("detail", service + " answered " + status);
        }
        String retryAfter = response.getHeaderString(HttpHeaders.RETRY_AFTER);
        if (retryAfter != null && !DELAY_SECONDS.matcher(retryAfter.trim()).matches()) {
            retryAfter = null;
        }
        return new DownstreamException(service, status, problem, retryAfter == null ? null : retryAfter.trim());
    }
}
