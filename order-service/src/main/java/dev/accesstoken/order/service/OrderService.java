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
     * An order is stored only once customer-service has decided on its credit. If that call fails,
     * nothing is stored and any credit it may have reserved is given back.
     */
    public Order place(OrderRequest request, JsonWebToken caller) {
        Customer customer = customers.me();
        String orderId = UUID.randomUUID().toString();
        Reservation reservation;
        try {
            reservation = customers.reserve(customer.id(), new ReservationRequest(orderId, request.amount()));
        } catch (ProcessingException e) {
            releaseQuietly(customer.id(), orderId);
            throw e;
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

    private void releaseQuietly(String customerId, String orderId) {
        try {
            customers.release(customerId, orderId);
        } catch (RuntimeException e) {
            // customer-service keeps the hold; the orderId lets an operator release it.
            LOG.warnf("Could not release the credit held for order %s: %s", orderId, e.getMessage());
        }
    }

    private static boolean isAdmin(JsonWebToken caller) {
        return caller.getGroups().contains(ADMIN);
    }
}
