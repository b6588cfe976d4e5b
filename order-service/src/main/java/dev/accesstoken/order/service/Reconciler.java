package dev.accesstoken.order.service;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.accesstoken.chassis.client.DatabaseFailures;
import dev.accesstoken.chassis.client.DownstreamFailures;
import dev.accesstoken.order.client.SettlementClient;
import dev.accesstoken.order.config.OrderConfig;
import dev.accesstoken.order.metrics.SettlementMeters;
import dev.accesstoken.order.model.Reservation;
import io.quarkus.scheduler.Scheduled;

/**
 * Settles PENDING orders whose request ended without a decision (a timeout, a 5xx, a crash of either
 * service). For each it asks customer-service to settle the orderId: an existing decision is adopted, and an
 * orderId that never reserved is voided there, so that a late reservation cannot take credit, and rejected
 * here with CREDIT_CHECK_FAILED. Every replica runs it; settling is idempotent on both sides.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final OrderRepository repository;
    private final OrderService orders;
    private final SettlementClient settlements;
    private final OrderConfig config;
    private final SettlementMeters meters;

    public Reconciler(OrderRepository repository, OrderService orders, @RestClient SettlementClient settlements,
            OrderConfig config, SettlementMeters meters) {
        this.meters = meters;
        this.repository = repository;
        this.orders = orders;
        this.settlements = settlements;
        this.config = config;
    }

    @Scheduled(identity = "reconciler", every = "${orders.reconciler.every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        try {
            settlePending();
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                throw e;
            }
            // Readiness reports it already; the next pass tries again, without a stack trace every few seconds.
            LOG.warnf("No orders settled in this pass: %s", DatabaseFailures.reason(e));
        }
    }

    /**
     * One pass over the PENDING orders no request is working on; returns how many it settled. Then counts what is
     * still PENDING, for the {@code orders_pending} gauge.
     */
    public int settlePending() {
        int settled = 0;
        for (String orderId : repository.findUnattendedPending(config.reconciler().batchSize())) {
            try {
                Reservation decision = settlements.settle(orderId);
                orders.settle(orderId, decision, SettlementMeters.By.RECONCILER);
                LOG.infof("Settled order %s: %s", orderId, decision.status());
                settled++;
            } catch (RuntimeException e) {
                // The next pass tries again. One order that fails must not hold up the others, but when
                // customer-service or the database is unreachable the rest of this pass would fail the same way.
                LOG.warnf("Cannot settle order %s yet: %s", orderId, e.getMessage());
                if (DownstreamFailures.isTransportFailure(e) || DatabaseFailures.isUnavailable(e)) {
                    break;
                }
            }
        }
        meters.pending(repository.countPending());
        return settled;
    }
}
