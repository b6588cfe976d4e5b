package dev.accesstoken.chassis.model;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * RFC 9457 problem details, with the extension members a service adds (such as the {@code orderId} of a
 * PENDING order) written as top-level members. Registered for reflection (Jackson in a native image): it only
 * ever travels inside a {@code Response} entity, so Quarkus cannot find it by itself. Its {@code @Schema}
 * annotations are read at build time only, for the OpenAPI document.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details, served as application/problem+json. A service may add "
        + "extension members as top-level members, such as the orderId of an order whose credit decision was lost.",
        additionalProperties = Schema.True.class)
public record Problem(
        @Schema(description = "Always about:blank: the status says it all", example = "about:blank") String type,
        @Schema(description = "The reason phrase of the status", example = "Not Found") String title,
        @Schema(description = "The HTTP status", example = "404") int status,
        @Schema(description = "What went wrong, for a human", example = "Order 1b4e28ba-2fa1-11d2-883f-0016d3cca427 not found")
        String detail,
        @Schema(description = "The invalid fields of a request (400 on validation only)", nullable = true)
        List<Violation> violations,
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
    @Schema(name = "Violation", description = "One invalid field of a request")
    public record Violation(@Schema(example = "amount") String field,
            @Schema(example = "must be greater than 0") String message) {
    }
}
