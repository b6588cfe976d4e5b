package dev.accesstoken.gateway.rest;

import static dev.accesstoken.gateway.rest.LoginThrottleTest.attempt;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.Prometheus;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The throttle attacked the ways a review found it weak: a concurrent burst, a flood of client authentications,
 * and a lockout of the owner. The first wait is a minute, so no wait runs out during a test: every password check
 * above the free ones would be a hole. 3 free failures per (username, network), so 4 checks at most.
 */
@QuarkusTest
@TestProfile(ThrottleUnderAttackTest.SlowBackoff.class)
@GatewayTestResources
class ThrottleUnderAttackTest {

    static final int FREE = 3;
    static final int GLOBAL_FREE = 10;

    public static class SlowBackoff extends ForwardedForProfile {
        public SlowBackoff() {
            super("127.0.0.1",
                    "gateway.login-throttle.user-free-failures", String.valueOf(FREE),
                    "gateway.login-throttle.user-global-free-failures", String.valueOf(GLOBAL_FREE),
                    "gateway.login-throttle.base-delay", "60s",
                    "gateway.login-throttle.max-delay", "120s");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** Passwords checked: every login that was not throttled ran bcrypt once. */
    double passwordChecks() {
        Prometheus p = Prometheus.scrape(metrics.toString());
        return p.value("logins_total", "outcome", "failure") + p.value("logins_total", "outcome", "success");
    }

    @Test
    void aConcurrentBurstGetsNoMoreChecksThanAllowedAndTheRightPasswordInsideItIsRefused() throws Exception {
        String from = "203.0.113.60";
        double before = passwordChecks();
        ExecutorService pool = Executors.newFixedThreadPool(40);
        try {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<Void> throttled = new CompletableFuture<>();
            List<Future<Integer>> guesses = new ArrayList<>();
            for (int i = 0; i < 39; i++) {
                String guess = "guess-" + i;
                guesses.add(pool.submit(() -> {
                    go.await();
                    int status = attempt(from, "bob", guess).statusCode();
                    if (status == 429) {
                        throttled.complete(null);
                    }
                    return status;
                }));
            }
            // The right password, sent once the burst has used up the free attempts (the first 429), or at its end
            // if no 429 ever came.
            Future<Integer> right = pool.submit(() -> {
                throttled.get(120, TimeUnit.SECONDS);
                return attempt(from, "bob", "bob").statusCode();
            });
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> guess : guesses) {
                statuses.add(guess.get(120, TimeUnit.SECONDS));
            }
            throttled.complete(null);
            int rightStatus = right.get(120, TimeUnit.SECONDS);
            statuses.add(rightStatus);
            long refused = statuses.stream().filter(s -> s == 401).count();
            long throttledCount = statuses.stream().filter(s -> s == 429).count();
            long ok = statuses.stream().filter(s -> s == 200).count();
            double checks = passwordChecks() - before;
            System.out.printf("burst of 40 for bob: %d x 401, %d x 429, %d x 200, %.0f password checks%n",
                    refused, throttledCount, ok, checks);
            assertEquals(40, refused + throttledCount + ok, statuses.toString());
            assertTrue(checks <= FREE + 1, checks + " password checks: " + statuses);
            assertEquals(429, rightStatus, "the right password inside a throttled burst: " + statuses);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aUserLockedFromOneNetworkLogsInFromAnother() {
        for (int i = 0; i <= FREE; i++) {
            assertEquals(401, attempt("198.18.7.10", "alice", "wrong-" + i).statusCode());
        }
        // The whole /24 is one network: another address in it does not start afresh.
        LoginThrottleTest.assertThrottledFor(attempt("198.18.7.99", "alice", "alice"), 120);
        assertEquals(200, attempt("198.18.8.10", "alice", "alice").statusCode());
    }

    @Test
    void anIpv6NetworkIsItsSlash64() {
        for (int i = 0; i <= FREE; i++) {
            assertEquals(401, attempt("2001:db8:7:1::10", "admin", "wrong-" + i).statusCode());
        }
        // Another address of the same /64 (one host can take any of them) is the same network.
        LoginThrottleTest.assertThrottledFor(attempt("2001:db8:7:1:ffff:ffff:ffff:ffff", "admin", "admin"), 120);
        assertEquals(200, attempt("2001:db8:7:2::10", "admin", "admin").statusCode());
    }

    /** Guessing from many networks meets the global cap per username: 11 checks, then none from anywhere. */
    @Test
    void guessesFromManyNetworksMeetTheGlobalCap() {
        List<Integer> statuses = new ArrayList<>();
        for (int network = 1; network <= 5; network++) {
            for (int i = 0; i <= FREE; i++) {
                statuses.add(attempt("100.64." + network + ".1", "carol", "guess-" + network + "-" + i).statusCode());
            }
        }
        assertEquals(GLOBAL_FREE + 1, statuses.stream().filter(s -> s == 401).count(), statuses.toString());
        LoginThrottleTest.assertThrottledFor(attempt("100.64.99.1", "carol", "guess"), 120);
    }

    @Test
    void twoHundredBadClientAuthenticationsMeetTheThrottle() {
        String from = "203.0.113.70";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Response r = given().header("X-Forwarded-For", from)
                    .header("Authorization", TokenEndpointTest.basic("order-service", "guess-" + i))
                    .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").post("/auth/token");
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                assertEquals("no-store", r.header("Cache-Control"));
                int retryAfter = Integer.parseInt(r.header("Retry-After"));
                assertTrue(retryAfter >= 1 && retryAfter <= 120, "Retry-After " + retryAfter);
            }
        }
        long checked = statuses.stream().filter(s -> s == 401).count();
        long throttled = statuses.stream().filter(s -> s == 429).count();
        System.out.printf("200 bad client authentications: %d x 401 (secrets checked), %d x 429%n", checked, throttled);
        assertTrue(checked <= FREE + 1, checked + " secrets checked: " + statuses);
        assertEquals(200, checked + throttled, statuses.toString());
        // The real client, from its own network, still gets its token.
        given().header("X-Forwarded-For", "203.0.114.70")
                .header("Authorization", TokenEndpointTest.basic("order-service", "order-service-secret"))
                .contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").post("/auth/token")
                .then().statusCode(200);
    }
}
