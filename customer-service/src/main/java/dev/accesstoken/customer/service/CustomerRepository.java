package dev.accesstoken.customer.service;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import dev.accesstoken.chassis.persistence.Sql;
import dev.accesstoken.customer.config.CustomerConfig;
import dev.accesstoken.customer.metrics.ReservationMeters;
import dev.accesstoken.customer.model.Customer;
import dev.accesstoken.customer.model.Reservation;
import io.quarkus.runtime.StartupEvent;

/**
 * Customers and their credit in PostgreSQL, shared by every replica. Credit cannot be overdrawn across
 * replicas because each reservation is one transaction: the reservation row is claimed by its primary key
 * (orderId), then the credit is taken by a conditional update that PostgreSQL serialises per customer row.
 */
@ApplicationScoped
public class CustomerRepository {

    private static final String CUSTOMER = "SELECT id, username, name, credit_limit, available_credit FROM customer";

    /** A reservation row with its customer's credit now; customerId, amount and credit are null for a voided one. */
    private record Decision(String orderId, String customerId, BigDecimal amount, Reservation.Status status,
            BigDecimal availableCredit) {

        Reservation toReservation() {
            return new Reservation(orderId, status == Reservation.Status.APPROVED, status, availableCredit);
        }
    }

    private final Sql sql;
    private final CustomerConfig config;
    private final Event<ReservationMeters.Decided> decided;

    public CustomerRepository(DataSource dataSource, CustomerConfig config, Event<ReservationMeters.Decided> decided) {
        this.sql = new Sql(dataSource);
        this.config = config;
        this.decided = decided;
    }

    /** Adds the configured customers that are missing; existing ones keep their credit. Safe on every replica at once. */
    @Transactional
    void seed(@Observes StartupEvent start) {
        if (!config.seedAtStart()) {
            return;
        }
        config.seed().forEach((username, seed) -> sql.update("""
                INSERT INTO customer (id, username, name, credit_limit, available_credit)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                idFor(username), username, seed.name(), seed.creditLimit(), seed.creditLimit()));
    }

    /** Stable across restarts and replicas, so that orders keep pointing at the right customer. */
    static String idFor(String username) {
        return UUID.nameUUIDFromBytes(("customer:" + username).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public Optional<Customer> findById(String id) {
        return sql.first(CUSTOMER + " WHERE id = ?", CustomerRepository::customer, id);
    }

    public Optional<Customer> findByUsername(String username) {
        return findById(idFor(username));
    }

    public List<Customer> findAll() {
        return sql.list(CUSTOMER + " ORDER BY username", CustomerRepository::customer);
    }

    /**
     * Reserves {@code amount} for the order, or answers the first decision again if this order was seen before.
     *
     * @throws ReservationConflictException if the order was seen before with another amount or customer
     */
    @Transactional
    public Reservation reserve(String customerId, String orderId, BigDecimal amount) {
        // Claims the orderId. A concurrent claim of the same orderId waits here until this one commits.
        boolean claimed = sql.update("""
                INSERT INTO reservation (order_id, customer_id, amount, status)
                VALUES (?, ?, ?, 'REJECTED') ON CONFLICT DO NOTHING""", orderId, customerId, amount) == 1;
        if (claimed) {
            // Takes the credit only if it is there; the row lock serialises replicas and threads alike.
            boolean debited = sql.update("""
                    UPDATE customer SET available_credit = available_credit - ?
                    WHERE id = ? AND available_credit >= ?""", amount, customerId, amount) == 1;
            if (debited) {
                sql.update("UPDATE reservation SET status = 'APPROVED' WHERE order_id = ?", orderId);
            }
        }
        Decision decision = decision(orderId).orElseThrow();
        if (claimed) {
            decided.fire(new ReservationMeters.Decided(decision.status())); // counted once committed
        }
        if (!claimed && decision.status() != Reservation.Status.VOIDED
                && (!customerId.equals(decision.customerId()) || amount.compareTo(decision.amount()) != 0)) {
            throw new ReservationConflictException(orderId);
        }
        return decision.toReservation();
    }

    /**
     * Settles an order whose answer was lost: its reservation as it stands, or, if customer-service never
     * reserved for it, a VOIDED row that makes every later reservation with this orderId refuse.
     */
    @Transactional
    public Reservation settle(String orderId) {
        sql.update("INSERT INTO reservation (order_id, status) VALUES (?, 'VOIDED') ON CONFLICT DO NOTHING", orderId);
        return decision(orderId).orElseThrow().toReservation();
    }

    public Optional<Reservation> findReservation(String orderId) {
        return decision(orderId).map(Decision::toReservation);
    }

    private Optional<Decision> decision(String orderId) {
        return sql.first("""
                SELECT r.order_id, r.customer_id, r.amount, r.status, c.available_credit
                FROM reservation r LEFT JOIN customer c ON c.id = r.customer_id
                WHERE r.order_id = ?""",
                row -> new Decision(row.getString("order_id"), row.getString("customer_id"), row.getBigDecimal("amount"),
                        Sql.enumOf(Reservation.Status.class, row, "status"), row.getBigDecimal("available_credit")),
                orderId);
    }

    private static Customer customer(ResultSet row) throws SQLException {
        return new Customer(row.getString("id"), row.getString("username"), row.getString("name"),
                row.getBigDecimal("credit_limit"), row.getBigDecimal("available_credit"));
    }
}
