package dev.accesstoken.chassis.config;

import java.time.Duration;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * What every service configures alike under {@code access-token.*}: how tokens travel, the token cache, JSON limits.
 * Static-init safe: {@code JsonLimits} customizes the ObjectMapper, which an extension may build at static init.
 */
@StaticInitSafe
@ConfigMapping(prefix = "access-token")
public interface AccessTokenConfig {

    /** How a caller's token reaches the next hop. Set the three services alike. */
    @WithDefault("forward")
    Propagation propagation();

    /** The verified-token cache (see {@code security/VerifiedTokenCache}). */
    TokenCache tokenCache();

    /** Jackson's read constraints for every request body (see {@code config/JsonLimits}). */
    Json json();

    enum Propagation {
        /** The same token end to end. */
        FORWARD,
        /** Per-hop tokens (RFC 8693), minted by the gateway for the next hop alone. */
        EXCHANGE
    }

    interface TokenCache {
        /** Off: every request verifies its token's signature again. */
        @WithDefault("true")
        boolean enabled();

        /** Tokens kept at most; each entry is a token's claims, about 2 KB. */
        @WithDefault("2000")
        long maxSize();

        /** A token is verified in full again at least this often, whatever else happens. */
        @WithDefault("5m")
        Duration maxAge();

        /**
         * A cached token is served on the event loop, without asking the JWKS, only while its signing key was
         * last found in the JWKS at most this long ago; after that one request asks again on a worker thread.
         */
        @WithDefault("30s")
        Duration keyRecheck();
    }

    interface Json {
        @WithDefault("32")
        int maxNestingDepth();

        @WithDefault("65536")
        int maxStringLength();
    }
}
