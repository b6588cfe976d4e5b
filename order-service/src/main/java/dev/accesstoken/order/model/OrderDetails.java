package dev.accesstoken.order.model;

import java.math.BigDecimal;
import java.time.Instant;

/** An order with its customer, as read from customer-service. */
public record OrderDetails(
        String id,
        String username,
        String customerId,
        BigDecimal amount,
        String description,
        Order.State state,
        Order.RejectionReason rejectionReason,
        Instant createdAt,
        CustomerRef customer) {

    public record CustomerRef(String id, String name) {
    }

    public static OrderDetails of(Order order, CustomerRef customer) {
        return new OrderDetails(order.id(), order.username(), order.customerId(), order.amount(), order.description(),
                order.state(), order.rejectionReason(), order.createdAt(), customer);
    }
}
