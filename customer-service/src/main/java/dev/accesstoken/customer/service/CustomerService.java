package dev.accesstoken.customer.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.accesstoken.chassis.config.AccessTokenConfig;
import dev.accesstoken.chassis.config.AccessTokenConfig.Propagation;
import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.security.Audit;
import dev.accesstoken.customer.config.CustomerConfig;
import dev.accesstoken.customer.model.Customer;
import dev.accesstoken.customer.model.Reservation;
import dev.accesstoken.customer.model.ReservationRequest;
import io.quarkus.security.ForbiddenException;

/**
 * This service's own authorization decisions. Another user's customer is reported as missing,
 * so that a caller learns nothing about records that are not theirs.
 */
@ApplicationScoped
public class CustomerService {

    static final String ADMIN = "admin";

    private final CustomerRepository repository;
    private final CustomerConfig config;
    private final Audit audit;

    private final boolean exchangeMode;

    public CustomerService(CustomerRepository repository, CustomerConfig config, Audit audit,
            AccessTokenConfig accessToken) {
        this.repository = repository;
        this.config = config;
        this.audit = audit;
        this.exchangeMode = accessToken.propagation() == Propagation.EXCHANGE;
    }

    public Customer me(JsonWebToken caller) {
        return repository.findByUsername(caller.getName())
                .orElseThrow(() -> new NotFoundException("No customer record belongs to you"));
    }

    public Customer get(String id, JsonWebToken caller) {
        return ownedOrDenied(id, caller, caller.getGroups().contains(ADMIN));
    }

    public List<Customer> all() {
        return repository.findAll();
    }

    public Reservation reserve(String id, ReservationRequest request, JsonWebToken caller) {
        String actor = Identity.actor(caller);
        if (exchangeMode && (actor == null || !config.reservationActors().contains(actor))) {
            throw new ForbiddenException("credit is reserved only with a token exchanged by " + config.reservationActors());
        }
        return repository.reserve(owned(id, caller).id(), request.orderId(), request.amount());
    }

    public Reservation reservation(String orderId, JsonWebToken client) {
        requireSettlementClient(client);
        return repository.findReservation(orderId)
                .orElseThrow(() -> new NotFoundException("No reservation for order " + orderId));
    }

    public Reservation settle(String orderId, JsonWebToken client) {
        requireSettlementClient(client);
        return repository.settle(orderId);
    }

    /** The role alone is not enough: only the configured clients settle, never another service. */
    private void requireSettlementClient(JsonWebToken client) {
        if (!config.settlementClients().contains(client.getSubject())) {
            throw new ForbiddenException("not a settlement client"); // audited by the chassis's mapper
        }
    }

    private Customer owned(String id, JsonWebToken caller) {
        return ownedOrDenied(id, caller, false);
    }

    /** Another user's customer answers exactly like a missing one, and the denial is audited. */
    private Customer ownedOrDenied(String id, JsonWebToken caller, boolean admin) {
        Customer customer = repository.findById(id).orElseThrow(() -> notFound(id));
        if (!admin && !isOwner(customer, caller)) {
            audit.record("ownership.denied", caller.getName(), "the customer belongs to another user",
                    Map.of("customer", id));
            throw notFound(id);
        }
        return customer;
    }

    private static boolean isOwner(Customer customer, JsonWebToken caller) {
        return customer.username().equals(caller.getName());
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("Customer " + id + " not found");
    }
}
