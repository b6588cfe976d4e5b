package dev.accesstoken.chassis.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import dev.accesstoken.chassis.rest.RequestIds;

/**
 * Token propagation: sends the caller's verified token, unchanged (and the request id), to the one REST client that
 * registers this factory ({@code @RegisterClientHeaders(BearerTokenPropagation.class)}). It is never a
 * global setting, so no other host can receive a token.
 */
@ApplicationScoped
public class BearerTokenPropagation implements ClientHeadersFactory {

    @Inject
    JsonWebToken caller;

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        String token = caller.getRawToken();
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
