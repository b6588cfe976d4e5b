package dev.accesstoken.customer.service;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.customer.config.CustomerConfig;
import dev.accesstoken.customer.model.Customer;
import dev.accesstoken.customer.model.Reservation;

/**
 * In-memory customers and their credit. Each account guards its own credit, so concurrent
 * reservations for one customer are serialised and can never overdraw it.
 */
@ApplicationScoped
public class CustomerRepository {

    private final Map<String, Account> accountsById = new ConcurrentHashMap<>();

    public CustomerRepository(CustomerConfig config) {
        config.seed().forEach((username, seed) -> {
            Account account = new Account(idFor(username), username, seed.name(), seed.creditLimit());
            accountsById.put(account.id, account);
        });
    }

    /** Stable across restarts and replicas, so that orders keep pointing at the right customer. */
    static String idFor(String username) {
        return UUID.nameUUIDFromBytes(("customer:" + username).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Optional<Customer> findById(String id) {
        return Optional.ofNullable(accountsById.get(id)).map(Account::snapshot);
    }

    public Optional<Customer> findByUsername(String username) {
        return findById(idFor(username));
    }

    public List<Customer> findAll() {
        return accountsById.values().stream().map(Account::snapshot)
                .sorted(Comparator.comparing(Customer::username)).toList();
    }

    /**
     * Reserves {@code amount} for the order, or answers the first decision again if this order was seen before.
     *
     * @throws ReservationConflictException if the order was seen before with another amount
     */
    public Reservation reserve(String customerId, String orderId, BigDecimal amount) {
        return account(customerId).reserve(orderId, amount);
    }

    private Account account(String customerId) {
        Account account = accountsById.get(customerId);
        if (account == null) {
            throw new IllegalArgumentException("No customer " + customerId);
        }
        return account;
    }

    private static final class Account {
        private final String id;
        private final String username;
        private final String name;
        private final BigDecimal creditLimit;
        private BigDecimal available;
        private final Map<String, Hold> holds = new HashMap<>();

        Account(String id, String username, String name, BigDecimal creditLimit) {
            this.id = id;
            this.username = username;
            this.name = name;
            this.creditLimit = creditLimit;
            this.available = creditLimit;
        }

        synchronized Customer snapshot() {
            return new Customer(id, username, name, creditLimit, available);
        }

        synchronized Reservation reserve(String orderId, BigDecimal amount) {
            Hold previous = holds.get(orderId);
            if (previous != null) {
                if (previous.amount.compareTo(amount) != 0) {
                    throw new ReservationConflictException(orderId);
                }
                return new Reservation(orderId, previous.approved, available);
            }
            boolean approved = available.compareTo(amount) >= 0;
            if (approved) {
                available = available.subtract(amount);
            }
            holds.put(orderId, new Hold(amount, approved));
            return new Reservation(orderId, approved, available);
        }
    }

    private record Hold(BigDecimal amount, boolean approved) {
    }
}
