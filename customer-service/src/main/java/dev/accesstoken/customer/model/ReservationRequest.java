package dev.accesstoken.customer.model;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The orderId makes the request idempotent: sending it again reserves nothing more. */
public record ReservationRequest(
        @NotBlank @Size(max = 64) String orderId,
        @NotNull @Positive @DecimalMax("1000000") @Digits(integer = 7, fraction = 2) BigDecimal amount) {
}
