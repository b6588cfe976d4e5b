package dev.accesstoken.gateway.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who may get a token: users by password, services by client credentials. Secrets are kept only as hashes:
 * bcrypt for passwords, SHA-256 for client secrets (256-bit random values). None are configured by default; the
 * profile {@code demo} has the demo ones.
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The users who may log in, keyed by username. */
    Map<String, User> users();

    /** The services that may use the client-credentials grant, keyed by client id. */
    Map<String, Client> clients();

    /** Lifetime of a service token in seconds: short, since nobody can revoke it. */
    @WithDefault("300")
    @Positive
    @Max(300)
    long clientTokenLifespan();

    /** Exponential backoff after failed logins, per username and per client address. */
    LoginThrottle loginThrottle();

    /** Refresh tokens: one family per login, rotated on every use. */
    RefreshTokens refreshTokens();

    /** Token exchange (RFC 8693) for per-hop tokens; read by {@code TokenIssuer}. */
    Exchange exchange();

    interface Exchange {
        /** With access-token.propagation=exchange: the one audience of users' tokens, the first hop. */
        @WithDefault("order-service")
        String userAudience();

        /** Exchanged tokens live this long at most, and never past the subject token's exp. */
        @WithDefault("60")
        @Positive
        @Max(300)
        long tokenLifespan();
    }

    /** Key rotation; read by {@code SigningKeys}. */
    Signing signing();

    interface Signing {
        /** PEM file of retired public keys the JWKS keeps publishing until their tokens have expired. */
        Optional<String> previousKeysLocation();
    }

    interface LoginThrottle {
        /**
         * Failures for one username (or client id) from one client network (/24, IPv6 /64) before the backoff
         * starts. Unknown usernames count the same way.
         */
        @WithDefault("3")
        @Positive
        int userFreeFailures();

        /**
         * Failures for one username (or client id) from all networks together before the backoff starts: far more
         * than the per-network ones, so that the owner is not locked out by someone else's guesses, yet a bound on
         * guessing spread over many networks.
         */
        @WithDefault("100")
        @Positive
        int userGlobalFreeFailures();

        /** Failures from one client address before the backoff starts: more, since many users may share one (NAT). */
        @WithDefault("20")
        @Positive
        int addressFreeFailures();

        /** The first wait; each further failure doubles it. */
        @WithDefault("1s")
        Duration baseDelay();

        @WithDefault("15m")
        Duration maxDelay();

        /** A key with no failure for this long starts again from zero. */
        @WithDefault("1h")
        Duration forgetAfter();
    }

    /** bcrypt of users' passwords: how many may run at once on this gateway. */
    PasswordChecks passwordChecks();

    interface PasswordChecks {
        /**
         * Password checks running at once; a login beyond them is answered 503 + Retry-After at once instead of
         * queueing behind bcrypt (about 100 ms of a whole core each, at cost 10).
         */
        @WithDefault("4")
        @Positive
        int maxConcurrent();
    }

    /** Pruning of expired throttle counts and sessions. */
    Housekeeping housekeeping();

    interface Housekeeping {
        /** How often (a Quarkus scheduler period, e.g. 10m; "off" disables it). Every replica prunes; it is idempotent. */
        @WithDefault("10m")
        String every();
    }

    interface RefreshTokens {
        /** How long after the login a session can still be refreshed (absolute, not sliding). */
        @WithDefault("8h")
        Duration sessionLifespan();
    }

    interface User {
        /** A bcrypt hash ($2a$), never the password itself. */
        String passwordHash();

        Set<String> roles();
    }

    interface Client {
        /** The SHA-256 of the client secret, 64 lower-case hex digits (the secret is a 256-bit random value). */
        String secretHash();

        /** The one audience its tokens carry: the only service that accepts them. */
        String audience();
    }
}
