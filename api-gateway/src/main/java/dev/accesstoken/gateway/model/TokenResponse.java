package dev.accesstoken.gateway.model;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The OAuth 2.0 token response (RFC 6749, section 5.1). Users also get a refresh token; services do not
 * (section 4.4.3). Registered for reflection (Jackson in a native image): it only travels inside a
 * {@code Response} entity.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "TokenResponse", description = "An access token (RFC 6749, section 5.1); users also get a refresh token")
public record TokenResponse(
        @JsonProperty("access_token") @Schema(description = "An RS256 JWT: send it as Authorization: Bearer <access_token>",
                example = "eyJraWQiOiJ0ZXN0IiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl")
        String accessToken,
        @JsonProperty("token_type") @Schema(example = "Bearer") String tokenType,
        @JsonProperty("expires_in") @Schema(description = "Seconds until the access token expires", example = "300") long expiresIn,
        @JsonProperty("refresh_token") @Schema(description = "Users only: present it to the refresh_token grant for the next "
                + "access token; each one works once", example = "q3Lx1rZ0b8m2Yc5VtG7hJk9PwN4sDfEaUo6iRyTl_0M") String refreshToken,
        @JsonProperty("refresh_expires_in") @Schema(description = "Users only: seconds until the session ends", example = "28800")
        Long refreshExpiresIn,
        @JsonProperty("issued_token_type") @Schema(description = "Token exchange only", example = ACCESS_TOKEN_TYPE)
        String issuedTokenType) {

    /** RFC 8693, section 3: what a token exchange issued. */
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    public TokenResponse(String accessToken, String tokenType, long expiresIn) {
        this(accessToken, tokenType, expiresIn, null, null, null);
    }

    public TokenResponse withRefreshToken(String token, Instant expiresAt) {
        long seconds = Math.max(0, Duration.between(Instant.now(), expiresAt).toSeconds());
        return new TokenResponse(accessToken, tokenType, expiresIn, token, seconds, null);
    }

    public TokenResponse exchanged() {
        return new TokenResponse(accessToken, tokenType, expiresIn, null, null, ACCESS_TOKEN_TYPE);
    }

    /** Never the tokens themselves, so that a logged response or exception cannot leak them. */
    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + ", refreshToken="
                + (refreshToken == null ? "none" : "present") + "]";
    }
}
