package dev.accesstoken.order.model;

import java.math.BigDecimal;

/** customer-service's view of a customer. */
public record Customer(String id, String username, String name, BigDecimal creditLimit, BigDecimal availableCredit) {
}
