package dev.accesstoken.gateway.rest;

import static dev.accesstoken.gateway.rest.LoginThrottleTest.attempt;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.Prometheus;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Login and refused-token meters, and health, on the gateway's management port. Behind the trusted proxy of
 * {@link LoginThrottleTest} so that the failures here come from client addresses of their own.
 */
@QuarkusTest
@TestProfile(LoginThrottleTest.BehindTrustedProxy.class)
@GatewayTestResources
class MetricsTest {

    @TestHTTPResource(value = "/metrics", management = true) // under the management root path, /q
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    Prometheus scrape() {
        return Prometheus.scrape(metrics.toString());
    }

    @Test
    void loginsAreCountedByOutcome() {
        Prometheus before = scrape();
        assertEquals(200, attempt("198.51.100.1", "alice", "alice").statusCode());
        String guessed = "guessed-" + UUID.randomUUID();
        int throttled = 0;
        int failed = 0;
        for (int i = 0; i < 6; i++) {
            int status = attempt("198.51.100.2", guessed, "guess-" + i).statusCode();
            throttled += status == 429 ? 1 : 0;
            failed += status == 401 ? 1 : 0;
        }
        assertTrue(throttled > 0 && failed > 0, failed + " failed, " + throttled + " throttled");
        Prometheus after = scrape();
        assertEquals(before.value("logins_total", "outcome", "success") + 1, after.value("logins_total", "outcome", "success"),
                after.text());
        assertEquals(before.value("logins_total", "outcome", "failure") + failed,
                after.value("logins_total", "outcome", "failure"), after.text());
        assertEquals(before.value("logins_total", "outcome", "throttled") + throttled,
                after.value("logins_total", "outcome", "throttled"), after.text());
    }

    @Test
    void aRefusedTokenIsCountedByItsReason() {
        Prometheus before = scrape();
        given().header("Authorization", Tokens.bearer(Tokens.user("alice").expired().sign())).get("/api/trace").then()
                .statusCode(401);
        Prometheus after = scrape();
        assertEquals(before.value("tokens_refused_total", "reason", "expired") + 1,
                after.value("tokens_refused_total", "reason", "expired"), after.text());
    }

    /** Anyone can send requests to made-up paths: none of them may become a label (one histogram series each). */
    @Test
    void aRandomPathNeverBecomesALabel() {
        String oversized = "/made-up-" + UUID.randomUUID();
        String forbidden = "/api/made-up-" + UUID.randomUUID();
        given().body(new byte[70 * 1024]).contentType("application/json").post(oversized).then().statusCode(413);
        given().get(forbidden).then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
        String text = scrape().text();
        assertTrue(text.contains("http_server_requests_seconds"), text);
        assertTrue(!text.contains(oversized) && !text.contains(forbidden), "a raw path became a label:\n" + text);
    }

    /** The public port serves neither health nor metrics: only the management port, which the Ingress never reaches. */
    @Test
    void healthAndMetricsAreOnTheManagementPortOnly() {
        given().get(ready).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }
}
