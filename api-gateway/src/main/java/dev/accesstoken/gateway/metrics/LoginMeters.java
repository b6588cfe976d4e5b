package dev.accesstoken.gateway.metrics;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code logins_total{outcome="success"|"failure"|"throttled"}}: password logins at the gateway. A rise in failures
 * or throttled attempts is a password-guessing run; the usernames are in the audit log, never in a label.
 */
@Singleton
public class LoginMeters {

    private final Counter success;
    private final Counter failure;
    private final Counter throttled;

    public LoginMeters(MeterRegistry registry) {
        this.success = counter(registry, "success");
        this.failure = counter(registry, "failure");
        this.throttled = counter(registry, "throttled");
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

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("logins").description("Password logins at the gateway, by outcome")
                .tag("outcome", outcome).register(registry);
    }
}
