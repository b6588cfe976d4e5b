package dev.accesstoken.gateway.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An error of the token endpoint (RFC 6749, section 5.2). */
public record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {
}
