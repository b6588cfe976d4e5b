package dev.accesstoken.gateway.rest;

import static dev.accesstoken.gateway.rest.LoginThrottleTest.attempt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import dev.accesstoken.gateway.GatewayTestResources;

/**
 * One password check at a time: logins beyond it are answered 503 + Retry-After at once, instead of queueing
 * behind bcrypt until every login, refresh and exchange stalls. Each attempt from a network of its own, so that
 * the throttle stays out of the way.
 */
@QuarkusTest
@TestProfile(PasswordBulkheadTest.OneCheckAtATime.class)
@GatewayTestResources
class PasswordBulkheadTest {

    public static class OneCheckAtATime extends ForwardedForProfile {
        public OneCheckAtATime() {
            super("127.0.0.1",
                    "gateway.password-checks.max-concurrent", "1");
        }
    }

    @Test
    void loginsBeyondTheCapAre503WithRetryAfterAtOnce() throws Exception {
        List<Response> busy = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            // A burst of 20 all but surely overlaps; a few more bursts only if this machine served them one by one.
            for (int burst = 0; burst < 5 && busy.isEmpty(); burst++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Response>> logins = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String from = "10." + burst + "." + i + ".1";
                    logins.add(pool.submit(() -> {
                        go.await();
                        return attempt(from, "alice", "alice");
                    }));
                }
                go.countDown();
                for (Future<Response> login : logins) {
                    Response r = login.get(120, TimeUnit.SECONDS);
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 503) {
                        busy.add(r);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 503), statuses.toString());
        assertTrue(!busy.isEmpty(), "no login was turned away: " + statuses);
        assertTrue(statuses.contains(200), statuses.toString());
        for (Response r : busy) {
            assertEquals("application/problem+json", r.contentType());
            assertEquals("1", r.header("Retry-After"));
        }
        // Turned away is not a failure: the user's next attempt is checked as usual.
        assertEquals(200, attempt("10.99.0.1", "alice", "alice").statusCode());
    }
}
