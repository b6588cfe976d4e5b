package dev.accesstoken.gateway.security;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.accesstoken.gateway.model.TokenResponse;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/** Issues the access token: an RS256-signed MicroProfile JWT that every service verifies itself. */
@ApplicationScoped
public class TokenIssuer {

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

    public TokenResponse issue(String username, Set<String> roles) {
        Instant now = Instant.now();
        String token = Jwt.issuer(issuer)
                .subject(username)
                .upn(username)
                .groups(roles)
                .audience(audience)
                .issuedAt(now)
                .expiresAt(now.plusSeconds(lifespanSeconds))
                .claim("jti", UUID.randomUUID().toString())
                .jws()
                .algorithm(SignatureAlgorithm.RS256)
                .keyId(keys.kid())
                .sign(keys.privateKey());
        return new TokenResponse(token, "Bearer", lifespanSeconds);
    }
}
