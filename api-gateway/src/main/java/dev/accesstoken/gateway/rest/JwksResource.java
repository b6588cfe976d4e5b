package dev.accesstoken.gateway.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.Cache;

import dev.accesstoken.gateway.security.SigningKeys;

/** The public keys every service fetches to verify the gateway's tokens. */
@Path("/.well-known/jwks.json")
@PermitAll
public class JwksResource {

    @Inject
    SigningKeys keys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Cache(maxAge = 300)
    public Map<String, Object> jwks() {
        return keys.jwks();
    }
}
