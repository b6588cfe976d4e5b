package dev.accesstoken.gateway.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

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

    public TokenIssuer(SigningKeys keys,
            @ConfigProperty(name = "smallrye.jwt.new-token.issuer") String issuer,
            @ConfigProperty(name = "smallrye.jwt.new-token.audience") Set<String> audience,
            @ConfigProperty(name = "smallrye.jwt.new-token.lifespan") long lifespanSeconds) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.lifespanSeconds = lifespanSeconds;
    }

    /** A user's token, for every service behind the gateway. */
    public TokenResponse issue(String username, Set<String> roles) {
        return sign(Jwt.issuer(issuer).subject(username).upn(username).groups(roles).audience(audience),
                lifespanSeconds);
    }

    /** A service's own token: role {@code service}, one audience, no user. */
    public TokenResponse issueForService(String clientId, String audience, long lifespanSeconds) {
        return sign(Jwt.issuer(issuer).subject(clientId).groups(SERVICE_ROLE).audience(audience), lifespanSeconds);
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
