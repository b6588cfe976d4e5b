package dev.accesstoken.order.model;

import java.math.BigDecimal;

/** customer-service's decision for one orderId; VOIDED: settled without a reservation. */
public record Reservation(String orderId, boolean approved, Status status, BigDecimal availableCredit) {

    public enum Status {
        APPROVED,
        REJECTED,
        VOIDED
    }
}
