package dev.accesstoken.chassis.metrics;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;

import dev.accesstoken.chassis.security.RefusalReason;
import dev.accesstoken.chassis.security.VerifiedTokenCache;

/**
 * The security meters every service has: tokens refused, by reason ({@code tokens_refused_total{reason}}), and the
 * verified-token cache ({@code cache_gets_total{cache="verified-tokens",result="hit"|"miss"}}, {@code cache_size}, ...).
 * The reason label takes only the tags of {@link RefusalReason}, so its cardinality is fixed; each counter is
 * registered at start-up, so a rate over it exists before the first refusal.
 */
@Singleton
public class SecurityMeters {

    public static final String TOKENS_REFUSED = "tokens.refused";
    public static final String TOKEN_CACHE = "verified-tokens";

    private final MeterRegistry registry;
    private final VerifiedTokenCache cache;
    private final Map<RefusalReason, Counter> refused = new EnumMap<>(RefusalReason.class);

    public SecurityMeters(MeterRegistry registry, VerifiedTokenCache cache) {
        this.registry = registry;
        this.cache = cache;
        // Filled here, before the bean is published, so requests only read the map.
        for (RefusalReason reason : RefusalReason.values()) {
            refused.put(reason, Counter.builder(TOKENS_REFUSED)
                    .description("Bearer tokens refused by this service's verification, by reason")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    /** Makes the bean, and so its counters, at start-up. */
    void bind(@Observes StartupEvent start) {
        // Caffeine records the statistics (recordStats); Micrometer reads them on each scrape.
        CaffeineCacheMetrics.monitor(registry, cache.caffeine(), TOKEN_CACHE, Tags.empty());
    }

    /** One token refused. */
    public void tokenRefused(RefusalReason reason) {
        refused.get(reason).increment();
    }
}
