package dev.accesstoken.chassis.security;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.mutiny.Uni;

/**
 * Per-hop tokens (RFC 8693): with {@code access-token.propagation=exchange}, a service does not forward the
 * caller's token but sends one the gateway minted for the next hop alone ({@code aud} = that service,
 * {@code act.sub} = this one). Each service that calls with exchanged tokens provides one implementation.
 */
public interface TokenExchange {

    /**
     * A token for {@code audience} on behalf of the caller; fails with a 503 problem if none can be had.
     * Non-blocking: it is asked for on the event loop when the calling endpoint runs there.
     */
    Uni<String> exchange(JsonWebToken caller, String audience);
}
