package dev.accesstoken.order.model;

import java.math.BigDecimal;

public record ReservationRequest(String orderId, BigDecimal amount) {
}
