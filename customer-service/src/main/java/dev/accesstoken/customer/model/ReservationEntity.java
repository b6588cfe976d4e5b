package dev.accesstoken.customer.model;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A row of {@code reservation}: the one decision ever taken for an orderId. */
@Entity
@Table(name = "reservation")
public class ReservationEntity extends PanacheEntityBase {

    @Id
    @Column(name = "order_id")
    public String orderId;

    @Column(name = "customer_id")
    public String customerId;

    public BigDecimal amount;

    @Enumerated(EnumType.STRING)
    public Reservation.Status status;

    @Column(name = "created_at", insertable = false, updatable = false)
    public Instant createdAt;
}
