package dev.accesstoken.gateway.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.security.TokenIssuer;
import io.quarkus.elytron.security.common.BcryptUtil;

/** Checks a username and password against the configured bcrypt hashes and issues a token. */
@ApplicationScoped
public class LoginService {

    /**
     * Compared against when the user is unknown, so that an unknown user costs the same bcrypt work as a
     * wrong password and the answer time does not tell which usernames exist.
     */
    private final String decoyHash = BcryptUtil.bcryptHash("decoy-password-never-matches", 10);

    private final GatewayConfig config;
    private final TokenIssuer issuer;

    public LoginService(GatewayConfig config, TokenIssuer issuer) {
        this.config = config;
        this.issuer = issuer;
    }

    /** Runs bcrypt, so it must be called on a worker thread. */
    public Optional<TokenResponse> login(String username, String password) {
        GatewayConfig.User user = config.users().get(username);
        boolean matches = BcryptUtil.matches(password, user == null ? decoyHash : user.passwordHash());
        if (user == null || !matches) {
            return Optional.empty();
        }
        return Optional.of(issuer.issue(username, user.roles()));
    }
}
