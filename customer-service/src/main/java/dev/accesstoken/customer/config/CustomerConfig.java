package dev.accesstoken.customer.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "customers")
public interface CustomerConfig {

    /** The customers this service starts with, keyed by username. */
    Map<String, Seed> seed();

    /** Off only for the AOT training start in the image build, which has no database. */
    @WithDefault("true")
    boolean seedAtStart();

    /**
     * The client ids ({@code sub} of a {@code service} token) that may read and settle reservations.
     * No user token can: users hold no {@code service} role.
     */
    @WithDefault("order-service")
    Set<String> settlementClients();

    /**
     * With access-token.propagation=exchange: the services ({@code act.sub} of an exchanged token) that may reserve
     * credit for a user. A user's own token, which has no {@code act}, then cannot.
     */
    @WithDefault("order-service")
    Set<String> reservationActors();

    interface Seed {
        String name();

        BigDecimal creditLimit();
    }
}
