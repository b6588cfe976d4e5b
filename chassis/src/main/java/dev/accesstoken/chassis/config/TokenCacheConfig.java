package dev.accesstoken.chassis.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The verified-token cache of every service (see {@code security/VerifiedTokenCache}). */
@ConfigMapping(prefix = "access-token.token-cache")
public interface TokenCacheConfig {

    /** Off: every request verifies its token's signature again. */
    @WithDefault("true")
    boolean enabled();

    /** Tokens kept at most; each entry is a token's claims, about 2 KB. */
    @WithDefault("2000")
    long maxSize();

    /** A token is verified in full again at least this often, whatever else happens. */
    @WithDefault("5m")
    Duration maxAge();
}
