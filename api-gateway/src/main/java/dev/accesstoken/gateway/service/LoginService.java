package dev.accesstoken.gateway.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.security.SecretHashes;
import dev.accesstoken.gateway.security.TokenIssuer;

/** Checks a username and password against the configured bcrypt hashes and issues a token. */
@ApplicationScoped
public class LoginService {

    private final GatewayConfig config;
    private final SecretHashes hashes;
    private final TokenIssuer issuer;

    public LoginService(GatewayConfig config, SecretHashes hashes, TokenIssuer issuer) {
        this.config = config;
        this.hashes = hashes;
        this.issuer = issuer;
    }

    /** Runs bcrypt, so it must be called on a worker thread. */
    public Optional<TokenResponse> login(String username, String password) {
        GatewayConfig.User user = config.users().get(username);
        if (!hashes.matches(password, user == null ? null : user.passwordHash())) {
            return Optional.empty();
        }
        return Optional.of(issuer.issue(username, user.roles()));
    }
}
