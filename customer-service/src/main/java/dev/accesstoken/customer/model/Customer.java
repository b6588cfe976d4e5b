package dev.accesstoken.customer.model;

import java.math.BigDecimal;

public record Customer(String id, String username, String name, BigDecimal creditLimit, BigDecimal availableCredit) {
}
