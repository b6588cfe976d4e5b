package dev.accesstoken.order.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.accesstoken.chassis.client.DatabaseFailures;
import dev.accesstoken.chassis.client.DownstreamFailures;
import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.ProblemException;
import dev.accesstoken.chassis.security.Audit;
import dev.accesstoken.order.client.CustomerClient;
import dev.accesstoken.order.config.OrderConfig;
import dev.accesstoken.order.metrics.SettlementMeters;
import dev.accesstoken.order.model.Customer;
import dev.accesstoken.order.model.Order;
import dev.accesstoken.order.model.OrderCursor;
import dev.accesstoken.order.model.OrderDetails;
import dev.accesstoken.order.model.OrderRequest;
import dev.accesstoken.order.model.Reservation;
import dev.accesstoken.order.model.ReservationRequest;
import io.smallrye.mutiny.Uni;

/**
 * Places orders against the customer's credit and applies this service's own access rules:
 * a user sees their own orders, admin sees all, and another user's order is reported as missing.
 */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);
    static final String ADMIN = "admin";

    /** The order, and whether this request created it (201) or found it by its Idempotency-Key (200). */
    public record Placement(Order order, boolean created) {
    }

    private final OrderRepository repository;
    private final CustomerClient customers;
    private final OrderConfig config;
    private final Audit audit;

    private final SettlementMeters meters;
    private final CursorSigner cursors;

    public OrderService(OrderRepository repository, @RestClient CustomerClient customers, OrderConfig config,
            Audit audit, SettlementMeters meters, CursorSigner cursors) {
        this.cursors = cursors;
        this.audit = audit;
        this.meters = meters;
        this.repository = repository;
        this.customers = customers;
        this.config = config;
    }

    /**
     * The order is stored as PENDING before customer-service is asked, so nothing is lost whatever fails later.
     * The reservation is idempotent by orderId, so when its answer is lost (a timeout, a 5xx) it is asked once
     * more; if that fails too, the order stays PENDING and the reconciler settles it. A database that is gone
     * fails the request before customer-service is asked to reserve anything.
     */
    public Placement place(OrderRequest request, String idempotencyKey, JsonWebToken caller) {
        if (idempotencyKey != null) {
            var earlier = repository.findByIdempotencyKey(caller.getName(), idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), request);
            }
        }
        Customer customer = customers.me();
        Order pending = new Order(UUID.randomUUID().toString(), caller.getName(), customer.id(), request.amount(),
                request.description(), Order.State.PENDING, null, Instant.now());
        if (!repository.insertPending(pending, idempotencyKey, config.inFlightTimeout())) {
            // A concurrent request with the same key stored its order first.
            return replay(repository.findByIdempotencyKey(caller.getName(), idempotencyKey).orElseThrow(), request);
        }
        Reservation reservation;
        try {
            reservation = reserve(customer.id(), pending);
        } catch (RuntimeException e) {
            repository.releaseToReconciler(pending.id());
            if (DownstreamFailures.answerMayHaveBeenLost(e)) {
                LOG.warnf("No credit decision for order %s yet, left PENDING for the reconciler: %s", pending.id(),
                        e.getMessage());
                throw new CreditDecisionLostException(pending.id(), DownstreamFailures.isTimeout(e), e);
            }
            throw e;
        }
        try {
            settle(pending.id(), reservation, SettlementMeters.By.REQUEST);
        } catch (RuntimeException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                // Credit was reserved but the database went away before the decision was stored: the order stays
                // PENDING and the reconciler adopts the same decision once the database is back.
                LOG.warnf("Order %s left PENDING for the reconciler, its decision could not be stored: %s",
                        pending.id(), DatabaseFailures.reason(e));
                throw new CreditDecisionLostException(pending.id(), false, e);
            }
            throw e;
        }
        return new Placement(repository.findById(pending.id()).orElseThrow(), true);
    }

    private Reservation reserve(String customerId, Order order) {
        ReservationRequest hold = new ReservationRequest(order.id(), order.amount());
        try {
            return customers.reserve(customerId, hold);
        } catch (RuntimeException firstAttempt) {
            if (!DownstreamFailures.answerMayHaveBeenLost(firstAttempt)) {
                throw firstAttempt;
            }
            return customers.reserve(customerId, hold);
        }
    }

    /**
     * Adopts customer-service's decision for a PENDING order; used by requests and the reconciler alike. Counted
     * only by whoever actually settled it (the conditional update matched).
     */
    public void settle(String orderId, Reservation reservation, SettlementMeters.By by) {
        SettlementMeters.Outcome outcome = switch (reservation.status()) {
            case APPROVED -> repository.settle(orderId, Order.State.APPROVED, null)
                    ? SettlementMeters.Outcome.APPROVED : null;
            case REJECTED -> repository.settle(orderId, Order.State.REJECTED, Order.RejectionReason.INSUFFICIENT_CREDIT)
                    ? SettlementMeters.Outcome.REJECTED : null;
            case VOIDED -> repository.settle(orderId, Order.State.REJECTED, Order.RejectionReason.CREDIT_CHECK_FAILED)
                    ? SettlementMeters.Outcome.CREDIT_CHECK_FAILED : null;
        };
        if (outcome != null) {
            meters.settled(outcome, by);
        }
    }

    /** The same key again: the order as it stands now, unless the body differs (422) or it is still being made (409). */
    private Placement replay(Order earlier, OrderRequest request) {
        boolean sameRequest = earlier.amount().compareTo(request.amount()) == 0
                && Objects.equals(earlier.description(), request.description());
        if (!sameRequest) {
            throw new ClientErrorException("This Idempotency-Key was already used with another request body", 422);
        }
        if (earlier.state() == Order.State.PENDING && repository.isInFlight(earlier.id())) {
            throw new ClientErrorException("The first request with this Idempotency-Key is still being processed", 409);
        }
        return new Placement(repository.findById(earlier.id()).orElseThrow(), false);
    }

    /** A page of orders and the signed cursor of the next one, if there is more. */
    public record OrderPage(List<Order> orders, Optional<String> next) {
    }

    /** The caller's orders (an admin's: everyone's), oldest first, at most {@code limit} after the cursor. */
    public OrderPage list(JsonWebToken caller, int limit, String after) {
        OrderCursor cursor = null;
        if (after != null) {
            // One answer for a changed cursor and one signed with a key since rotated out: they look the same.
            cursor = cursors.verify(after).orElseThrow(() -> new ProblemException(Problem.of(400, "The cursor is not "
                    + "one this service gave out, or its key has changed: start again from the first page")
                    .with("parameter", "after"), null));
        }
        List<Order> page = repository.page(isAdmin(caller) ? null : caller.getName(), cursor, limit + 1);
        return page.size() > limit
                ? new OrderPage(page.subList(0, limit), Optional.of(cursors.sign(OrderCursor.after(page.get(limit - 1)))))
                : new OrderPage(page, Optional.empty());
    }

    public OrderDetails get(String id, JsonWebToken caller) {
        Order order = repository.findById(id).orElseThrow(() -> new NotFoundException("Order " + id + " not found"));
        if (!isAdmin(caller) && !order.username().equals(caller.getName())) {
            audit.record("ownership.denied", caller.getName(), "the order belongs to another user", Map.of("order", id));
            throw new NotFoundException("Order " + id + " not found"); // the same answer as a missing order
        }
        Customer customer = customers.get(order.customerId());
        return OrderDetails.of(order, new OrderDetails.CustomerRef(customer.id(), customer.name()));
    }

    /** No database work: it stays on the event loop, with a non-blocking call to customer-service. */
    public Uni<Map<String, Identity>> trace(JsonWebToken caller) {
        Identity here = Identity.of(caller);
        return customers.trace().map(downstream -> {
            Map<String, Identity> hops = new LinkedHashMap<>();
            hops.put("order-service", here);
            hops.putAll(downstream);
            return hops;
        });
    }

    private static boolean isAdmin(JsonWebToken caller) {
        return caller.getGroups().contains(ADMIN);
    }
}
