package dev.accesstoken.order.model;

import java.math.BigDecimal;
import java.time.Instant;

/** An order as stored. Every field is always serialised, as null where it is empty. */
public record Order(
        String id,
        String username,
        String customerId,
        BigDecimal amount,
        String description,
        State state,
        RejectionReason rejectionReason,
        Instant createdAt) {

    public enum State {
        /** Stored, waiting for customer-service's credit decision. */
        PENDING,
        APPROVED,
        REJECTED
    }

    public enum RejectionReason {
        INSUFFICIENT_CREDIT,
        /** The decision was lost and customer-service never reserved: the reconciler voided it. */
        CREDIT_CHECK_FAILED
    }
}
