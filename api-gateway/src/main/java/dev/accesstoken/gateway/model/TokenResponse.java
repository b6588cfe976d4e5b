package dev.accesstoken.gateway.model;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The OAuth 2.0 style answer to a login (RFC 6749, section 5.1).
 * Registered for reflection (Jackson in a native image): it only travels inside a {@code Response} entity.
 */
@RegisterForReflection
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn) {

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
}
