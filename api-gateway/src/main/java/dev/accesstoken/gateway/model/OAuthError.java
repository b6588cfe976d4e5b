package dev.accesstoken.gateway.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An error of the token endpoint (RFC 6749, section 5.2).
 * Registered for reflection (Jackson in a native image): it only travels inside a {@code Response} entity.
 */
@RegisterForReflection
@Schema(name = "OAuthError", description = "An error of the token endpoint (RFC 6749, section 5.2), application/json: not problem+json, "
        + "since OAuth clients such as quarkus-oidc-client read it")
public record OAuthError(
        @Schema(enumeration = { "invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type", "invalid_target",
                "temporarily_unavailable" },
                example = "invalid_grant") String error,
        @JsonProperty("error_description") @Schema(example = "The refresh token is invalid, expired, used or revoked")
        String errorDescription) {
}
