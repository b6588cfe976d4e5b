package dev.accesstoken.customer.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * RFC 9457 problem details.
 * Registered for reflection (Jackson in a native image): it only ever travels inside a {@code Response}
 * entity (see ProblemMappers), so Quarkus cannot find it by itself.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<Violation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @RegisterForReflection
    public record Violation(String field, String message) {
    }
}
