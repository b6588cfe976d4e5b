package dev.accesstoken.order.config;

import java.time.Duration;
import java.util.Optional;

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

    Cursor cursor();

    interface Cursor {
        /**
         * The HMAC-SHA256 key of the pagination cursors (at least 32 bytes), the same at every replica. Unset: one
         * is made up at start-up, with a warning (see CursorSigner).
         */
        Optional<String> key();
    }

    interface Reconciler {
        /** How often PENDING orders are settled (read by the @Scheduled trigger; "off" disables it). */
        @WithDefault("5s")
        String every();

        /** How many PENDING orders one pass settles at most. */
        @WithDefault("100")
        int batchSize();
    }
}
