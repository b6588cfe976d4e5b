package dev.accesstoken.order.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Settlement of orders:
 * <ul>
 * <li>{@code orders_settled_total{outcome="approved"|"rejected"|"credit_check_failed", by="request"|"reconciler"}}:
 * PENDING orders this replica settled, counted only when its conditional update won (an order settles once);</li>
 * <li>{@code orders_pending}: the PENDING orders in the database as of this replica's last reconciler pass. Every
 * replica reads the same database, so aggregate with max, not sum. Orders that stay PENDING for more than a few
 * reconciler intervals mean customer-service cannot be reached.</li>
 * </ul>
 */
@Singleton
public class SettlementMeters {

    public enum By {
        REQUEST, RECONCILER
    }

    public enum Outcome {
        APPROVED, REJECTED, CREDIT_CHECK_FAILED
    }

    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();
    private final Map<String, Counter> settled = new ConcurrentHashMap<>();

    public SettlementMeters(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("orders.pending", pending, AtomicLong::get)
                .description("PENDING orders in the database at the last reconciler pass").register(registry);
        for (By by : By.values()) {
            for (Outcome outcome : Outcome.values()) {
                counter(outcome, by);
            }
        }
    }

    public void settled(Outcome outcome, By by) {
        counter(outcome, by).increment();
    }

    public void pending(long count) {
        pending.set(count);
    }

    private Counter counter(Outcome outcome, By by) {
        return settled.computeIfAbsent(outcome + "/" + by, key -> Counter.builder("orders.settled")
                .description("PENDING orders settled by this replica, by outcome and by whom")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                .tag("by", by.name().toLowerCase(Locale.ROOT))
                .register(registry));
    }
}
