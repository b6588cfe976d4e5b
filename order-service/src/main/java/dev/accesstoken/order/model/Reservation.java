package dev.accesstoken.order.model;

import java.math.BigDecimal;

/** customer-service's decision for one orderId; VOIDED: settled without a reservation. */
public record Reservation(String orderId, boolean approved, Status status, BigDecimal availableCredit) {

    /** A customer-service from before settlement sends no status: its {@code approved} is the whole decision. */
    @Override
    public Status status() {
        return status != null ? status : approved ? Status.APPROVED : Status.REJECTED;
    }

    public enum Status {
        APPROVED,
        REJECTED,
        VOIDED
    }
}
