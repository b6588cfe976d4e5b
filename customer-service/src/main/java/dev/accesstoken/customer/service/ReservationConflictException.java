package dev.accesstoken.customer.service;

/** The same orderId was sent again with a different amount. */
public class ReservationConflictException extends RuntimeException {

    public ReservationConflictException(String orderId) {
        super("Order " + orderId + " already holds a reservation for a different amount");
    }
}
