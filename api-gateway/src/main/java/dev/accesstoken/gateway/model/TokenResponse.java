package dev.accesstoken.gateway.model;

import java.time.Duration;
import java.time.Instant;

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
public record TokenResponse(
        @JsonProperty("access_token") String accessToken,
        @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn,
        @JsonProperty("refresh_token") String refreshToken,
        @JsonProperty("refresh_expires_in") Long refreshExpiresIn,
        @JsonProperty("issued_token_type") String issuedTokenType) {

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
