package dev.accesstoken.order.model;

import java.math.BigDecimal;

public record Reservation(String orderId, boolean approved, BigDecimal availableCredit) {
}
