package dev.accesstoken.order.model;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A row of {@code orders}. Its state changes only through OrderRepository's conditional updates. */
@Entity
@Table(name = "orders")
public class OrderEntity extends PanacheEntityBase {

    @Id
    public String id;

    public String username;

    @Column(name = "customer_id")
    public String customerId;

    public BigDecimal amount;

    public String description;

    @Enumerated(EnumType.STRING)
    public Order.State state;

    @Column(name = "rejection_reason")
    @Enumerated(EnumType.STRING)
    public Order.RejectionReason rejectionReason;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    @Column(name = "in_flight_until")
    public Instant inFlightUntil;

    public Order toOrder() {
        return new Order(id, username, customerId, amount, description, state, rejectionReason, createdAt);
    }
}
