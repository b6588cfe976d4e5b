package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import dev.accesstoken.gateway.GatewayTestResources;

/**
 * The login throttle behind a trusted proxy, each test from client addresses of its own (X-Forwarded-For,
 * believed because the test client, 127.0.0.1, is the configured proxy). Users: 3 free failures; addresses: 5.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.BehindTrustedProxy.class)
@GatewayTestResources
class LoginThrottleTest {

    public static class BehindTrustedProxy extends ForwardedForProfile {
        public BehindTrustedProxy() {
            super("127.0.0.1",
                    "gateway.login-throttle.address-free-failures", "5",
                    "gateway.login-throttle.max-delay", "8s");
        }
    }

    static Response attempt(String from, String username, String password) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password)).post("/auth/login");
    }

    static void assertThrottled(Response r) {
        assertThrottledFor(r, 8);
    }

    static void assertThrottledFor(Response r, int maxRetryAfter) {
        assertEquals(429, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertEquals("no-store", r.header("Cache-Control"));
        int retryAfter = Integer.parseInt(r.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= maxRetryAfter, "Retry-After " + retryAfter);
    }

    @Test
    void aHundredGuessesMeetTheBackoffAndAThrottledAttemptNeverChecksThePassword() {
        List<Integer> statuses = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            Response r = attempt("203.0.113.10", "bob", "guess-" + i);
            statuses.add(r.statusCode());
            if (r.statusCode() == 429) {
                assertThrottled(r);
            }
        }
        assertEquals(List.of(401, 401, 401, 401, 429), statuses.subList(0, 5), statuses.toString());
        long checked = statuses.stream().filter(s -> s == 401).count();
        // Only when a wait has run out is one more password checked: one per wait of 1, 2, 4, 8, 8 ... s that fits
        // in the time the loop took (a loaded machine takes longer, and so sees more waits run out).
        double elapsed = (System.nanoTime() - started) / 1e9;
        int waitsRunOut = 0;
        for (double end = 1, wait = 1; end <= elapsed + 1; wait = Math.min(wait * 2, 8), end += wait) {
            waitsRunOut++;
        }
        assertTrue(checked <= 4 + waitsRunOut, checked + " passwords checked in " + elapsed + " s: " + statuses);
        assertEquals(100 - checked, statuses.stream().filter(s -> s == 429).count(), statuses.toString());
        // The right password is refused too while the wait runs: the guess that hits it learns nothing.
        assertThrottled(attempt("203.0.113.10", "bob", "bob"));
    }

    @Test
    void anUnknownUserIsThrottledExactlyLikeAKnownOne() {
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Response k = attempt("203.0.113.20", "admin", "wrong");
            Response u = attempt("203.0.113.21", "mallory", "wrong");
            known.add(k.statusCode() + " " + k.header("Retry-After") + " " + k.jsonPath().getString("detail"));
            unknown.add(u.statusCode() + " " + u.header("Retry-After") + " " + u.jsonPath().getString("detail"));
        }
        // Five: a sixth could come after the 1 s wait of the fifth on a loaded machine.
        assertEquals(known, unknown);
        assertTrue(known.get(4).startsWith("429"), known.toString());
    }

    @Test
    void theWaitDoublesAfterEachFurtherFailure() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            assertEquals(401, attempt("203.0.113.30", "nobody-30", "wrong").statusCode());
        }
        Response first = attempt("203.0.113.30", "nobody-30", "wrong");
        assertThrottled(first);
        assertEquals("1", first.header("Retry-After"));
        Thread.sleep(1_200);
        assertEquals(401, attempt("203.0.113.30", "nobody-30", "wrong").statusCode());
        Response second = attempt("203.0.113.30", "nobody-30", "wrong");
        assertThrottled(second);
        assertEquals("2", second.header("Retry-After"));
    }

    @Test
    void manyUsernamesFromOneAddressBlockThatAddressOnly() {
        for (int i = 1; i <= 6; i++) {
            assertEquals(401, attempt("203.0.113.40", "spray-" + i, "Winter2026!").statusCode());
        }
        assertThrottled(attempt("203.0.113.40", "alice", "alice"));
        assertEquals(200, attempt("203.0.113.41", "alice", "alice").statusCode());
    }

    @Test
    void aSuccessfulLoginStartsTheUsernameAgainFromZero() {
        String from = "203.0.113.50";
        assertEquals(401, attempt(from, "alice", "wrong").statusCode());
        assertEquals(401, attempt(from, "alice", "wrong").statusCode());
        assertEquals(200, attempt(from, "alice", "alice").statusCode());
        for (int i = 0; i < 3; i++) {
            assertEquals(401, attempt(from, "alice", "wrong").statusCode(), "free failure " + (i + 1));
        }
    }
}
