package dev.accesstoken.chassis.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.accesstoken.chassis.config.AccessTokenConfig;
import dev.accesstoken.chassis.config.AccessTokenConfig.Propagation;
import dev.accesstoken.chassis.rest.RequestIds;
import io.quarkus.rest.client.reactive.ReactiveClientHeadersFactory;
import io.smallrye.mutiny.Uni;

/**
 * Token propagation: sends the caller's verified token, unchanged (and the request id), to the one REST client that
 * registers this factory ({@code @RegisterClientHeaders(BearerTokenPropagation.class)}). It is never a
 * global setting, so no other host can receive a token. A subclass that names the next hop's audience
 * sends an exchanged per-hop token instead when {@code access-token.propagation=exchange}. Reactive, so that
 * an exchange (a call to the gateway) never blocks an endpoint that runs on the event loop; blocking clients
 * use it the same way.
 */
@ApplicationScoped
public class BearerTokenPropagation extends ReactiveClientHeadersFactory {

    @Inject
    JsonWebToken caller;

    @Inject
    Instance<TokenExchange> exchange;

    @Inject
    AccessTokenConfig config;

    /** The audience of the next hop, for exchange mode; null: always forward. */
    protected String exchangeAudience() {
        return null;
    }

    @Override
    public Uni<MultivaluedMap<String, String>> getHeaders(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        String requestId = RequestIds.current(); // read now, on the request's own context
        String token = caller.getRawToken();
        Uni<String> bearer = token != null && config.propagation() == Propagation.EXCHANGE && exchangeAudience() != null
                ? exchange.get().exchange(caller, exchangeAudience())
                : Uni.createFrom().item(token);
        return bearer.map(sent -> {
            MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
            if (sent != null) {
                headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + sent);
            }
            if (requestId != null) {
                headers.putSingle(RequestIds.HEADER, requestId);
            }
            return headers;
        });
    }
}
