package dev.accesstoken.customer.service;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.accesstoken.customer.config.CustomerConfig;
import dev.accesstoken.customer.metrics.ReservationMeters;
import dev.accesstoken.customer.model.Customer;
import dev.accesstoken.customer.model.CustomerEntity;
import dev.accesstoken.customer.model.Reservation;
import dev.accesstoken.customer.model.ReservationEntity;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;

/**
 * Customers and their credit in PostgreSQL, shared by every replica. Credit cannot be overdrawn across
 * replicas because each reservation is one transaction: the reservation row is claimed by its primary key
 * (orderId), then the credit is taken by a conditional update that PostgreSQL serialises per customer row.
 */
@ApplicationScoped
public class CustomerRepository {

    private final EntityManager em;
    private final CustomerConfig config;
    private final Event<ReservationMeters.Decided> decided;

    public CustomerRepository(EntityManager em, CustomerConfig config, Event<ReservationMeters.Decided> decided) {
        this.em = em;
        this.config = config;
        this.decided = decided;
    }

    /** Adds the configured customers that are missing; existing ones keep their credit. Safe on every replica at once. */
    @Transactional
    void seed(@Observes StartupEvent start) {
        if (!config.seedAtStart()) {
            return;
        }
        config.seed().forEach((username, seed) -> em.createNativeQuery("""
                INSERT INTO customer (id, username, name, credit_limit, available_credit)
                VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT DO NOTHING""")
                .setParameter(1, idFor(username))
                .setParameter(2, username)
                .setParameter(3, seed.name())
                .setParameter(4, seed.creditLimit())
                .executeUpdate());
    }

    /** Stable across restarts and replicas, so that orders keep pointing at the right customer. */
    static String idFor(String username) {
        return UUID.nameUUIDFromBytes(("customer:" + username).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Transactional
    public Optional<Customer> findById(String id) {
        return CustomerEntity.<CustomerEntity> findByIdOptional(id).map(CustomerEntity::toCustomer);
    }

    public Optional<Customer> findByUsername(String username) {
        return findById(idFor(username));
    }

    @Transactional
    public List<Customer> findAll() {
        return CustomerEntity.<CustomerEntity> listAll(Sort.by("username")).stream()
                .map(CustomerEntity::toCustomer).toList();
    }

    /**
     * Reserves {@code amount} for the order, or answers the first decision again if this order was seen before.
     *
     * @throws ReservationConflictException if the order was seen before with another amount or customer
     */
    @Transactional
    public Reservation reserve(String customerId, String orderId, BigDecimal amount) {
        // Claims the orderId. A concurrent claim of the same orderId waits here until this one commits.
        boolean claimed = em.createNativeQuery("""
                INSERT INTO reservation (order_id, customer_id, amount, status)
                VALUES (?1, ?2, ?3, 'REJECTED') ON CONFLICT DO NOTHING""")
                .setParameter(1, orderId).setParameter(2, customerId).setParameter(3, amount)
                .executeUpdate() == 1;
        if (claimed) {
            // Takes the credit only if it is there; the row lock serialises replicas and threads alike.
            boolean debited = em.createNativeQuery("""
                    UPDATE customer SET available_credit = available_credit - ?1
                    WHERE id = ?2 AND available_credit >= ?1""")
                    .setParameter(1, amount).setParameter(2, customerId)
                    .executeUpdate() == 1;
            if (debited) {
                em.createNativeQuery("UPDATE reservation SET status = 'APPROVED' WHERE order_id = ?1")
                        .setParameter(1, orderId).executeUpdate();
            }
        }
        ReservationEntity decision = reservation(orderId).orElseThrow();
        if (claimed) {
            decided.fire(new ReservationMeters.Decided(decision.status)); // counted once committed
        }
        if (!claimed && decision.status != Reservation.Status.VOIDED
                && (!customerId.equals(decision.customerId) || amount.compareTo(decision.amount) != 0)) {
            throw new ReservationConflictException(orderId);
        }
        return toReservation(decision);
    }

    /**
     * Settles an order whose answer was lost: its reservation as it stands, or, if customer-service never
     * reserved for it, a VOIDED row that makes every later reservation with this orderId refuse.
     */
    @Transactional
    public Reservation settle(String orderId) {
        em.createNativeQuery("INSERT INTO reservation (order_id, status) VALUES (?1, 'VOIDED') ON CONFLICT DO NOTHING")
                .setParameter(1, orderId).executeUpdate();
        return toReservation(reservation(orderId).orElseThrow());
    }

    @Transactional
    public Optional<Reservation> findReservation(String orderId) {
        return reservation(orderId).map(this::toReservation);
    }

    private Optional<ReservationEntity> reservation(String orderId) {
        // Read from the database, not from this transaction's cache: the rows were written by native SQL.
        return em.createQuery("FROM ReservationEntity WHERE orderId = ?1", ReservationEntity.class)
                .setParameter(1, orderId).getResultStream().findFirst();
    }

    private Reservation toReservation(ReservationEntity r) {
        BigDecimal available = r.customerId == null ? null
                : (BigDecimal) em.createNativeQuery("SELECT available_credit FROM customer WHERE id = ?1")
                        .setParameter(1, r.customerId).getSingleResult();
        return new Reservation(r.orderId, r.status == Reservation.Status.APPROVED, r.status, available);
    }
}
