package dev.accesstoken.gateway.security;

import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A bulkhead around bcrypt for users' passwords: at most {@code gateway.password-checks.max-concurrent} run at
 * once. bcrypt is CPU by design, so queueing more only makes every login, refresh and exchange wait; beyond the
 * cap the caller is turned away at once (503 + Retry-After). {@code password_checks_seconds} times every check
 * that ran: its count is the number of bcrypt runs.
 */
@ApplicationScoped
public class PasswordChecks {

    /** What one check came to. */
    public enum Result {
        MATCH, MISMATCH,
        /** Not checked: the gateway is checking as many as it may. */
        BUSY
    }

    private final SecretHashes hashes;
    private final Semaphore permits;
    private final Timer timer;

    public PasswordChecks(SecretHashes hashes, GatewayConfig config, MeterRegistry registry) {
        this.hashes = hashes;
        this.permits = new Semaphore(config.passwordChecks().maxConcurrent());
        this.timer = Timer.builder("password_checks").description("bcrypt checks of users' passwords that ran")
                .register(registry);
    }

    /** Runs bcrypt, so it must be called on a worker thread. A null hash (unknown user) costs the same and never matches. */
    public Result check(String password, String hashOrNull) {
        if (!permits.tryAcquire()) {
            return Result.BUSY;
        }
        try {
            return timer.record(() -> hashes.matches(password, hashOrNull)) ? Result.MATCH : Result.MISMATCH;
        } finally {
            permits.release();
        }
    }
}
