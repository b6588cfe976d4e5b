package dev.accesstoken.chassis.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a bearer token that {@link VerifiedTokenCache} has already verified on the calling thread (the event
 * loop). SmallRye JWT's own provider runs every verification on a worker thread, because its JWKS is remote and
 * may have to be fetched: for a cached token that was one thread hop per request and per service, a fifth of the
 * last hop's CPU in the profile (BENCHMARKS.md). Anything this provider does not answer (a new token, one whose
 * key was not found in the JWKS lately, any doubt) goes on to SmallRye's provider, as before.
 */
@ApplicationScoped
public class CachedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    private final VerifiedTokenCache cache;
    private final JWTAuthContextInfo context;

    CachedTokenIdentityProvider(VerifiedTokenCache cache, JWTAuthContextInfo context) {
        this.cache = cache;
        this.context = context; // the same bean SmallRye's parser verifies with, so a hit's context matches
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Before SmallRye JWT's provider, which keeps the default priority and answers whatever this one passes on. */
    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext ignored) {
        if (!(request.getToken() instanceof JsonWebTokenCredential credential)) {
            return Uni.createFrom().nullItem();
        }
        JWTCallerPrincipal jwt = cache.servedWithoutIo(credential.getToken(), context);
        if (jwt == null) {
            return Uni.createFrom().nullItem();
        }
        // The identity exactly as SmallRye JWT's provider (MpJwtValidator) builds it.
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(jwt)
                .addCredential(credential)
                .addRoles(jwt.getGroups())
                .addAttribute("quarkus.user", jwt);
        RoutingContext routingContext = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (routingContext != null) {
            identity.addAttribute(RoutingContext.class.getName(), routingContext);
        }
        return Uni.createFrom().item(identity.build());
    }
}
