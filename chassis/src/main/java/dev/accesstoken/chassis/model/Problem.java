package dev.accesstoken.chassis.model;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * RFC 9457 problem details, with the extension members a service adds (such as the {@code orderId} of a
 * PENDING order) written as top-level members. Registered for reflection (Jackson in a native image): it only
 * ever travels inside a {@code Response} entity, so Quarkus cannot find it by itself.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Violation> violations,
        @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String detail) {
        return new Problem("about:blank", title(status), status, detail, null, Map.of());
    }

    public Problem withViolations(List<Violation> violations) {
        return new Problem(type, title, status, detail, violations, extensions);
    }

    /** Adds an extension member (RFC 9457, section 3.2). */
    public Problem with(String member, Object value) {
        Map<String, Object> more = new java.util.LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, title, status, detail, violations, Map.copyOf(more));
    }

    @JsonAnyGetter
    public Map<String, Object> members() {
        return extensions;
    }

    /** This problem as a response, with the problem+json media type. */
    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }

    static String title(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "HTTP " + status;
    }

    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}
