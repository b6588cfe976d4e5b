package dev.accesstoken.customer.model;

import java.math.BigDecimal;

/**
 * customer-service's decision for one orderId. {@code VOIDED}: the order was settled without a
 * reservation, and this orderId can never take credit. {@code availableCredit} is null for a voided one.
 */
public record Reservation(String orderId, boolean approved, Status status, BigDecimal availableCredit) {

    public enum Status {
        APPROVED,
        REJECTED,
        VOIDED
    }
}
