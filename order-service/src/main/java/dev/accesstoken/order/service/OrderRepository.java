package dev.accesstoken.order.service;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.chassis.persistence.Sql;
import dev.accesstoken.order.model.Order;
import dev.accesstoken.order.model.OrderCursor;

/**
 * Orders in PostgreSQL, shared by every replica. Each method is one statement, so its own transaction: a PENDING
 * order is committed before customer-service is asked, so a crash at any later moment leaves it for the
 * reconciler. Times come from the database clock, so that replicas agree on them.
 */
@ApplicationScoped
public class OrderRepository {

    private static final String ORDER = """
            SELECT id, username, customer_id, amount, description, state, rejection_reason, created_at FROM orders""";

    private final Sql sql;

    public OrderRepository(DataSource dataSource) {
        this.sql = new Sql(dataSource);
    }

    /**
     * Stores a new PENDING order, marked in flight for {@code inFlight}.
     *
     * @return false if this user already has an order with this Idempotency-Key (nothing is stored)
     */
    public boolean insertPending(Order order, String idempotencyKey, Duration inFlight) {
        return sql.update("""
                INSERT INTO orders (id, username, customer_id, amount, description, state, created_at, updated_at,
                                    idempotency_key, in_flight_until)
                VALUES (?, ?, ?, ?, ?, 'PENDING', now(), now(), ?, now() + ? * interval '1 millisecond')
                ON CONFLICT (username, idempotency_key) DO NOTHING""",
                order.id(), order.username(), order.customerId(), order.amount(), order.description(), idempotencyKey,
                inFlight.toMillis()) == 1;
    }

    /**
     * PENDING becomes APPROVED or REJECTED, once: whoever settles first (the request or the reconciler of any
     * replica) wins, and both would have adopted the same decision from customer-service.
     *
     * @return whether this call settled it (false: it was settled already)
     */
    public boolean settle(String id, Order.State state, Order.RejectionReason reason) {
        return sql.update("""
                UPDATE orders SET state = ?, rejection_reason = ?, updated_at = now(), in_flight_until = NULL
                WHERE id = ? AND state = 'PENDING'""", state, reason, id) == 1;
    }

    /** How many orders are PENDING, whoever is working on them. */
    public long countPending() {
        return sql.first("SELECT count(*) FROM orders WHERE state = 'PENDING'", row -> row.getLong(1)).orElseThrow();
    }

    /** The request that made the order has ended without a decision: the reconciler may take it now. */
    public void releaseToReconciler(String id) {
        sql.update("UPDATE orders SET in_flight_until = NULL WHERE id = ? AND state = 'PENDING'", id);
    }

    /** PENDING orders no request is working on any more, oldest first. */
    public List<String> findUnattendedPending(int limit) {
        return sql.list("""
                SELECT id FROM orders
                WHERE state = 'PENDING' AND (in_flight_until IS NULL OR in_flight_until < now())
                ORDER BY created_at LIMIT ?""", row -> row.getString(1), limit);
    }

    /** Whether the request that made this order may still be running. */
    public boolean isInFlight(String id) {
        return sql.first("SELECT 1 FROM orders WHERE id = ? AND in_flight_until > now()", row -> true, id).isPresent();
    }

    public Optional<Order> findByIdempotencyKey(String username, String key) {
        return sql.first(ORDER + " WHERE username = ? AND idempotency_key = ?", OrderRepository::order, username, key);
    }

    public Optional<Order> findById(String id) {
        return sql.first(ORDER + " WHERE id = ?", OrderRepository::order, id);
    }

    /**
     * One page in the order of every listing (createdAt, then id), after the cursor; {@code username} null for
     * every user's orders. Keyset pagination: a page costs the same however deep it is.
     */
    public List<Order> page(String username, OrderCursor after, int limit) {
        StringBuilder query = new StringBuilder(ORDER).append(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (username != null) {
            query.append(" AND username = ?");
            parameters.add(username);
        }
        if (after != null) {
            query.append(" AND (created_at > ? OR (created_at = ? AND id > ?))");
            parameters.addAll(List.of(after.createdAt(), after.createdAt(), after.id()));
        }
        query.append(" ORDER BY created_at, id LIMIT ?");
        parameters.add(limit);
        return sql.list(query.toString(), OrderRepository::order, parameters.toArray());
    }

    private static Order order(ResultSet row) throws SQLException {
        return new Order(row.getString("id"), row.getString("username"), row.getString("customer_id"),
                row.getBigDecimal("amount"), row.getString("description"), Sql.enumOf(Order.State.class, row, "state"),
                Sql.enumOf(Order.RejectionReason.class, row, "rejection_reason"), Sql.instant(row, "created_at"));
    }
}
