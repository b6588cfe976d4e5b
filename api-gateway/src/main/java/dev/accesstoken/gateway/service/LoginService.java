package dev.accesstoken.gateway.service;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.chassis.security.Audit;
import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.metrics.LoginMeters;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.security.PasswordChecks;
import dev.accesstoken.gateway.security.TokenIssuer;

/**
 * Users: login by password (throttled), refresh with rotation, logout. Access tokens stay stateless and
 * short; the session is the refresh-token family in the gateway's database.
 */
@ApplicationScoped
public class LoginService {

    /** What a login attempt came to. */
    public sealed interface Outcome {
        record LoggedIn(TokenResponse tokens) implements Outcome {
        }

        /** Unknown user or wrong password: one answer for both. */
        record Refused() implements Outcome {
        }

        /** Too many failures for this username or address: try again after this long. */
        record Throttled(Duration retryAfter) implements Outcome {
        }

        /** Not checked: the gateway is checking as many passwords as it may. Try again in a moment. */
        record Busy() implements Outcome {
        }
    }

    private final GatewayConfig config;
    private final PasswordChecks passwords;
    private final TokenIssuer issuer;
    private final LoginThrottle throttle;
    private final RefreshTokens refreshTokens;
    private final Audit audit;
    private final LoginMeters meters;

    public LoginService(GatewayConfig config, PasswordChecks passwords, TokenIssuer issuer, LoginThrottle throttle,
            RefreshTokens refreshTokens, Audit audit, LoginMeters meters) {
        this.audit = audit;
        this.meters = meters;
        this.config = config;
        this.passwords = passwords;
        this.issuer = issuer;
        this.throttle = throttle;
        this.refreshTokens = refreshTokens;
    }

    /**
     * Runs bcrypt, so it must be called on a worker thread. The attempt is counted before bcrypt runs, so a
     * throttled attempt never reaches it, however many arrive at once.
     */
    public Outcome login(String username, String password, String clientAddress) {
        GatewayConfig.User user = config.users().get(username);
        // An unknown name may be a password typed into the wrong field: audited as a digest only.
        String who = user != null ? username : "unknown:" + LoginThrottle.shortDigest(username);
        LoginThrottle.Attempt attempt = throttle.login(username, clientAddress);
        var wait = throttle.reserve(attempt);
        if (wait.isPresent()) {
            audit.record("login.throttled", who, "too many failed logins",
                    Map.of("address", clientAddress, "retryAfterMs", wait.get().toMillis()));
            meters.throttled();
            return new Outcome.Throttled(wait.get());
        }
        PasswordChecks.Result result = passwords.check(password, user == null ? null : user.passwordHash());
        if (result == PasswordChecks.Result.BUSY) {
            throttle.release(attempt); // not checked, so not a failure
            meters.busy();
            return new Outcome.Busy();
        }
        if (result == PasswordChecks.Result.MISMATCH) {
            audit.record("login.failure", who, "unknown user or wrong password", Map.of("address", clientAddress));
            meters.failed();
            return new Outcome.Refused();
        }
        throttle.succeeded(attempt);
        RefreshTokens.Issued refresh = refreshTokens.startFamily(username);
        audit.record("login.success", username, "password verified", Map.of("address", clientAddress));
        meters.succeeded();
        return new Outcome.LoggedIn(issuer.issue(username, user.roles()).withRefreshToken(refresh.token(), refresh.expiresAt()));
    }

    /** A new access token and the next refresh token; empty if the presented one is not (or no longer) good. */
    public Optional<TokenResponse> refresh(String refreshToken) {
        RefreshTokens.Rotation rotation = refreshTokens.rotate(refreshToken);
        if (rotation instanceof RefreshTokens.Rotation.Reused reused) {
            audit.record("refresh.reuse", reused.username(), "a used refresh token was presented again: session revoked",
                    Map.of("session", reused.family().toString()));
        } else if (rotation instanceof RefreshTokens.Rotation.Invalid) {
            audit.record("refresh.refused", "unknown", "unknown, expired or revoked refresh token");
        } else if (rotation instanceof RefreshTokens.Rotation.Rotated rotated) {
            GatewayConfig.User user = config.users().get(rotated.username());
            if (user == null) { // removed since the login: the session ends with the account
                refreshTokens.revokeFamily(rotated.next().token(), "user removed");
                audit.record("refresh.refused", rotated.username(), "user no longer configured: session revoked");
                return Optional.empty();
            }
            audit.record("refresh.success", rotated.username(), "refresh token rotated");
            return Optional.of(issuer.issue(rotated.username(), user.roles())
                    .withRefreshToken(rotated.next().token(), rotated.next().expiresAt()));
        }
        return Optional.empty();
    }

    /** Ends the session of this refresh token. Says nothing about whether there was one. */
    public void logout(String refreshToken) {
        refreshTokens.revokeFamily(refreshToken, "logout")
                .ifPresent(username -> audit.record("logout", username, "session revoked"));
    }
}
