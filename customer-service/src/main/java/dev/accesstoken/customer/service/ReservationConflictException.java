package dev.accesstoken.customer.service;

import jakarta.ws.rs.ClientErrorException;

/** The same orderId was sent again with a different amount or customer: 409. */
public class ReservationConflictException extends ClientErrorException {

    public ReservationConflictException(String orderId) {
        super("Order " + orderId + " already holds a reservation for a different amount", 409);
    }
}
