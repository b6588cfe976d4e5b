package dev.accesstoken.order.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import dev.accesstoken.order.client.CustomerClient;
import dev.accesstoken.order.client.DownstreamException;
import dev.accesstoken.order.model.Customer;
import dev.accesstoken.order.model.Identity;
import dev.accesstoken.order.model.Order;
import dev.accesstoken.order.model.OrderDetails;
import dev.accesstoken.order.model.OrderRequest;
import dev.accesstoken.order.model.Reservation;
import dev.accesstoken.order.model.ReservationRequest;

/**
 * Places orders against the customer's credit and applies this service's own access rules:
 * a user sees their own orders, admin sees all, and another user's order is reported as missing.
 */
@ApplicationScoped
public class OrderService {

    private static final Logger LOG = Logger.getLogger(OrderService.class);
    static final String ADMIN = "admin";

    private final OrderRepository repository;
    private final CustomerClient customers;

    public OrderService(OrderRepository repository, @RestClient CustomerClient customers) {
        this.repository = repository;
        this.customers = customers;
    }

    /**
     * An order is stored only once customer-service has decided on its credit, so a failure never leaves
     * a half-made order. The reservation is idempotent by orderId, so when its answer is lost (a timeout,
     * a 5xx) it is asked once more: if the first request did reserve, the second learns that decision
     * instead of reserving again.
     */
    public Order place(OrderRequest request, JsonWebToken caller) {
        Customer customer = customers.me();
        String orderId = UUID.randomUUID().toString();
        ReservationRequest hold = new ReservationRequest(orderId, request.amount());
        Reservation reservation;
        try {
            reservation = customers.reserve(customer.id(), hold);
        } catch (RuntimeException firstAttempt) {
            if (!answerMayHaveBeenLost(firstAttempt)) {
                throw firstAttempt;
            }
            try {
                reservation = customers.reserve(customer.id(), hold);
            } catch (RuntimeException secondAttempt) {
                // customer-service may hold credit for this order; the orderId lets an operator reconcile it.
                LOG.warnf("No credit decision for order %s of customer %s: %s", orderId, customer.id(),
                        secondAttempt.getMessage());
                throw secondAttempt;
            }
        }
        boolean approved = reservation.approved();
        Order order = new Order(orderId, caller.getName(), customer.id(), request.amount(), request.description(),
                approved ? Order.State.APPROVED : Order.State.REJECTED,
                approved ? null : Order.RejectionReason.INSUFFICIENT_CREDIT,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        repository.save(order);
        return order;
    }

    public List<Order> list(JsonWebToken caller) {
        return isAdmin(caller) ? repository.findAll() : repository.findByUsername(caller.getName());
    }

    public OrderDetails get(String id, JsonWebToken caller) {
        Order order = repository.findById(id)
                .filter(o -> isAdmin(caller) || o.username().equals(caller.getName()))
                .orElseThrow(() -> new NotFoundException("Order " + id + " not found"));
        Customer customer = customers.get(order.customerId());
        return OrderDetails.of(order, new OrderDetails.CustomerRef(customer.id(), customer.name()));
    }

    public Map<String, Identity> trace(JsonWebToken caller) {
        Map<String, Identity> hops = new LinkedHashMap<>();
        hops.put("order-service", Identity.of(caller));
        hops.putAll(customers.trace());
        return hops;
    }

    private static boolean answerMayHaveBeenLost(RuntimeException e) {
        return e instanceof ProcessingException
                || e instanceof DownstreamException downstream && downstream.problem().status() >= 500;
    }

    private static boolean isAdmin(JsonWebToken caller) {
        return caller.getGroups().contains(ADMIN);
    }
}
