package dev.accesstoken.order.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "orders")
public interface OrderConfig {

    /**
     * How long the request that stored a PENDING order may still be waiting for its decision. Until then the
     * reconciler leaves the order alone, and the same Idempotency-Key is answered 409.
     */
    @WithDefault("10s")
    Duration inFlightTimeout();

    Reconciler reconciler();

    interface Reconciler {
        /** How often PENDING orders are settled (read by the @Scheduled trigger; "off" disables it). */
        @WithDefault("5s")
        String every();

        /** How many PENDING orders one pass settles at most. */
        @WithDefault("100")
        int batchSize();
    }
}
