package dev.accesstoken.customer.model;

import java.math.BigDecimal;

public record Reservation(String orderId, boolean approved, BigDecimal availableCredit) {
}
