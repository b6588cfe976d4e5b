package dev.accesstoken.gateway.security;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.accesstoken.chassis.config.AccessTokenConfig;
import dev.accesstoken.chassis.config.AccessTokenConfig.Propagation;
import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.model.TokenResponse;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/** Issues the access token: an RS256-signed MicroProfile JWT that every service verifies itself. */
@ApplicationScoped
public class TokenIssuer {

    public static final String SERVICE_ROLE = "service";

    private final SigningKeys keys;
    private final String issuer;
    private final Set<String> audience;
    private final long lifespanSeconds;
    private final long exchangedLifespanSeconds;

    @Inject
    public TokenIssuer(SigningKeys keys,
            @ConfigProperty(name = "smallrye.jwt.new-token.issuer") String issuer,
            @ConfigProperty(name = "smallrye.jwt.new-token.audience") Set<String> audience,
            @ConfigProperty(name = "smallrye.jwt.new-token.lifespan") long lifespanSeconds,
            AccessTokenConfig accessToken, GatewayConfig config) {
        this.keys = keys;
        this.issuer = issuer;
        // Exchange mode: a user's token is for the first hop only; every further hop gets its own.
        this.audience = accessToken.propagation() == Propagation.EXCHANGE ? Set.of(config.exchange().userAudience())
                : audience;
        this.lifespanSeconds = lifespanSeconds;
        this.exchangedLifespanSeconds = config.exchange().tokenLifespan();
    }

    /** Forward mode, fixed lifetimes: for tests that need no configuration. */
    public TokenIssuer(SigningKeys keys, String issuer, Set<String> audience, long lifespanSeconds) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifespanSeconds = lifespanSeconds;
        this.exchangedLifespanSeconds = 60;
    }

    /** A user's token: for every service behind the gateway, or in exchange mode for the first hop only. */
    public TokenResponse issue(String username, Set<String> roles) {
        return sign(Jwt.issuer(issuer).subject(username).upn(username).groups(roles).audience(audience),
                lifespanSeconds);
    }

    /** A service's own token: role {@code service}, one audience, no user. */
    public TokenResponse issueForService(String clientId, String audience, long lifespanSeconds) {
        return sign(Jwt.issuer(issuer).subject(clientId).groups(SERVICE_ROLE).audience(audience), lifespanSeconds);
    }

    /**
     * A per-hop token (RFC 8693): the subject's sub, upn and groups, for {@code audience} only, with
     * {@code act.sub} = the service acting for the subject, and never outliving the subject's token.
     */
    public TokenResponse issueExchanged(JsonWebToken subject, String actor, String audience) {
        long now = Instant.now().getEpochSecond();
        long lifespan = Math.max(0, Math.min(subject.getExpirationTime() - now, exchangedLifespanSeconds));
        JwtClaimsBuilder claims = Jwt.issuer(issuer).subject(subject.getSubject()).upn(subject.getName())
                .groups(subject.getGroups()).audience(audience).claim("act", Map.of("sub", actor));
        return sign(claims, lifespan).exchanged();
    }

    private TokenResponse sign(JwtClaimsBuilder claims, long lifespan) {
        Instant now = Instant.now();
        String token = claims
                .issuedAt(now)
                .expiresAt(now.plusSeconds(lifespan))
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .keyId(keys.kid())
                .sign(keys.privateKey());
        return new TokenResponse(token, "Bearer", lifespan);
    }
}
