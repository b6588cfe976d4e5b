package dev.accesstoken.gateway.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * RFC 9457 problem details. {@code orderId} is an extension member: the order a lost credit decision left
 * {@code PENDING}, so that the client can follow it.
 * Registered for reflection (Jackson in a native image): it only ever travels inside a {@code Response}
 * entity, or is read with {@code readEntity(Problem.class)}, so Quarkus cannot find it by itself.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Violation> violations,
        String orderId) {

    public Problem(String type, String title, int status, String detail, List<Violation> violations) {
        this(type, title, status, detail, violations, null);
    }

    public static final String MEDIA_TYPE = "application/problem+json";

    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}
