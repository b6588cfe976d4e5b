package dev.accesstoken.gateway.model;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "OrderRequest", description = "An order to place; its amount is reserved from the caller's credit")
public record OrderRequest(
        @NotNull @Positive @DecimalMax("1000000") @Digits(integer = 7, fraction = 2) @Schema(example = "25.00") BigDecimal amount,
        @Size(max = 200) @Schema(example = "books") String description) {
}
