package dev.accesstoken.chassis.client;

import java.util.function.Predicate;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * When a safe (GET) call may be tried once more: the connection broke before any answer came, for instance a
 * pooled connection to a process that has since restarted. Never after a timeout, which would double the wait
 * for an answer that is merely slow. Used as {@code @Retry(maxRetries = 1) @RetryWhen(exception = OnBrokenConnection.class)}.
 * Registered for reflection: SmallRye Fault Tolerance instantiates it by name.
 */
@RegisterForReflection
public class OnBrokenConnection implements Predicate<Throwable> {

    @Override
    public boolean test(Throwable e) {
        return DownstreamFailures.isTransportFailure(e) && !DownstreamFailures.isTimeout(e);
    }
}
