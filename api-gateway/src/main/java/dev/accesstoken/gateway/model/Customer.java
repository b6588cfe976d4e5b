package dev.accesstoken.gateway.model;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A customer as customer-service writes it. Documentation only, as {@link Order}: the gateway relays the JSON. */
@Schema(name = "Customer", description = "The caller's customer record")
public record Customer(
        @Schema(example = "8f14e45f-ceea-367a-9a36-dedd4bea2543") String id,
        @Schema(example = "alice") String username,
        @Schema(example = "Alice Liddell") String name,
        @Schema(example = "1000.00") BigDecimal creditLimit,
        @Schema(description = "The credit limit less the approved orders", example = "975.00") BigDecimal availableCredit) {
}
