package dev.accesstoken.chassis.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;

import dev.accesstoken.chassis.security.VerifiedTokenCache;

/**
 * The security meters every service has: tokens refused, by reason ({@code tokens_refused_total{reason}}), and the
 * verified-token cache ({@code cache_gets_total{cache="verified-tokens",result="hit"|"miss"}}, {@code cache_size}, ...).
 * The reason label takes only the values of {@link #REFUSAL_REASONS}, so its cardinality is fixed; each counter is
 * registered at start-up, so a rate over it exists before the first refusal.
 */
@Singleton
public class SecurityMeters {

    public static final String TOKENS_REFUSED = "tokens.refused";
    public static final String TOKEN_CACHE = "verified-tokens";
    /** The reasons {@code ProblemMappers.refusal} gives, as its audit writes them. */
    public static final List<String> REFUSAL_REASONS = List.of("expired", "bad signature", "wrong audience", "wrong issuer",
            "not yet valid", "unknown kid or unsigned", "algorithm not allowed", "malformed or unverifiable");

    private final MeterRegistry registry;
    private final VerifiedTokenCache cache;
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();

    public SecurityMeters(MeterRegistry registry, VerifiedTokenCache cache) {
        this.registry = registry;
        this.cache = cache;
    }

    void bind(@Observes StartupEvent start) {
        REFUSAL_REASONS.forEach(this::counter);
        // Caffeine records the statistics (recordStats); Micrometer reads them on each scrape.
        CaffeineCacheMetrics.monitor(registry, cache.caffeine(), TOKEN_CACHE, Tags.empty());
    }

    /** One token refused; a reason outside the fixed set is counted as "malformed or unverifiable". */
    public void tokenRefused(String reason) {
        counter(REFUSAL_REASONS.contains(reason) ? reason : "malformed or unverifiable").increment();
    }

    /** "wrong audience" -> "wrong_audience": a Prometheus label value without spaces. */
    public static String label(String reason) {
        return reason.replace(' ', '_').toLowerCase(Locale.ROOT);
    }

    private Counter counter(String reason) {
        return refused.computeIfAbsent(reason, r -> Counter.builder(TOKENS_REFUSED)
                .description("Bearer tokens refused by this service's verification, by reason")
                .tag("reason", label(r))
                .register(registry));
    }
}
