package dev.accesstoken.gateway.service;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.security.TokenIssuer;
import io.quarkus.elytron.security.common.BcryptUtil;

/** Checks a username and password against the configured bcrypt hashes and issues a token. */
@ApplicationScoped
public class LoginService {

    private static final Pattern BCRYPT = Pattern.compile("\\$2a\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private final GatewayConfig config;
    private final TokenIssuer issuer;
    /**
     * Compared against when the user is unknown, at the highest cost any user has, so that an unknown
     * user costs as much bcrypt work as a wrong password and the answer time does not tell which
     * usernames exist.
     */
    private final String decoyHash;

    public LoginService(GatewayConfig config, TokenIssuer issuer) {
        this.config = config;
        this.issuer = issuer;
        int highestCost = 10;
        for (Map.Entry<String, GatewayConfig.User> user : config.users().entrySet()) {
            Matcher hash = BCRYPT.matcher(user.getValue().passwordHash());
            if (!hash.matches()) {
                // Fail at start-up rather than answer 500 at the first login of that user.
                throw new IllegalStateException("gateway.users." + user.getKey()
                        + ".password-hash is not a bcrypt hash of the form $2a$NN$...");
            }
            highestCost = Math.max(highestCost, Integer.parseInt(hash.group(1)));
        }
        this.decoyHash = BcryptUtil.bcryptHash("decoy-password-never-matches", highestCost);
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
