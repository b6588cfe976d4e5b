package dev.accesstoken.gateway.metrics;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code logins_total{outcome="success"|"failure"|"throttled"|"busy"}}: password logins at the gateway, and
 * {@code client_authentications_total{outcome="success"|"failure"|"throttled"}}: services authenticating at
 * {@code /auth/token}. A rise in failures or throttled attempts is a guessing run; the names are in the audit log,
 * never in a label. {@code busy}: turned away because the gateway was checking as many passwords as it may.
 */
@Singleton
public class LoginMeters {

    private final Counter success;
    private final Counter failure;
    private final Counter throttled;
    private final Counter busy;
    private final Counter clientSuccess;
    private final Counter clientFailure;
    private final Counter clientThrottled;

    public LoginMeters(MeterRegistry registry) {
        this.success = counter(registry, "success");
        this.failure = counter(registry, "failure");
        this.throttled = counter(registry, "throttled");
        this.busy = counter(registry, "busy");
        this.clientSuccess = clientCounter(registry, "success");
        this.clientFailure = clientCounter(registry, "failure");
        this.clientThrottled = clientCounter(registry, "throttled");
    }

    public void succeeded() {
        success.increment();
    }

    public void failed() {
        failure.increment();
    }

    public void throttled() {
        throttled.increment();
    }

    public void busy() {
        busy.increment();
    }

    public void clientSucceeded() {
        clientSuccess.increment();
    }

    public void clientFailed() {
        clientFailure.increment();
    }

    public void clientThrottled() {
        clientThrottled.increment();
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("logins").description("Password logins at the gateway, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private static Counter clientCounter(MeterRegistry registry, String outcome) {
        return Counter.builder("client_authentications")
                .description("Client authentications at /auth/token (client_credentials, token-exchange), by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
