package dev.accesstoken.gateway.model;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

public record OrderRequest(
        @NotNull @Positive @DecimalMax("1000000") @Digits(integer = 7, fraction = 2) BigDecimal amount,
        @Size(max = 200) String description) {
}
