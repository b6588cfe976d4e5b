package dev.accesstoken.customer.config;

import java.math.BigDecimal;
import java.util.Map;

import io.smallrye.config.ConfigMapping;

/** The customers this service starts with, keyed by username. */
@ConfigMapping(prefix = "customers")
public interface CustomerConfig {

    Map<String, Seed> seed();

    interface Seed {
        String name();

        BigDecimal creditLimit();
    }
}
