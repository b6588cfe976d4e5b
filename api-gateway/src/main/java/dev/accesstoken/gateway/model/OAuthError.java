package dev.accesstoken.gateway.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An error of the token endpoint (RFC 6749, section 5.2).
 * Registered for reflection (Jackson in a native image): it only travels inside a {@code Response} entity.
 */
@RegisterForReflection
public record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {
}
