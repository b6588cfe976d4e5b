package dev.accesstoken.order.service;

import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.ProblemException;

/**
 * customer-service's answer for a stored PENDING order was lost: 503 (or 504 after a timeout) naming the
 * orderId, so the client can follow the order while the reconciler settles it.
 */
public class CreditDecisionLostException extends ProblemException {

    public CreditDecisionLostException(String orderId, boolean timedOut, Throwable cause) {
        super(Problem.of(timedOut ? 504 : 503,
                "No credit decision for order " + orderId + " yet; it stays PENDING and is settled automatically")
                .with("orderId", orderId), cause);
    }
}
