package dev.accesstoken.gateway.model;

import java.math.BigDecimal;
import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An order with its customer, as order-service writes it after reading the customer from customer-service. Documentation only, as {@link Order}. */
@Schema(name = "OrderDetails", description = "An order with its customer, read by order-service from customer-service")
public record OrderDetails(
        @Schema(example = "1b4e28ba-2fa1-11d2-883f-0016d3cca427") String id,
        @Schema(example = "alice") String username,
        @Schema(example = "8f14e45f-ceea-367a-9a36-dedd4bea2543") String customerId,
        @Schema(example = "25.00") BigDecimal amount,
        @Schema(nullable = true, example = "books") String description,
        Order.State state,
        @Schema(nullable = true) Order.RejectionReason rejectionReason,
        @Schema(example = "2026-11-29T10:00:00Z") Instant createdAt,
        CustomerRef customer) {

    @Schema(name = "CustomerRef", description = "The order's customer")
    public record CustomerRef(@Schema(example = "8f14e45f-ceea-367a-9a36-dedd4bea2543") String id,
            @Schema(example = "Alice Liddell") String name) {
    }
}
