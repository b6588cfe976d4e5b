package dev.accesstoken.order.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.accesstoken.order.model.Order;
import dev.accesstoken.order.model.OrderCursor;
import dev.accesstoken.order.model.OrderEntity;
import io.quarkus.panache.common.Sort;

/**
 * Orders in PostgreSQL, shared by every replica. Each method is its own transaction: a PENDING order is
 * committed before customer-service is asked, so a crash at any later moment leaves it for the reconciler.
 * Times come from the database clock, so that replicas agree on them.
 */
@ApplicationScoped
public class OrderRepository {

    private final EntityManager em;

    public OrderRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Stores a new PENDING order, marked in flight for {@code inFlight}.
     *
     * @return false if this user already has an order with this Idempotency-Key (nothing is stored)
     */
    @Transactional
    public boolean insertPending(Order order, String idempotencyKey, Duration inFlight) {
        return em.createNativeQuery("""
                INSERT INTO orders (id, username, customer_id, amount, description, state, created_at, updated_at,
                                    idempotency_key, in_flight_until)
                VALUES (?1, ?2, ?3, ?4, ?5, 'PENDING', now(), now(), ?6, now() + ?7 * interval '1 millisecond')
                ON CONFLICT (username, idempotency_key) DO NOTHING""")
                .setParameter(1, order.id())
                .setParameter(2, order.username())
                .setParameter(3, order.customerId())
                .setParameter(4, order.amount())
                .setParameter(5, order.description())
                .setParameter(6, idempotencyKey)
                .setParameter(7, inFlight.toMillis())
                .executeUpdate() == 1;
    }

    /**
     * PENDING becomes APPROVED or REJECTED, once: whoever settles first (the request or the reconciler of any
     * replica) wins, and both would have adopted the same decision from customer-service.
     *
     * @return whether this call settled it (false: it was settled already)
     */
    @Transactional
    public boolean settle(String id, Order.State state, Order.RejectionReason reason) {
        return em.createNativeQuery("""
                UPDATE orders SET state = ?2, rejection_reason = ?3, updated_at = now(), in_flight_until = NULL
                WHERE id = ?1 AND state = 'PENDING'""")
                .setParameter(1, id).setParameter(2, state.name())
                .setParameter(3, reason == null ? null : reason.name())
                .executeUpdate() == 1;
    }

    /** How many orders are PENDING, whoever is working on them. */
    @Transactional
    public long countPending() {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM orders WHERE state = 'PENDING'").getSingleResult())
                .longValue();
    }

    /** The request that made the order has ended without a decision: the reconciler may take it now. */
    @Transactional
    public void releaseToReconciler(String id) {
        em.createNativeQuery("UPDATE orders SET in_flight_until = NULL WHERE id = ?1 AND state = 'PENDING'")
                .setParameter(1, id).executeUpdate();
    }

    /** PENDING orders no request is working on any more, oldest first. */
    @SuppressWarnings("unchecked")
    @Transactional
    public List<String> findUnattendedPending(int limit) {
        return em.createNativeQuery("""
                SELECT id FROM orders
                WHERE state = 'PENDING' AND (in_flight_until IS NULL OR in_flight_until < now())
                ORDER BY created_at LIMIT ?1""")
                .setParameter(1, limit).getResultList();
    }

    /** Whether the request that made this order may still be running. */
    @Transactional
    public boolean isInFlight(String id) {
        return !em.createNativeQuery("SELECT 1 FROM orders WHERE id = ?1 AND in_flight_until > now()")
                .setParameter(1, id).getResultList().isEmpty();
    }

    @Transactional
    public Optional<OrderEntity> findByIdempotencyKey(String username, String key) {
        return OrderEntity.find("username = ?1 AND idempotencyKey = ?2", username, key).firstResultOptional();
    }

    @Transactional
    public Optional<Order> findById(String id) {
        return OrderEntity.<OrderEntity> findByIdOptional(id).map(OrderEntity::toOrder);
    }

    /**
     * One page in the order of every listing (createdAt, then id), after the cursor; {@code username} null for
     * every user's orders. Keyset pagination: a page costs the same however deep it is.
     */
    @Transactional
    public List<Order> page(String username, OrderCursor after, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (username != null) {
            where.append(" and username = :username");
            params.put("username", username);
        }
        if (after != null) {
            where.append(" and (createdAt > :at or (createdAt = :at and id > :id))");
            params.put("at", after.createdAt());
            params.put("id", after.id());
        }
        return OrderEntity.<OrderEntity> find(where.toString(), Sort.by("createdAt").and("id"), params)
                .page(0, limit).list().stream().map(OrderEntity::toOrder).toList();
    }
}
