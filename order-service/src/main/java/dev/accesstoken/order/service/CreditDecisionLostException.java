package dev.accesstoken.order.service;

/** customer-service's answer for a stored PENDING order was lost: the reconciler will settle it. */
public class CreditDecisionLostException extends RuntimeException {

    private final String orderId;
    private final boolean timedOut;

    public CreditDecisionLostException(String orderId, boolean timedOut, Throwable cause) {
        super("No credit decision for order " + orderId + " yet; it stays PENDING and is settled automatically",
                cause);
        this.orderId = orderId;
        this.timedOut = timedOut;
    }

    public String orderId() {
        return orderId;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
