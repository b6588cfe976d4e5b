package dev.accesstoken.gateway.model;

import java.math.BigDecimal;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * An order as order-service writes it. The gateway relays that JSON as it is and never binds it to this record,
 * which only describes it in the OpenAPI document (read at build time).
 */
@Schema(name = "Order", description = "An order. Every field is always present, null where empty.")
public record Order(
        @Schema(example = "1b4e28ba-2fa1-11d2-883f-0016d3cca427") String id,
        @Schema(description = "Who placed it", example = "alice") String username,
        @Schema(example = "8f14e45f-ceea-367a-9a36-dedd4bea2543") String customerId,
        @Schema(example = "25.00") BigDecimal amount,
        @Schema(nullable = true, example = "books") String description,
        @Schema(description = "PENDING until customer-service's credit decision is known") State state,
        @Schema(nullable = true, description = "Why a REJECTED order was rejected; null otherwise") RejectionReason rejectionReason,
        @Schema(example = "2026-11-29T10:00:00Z") Instant createdAt) {

    @Schema(name = "OrderState")
    public enum State {
        PENDING,
        APPROVED,
        REJECTED
    }

    @Schema(name = "RejectionReason")
    public enum RejectionReason {
        INSUFFICIENT_CREDIT,
        /** The credit decision was lost and customer-service never reserved: the reconciler voided it. */
        CREDIT_CHECK_FAILED
    }
}
