package dev.accesstoken.customer.rest;

import static dev.accesstoken.customer.rest.CustomerResourceTest.as;
import static dev.accesstoken.customer.rest.CustomerResourceTest.idOf;
import static dev.accesstoken.customer.rest.CustomerResourceTest.reservation;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.accesstoken.customer.CustomerServiceTestResources;
import dev.accesstoken.testsupport.Prometheus;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The meters on the management port move with what the service does. */
@QuarkusTest
@CustomerServiceTestResources
class MetricsTest {

    @TestHTTPResource(value = "/metrics", management = true) // under the management root path, /q
    URL metrics;

    Prometheus scrape() {
        return Prometheus.scrape(metrics.toString());
    }

    void reserve(String orderId, String amount) {
        as(Tokens.user("bob")).contentType(ContentType.JSON).body(reservation(orderId, amount))
                .post("/customers/" + idOf("bob") + "/reservations").then().statusCode(200);
    }

    @Test
    void reservationsAreCountedByDecisionOncePerOrder() {
        Prometheus before = scrape();
        String approved = UUID.randomUUID().toString();
        reserve(approved, "1.00");
        reserve(approved, "1.00"); // the same order again: its first decision, not a new one
        reserve(UUID.randomUUID().toString(), "999999.00"); // more than bob's credit
        Prometheus after = scrape();
        assertEquals(before.value("reservations_total", "decision", "approved") + 1,
                after.value("reservations_total", "decision", "approved"), after.text());
        assertEquals(before.value("reservations_total", "decision", "rejected") + 1,
                after.value("reservations_total", "decision", "rejected"), after.text());
    }

    @Test
    void refusedTokensAreCountedByReason() {
        Prometheus before = scrape();
        as(Tokens.user("alice").expired()).get("/customers/me").then().statusCode(401);
        as(Tokens.user("alice").audience("order-service")).get("/customers/me").then().statusCode(401);
        Prometheus after = scrape();
        assertEquals(before.value("tokens_refused_total", "reason", "expired") + 1,
                after.value("tokens_refused_total", "reason", "expired"), after.text());
        assertEquals(before.value("tokens_refused_total", "reason", "wrong_audience") + 1,
                after.value("tokens_refused_total", "reason", "wrong_audience"), after.text());
        // Every reason exists from the start, at 0 until it happens.
        assertTrue(after.has("tokens_refused_total", "reason", "not_yet_valid"), after.text());
    }

    @Test
    void theVerifiedTokenCacheCountsHitsAndMisses() {
        String token = Tokens.user("alice").sign();
        Prometheus before = scrape();
        given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then().statusCode(200);
        given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then().statusCode(200);
        Prometheus after = scrape();
        String[] hit = { "cache", "verified-tokens", "result", "hit" };
        String[] miss = { "cache", "verified-tokens", "result", "miss" };
        assertEquals(before.value("cache_gets_total", hit) + 1, after.value("cache_gets_total", hit), after.text());
        assertEquals(before.value("cache_gets_total", miss) + 1, after.value("cache_gets_total", miss), after.text());
        assertTrue(after.value("cache_size", "cache", "verified-tokens") >= 1, after.text());
    }

    @Test
    void httpServerTimersAreHistogramsPerRouteAndThePoolIsMeasured() {
        as(Tokens.user("alice")).get("/customers/" + idOf("alice")).then().statusCode(200);
        Prometheus after = scrape();
        // The route template, not the id: one series per endpoint, whatever the ids.
        assertTrue(after.has("http_server_requests_seconds_bucket", "uri", "/customers/{id}", "method", "GET", "status", "200"),
                after.text());
        assertTrue(after.has("agroal_active_count", "datasource", "default"), after.text());
    }
}
