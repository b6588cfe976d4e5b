package dev.accesstoken.chassis.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import dev.accesstoken.chassis.rest.RequestIds;

/**
 * Token propagation: sends the caller's verified token, unchanged (and the request id), to the one REST client that
 * registers this factory ({@code @RegisterClientHeaders(BearerTokenPropagation.class)}). It is never a
 * global setting, so no other host can receive a token. A subclass that names the next hop's audience
 * sends an exchanged per-hop token instead when {@code access-token.propagation=exchange}.
 */
@ApplicationScoped
public class BearerTokenPropagation implements ClientHeadersFactory {

    public static final String EXCHANGE = "exchange";

    @Inject
    JsonWebToken caller;

    @Inject
    Instance<TokenExchange> exchange;

    /** {@code forward} (the pattern as described: the same token end to end) or {@code exchange}. */
    @ConfigProperty(name = "access-token.propagation", defaultValue = "forward")
    String propagation;

    /** The audience of the next hop, for exchange mode; null: always forward. */
    protected String exchangeAudience() {
        return null;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        String token = caller.getRawToken();
        if (token != null && EXCHANGE.equals(propagation) && exchangeAudience() != null) {
            token = exchange.get().exchange(caller, exchangeAudience());
        }
        if (token != null) {
            headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        String requestId = RequestIds.current();
        if (requestId != null) {
            headers.putSingle(RequestIds.HEADER, requestId);
        }
        return headers;
    }
}
