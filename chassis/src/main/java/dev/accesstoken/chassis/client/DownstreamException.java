package dev.accesstoken.chassis.client;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A downstream service answered with an error. Its problem is handed on to our caller unchanged, extension
 * members included, so a 404 there stays a 404 here. Register it on a REST client with
 * {@code @ClientExceptionMapper static RuntimeException toException(Response r) { return DownstreamException.of("name", r); }}.
 */
public class DownstreamException extends RuntimeException {

    private final int status;
    private final ObjectNode problem;

    DownstreamException(String service, int status, ObjectNode problem) {
        super(service + " answered " + status);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The downstream's problem+json body, or one of our own when it sent none we could read. */
    public ObjectNode problem() {
        return problem;
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
        return new DownstreamException(service, status, problem);
    }
}
