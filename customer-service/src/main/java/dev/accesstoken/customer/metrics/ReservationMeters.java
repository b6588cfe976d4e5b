package dev.accesstoken.customer.metrics;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.accesstoken.customer.model.Reservation;

/**
 * {@code reservations_total{decision="approved"|"rejected"}}: credit decisions taken, each once per orderId. Counted
 * after the transaction that took it commits (a rolled-back one took nothing), and never again for the same
 * orderId asked twice, nor for a settlement that voids one.
 */
@Singleton
public class ReservationMeters {

    /** Fired inside the reservation's transaction when this call took the decision (not a repeat). */
    public record Decided(Reservation.Status status) {
    }

    private final Map<Reservation.Status, Counter> decisions;

    public ReservationMeters(MeterRegistry registry) {
        this.decisions = Map.of(
                Reservation.Status.APPROVED, counter(registry, "approved"),
                Reservation.Status.REJECTED, counter(registry, "rejected"));
    }

    void count(@Observes(during = TransactionPhase.AFTER_SUCCESS) Decided decided) {
        Counter counter = decisions.get(decided.status());
        if (counter != null) {
            counter.increment();
        }
    }

    private static Counter counter(MeterRegistry registry, String decision) {
        return Counter.builder("reservations").description("Credit reservations decided by customer-service")
                .tag("decision", decision).register(registry);
    }
}
