package dev.accesstoken.order.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.accesstoken.order.OrderServiceTestResources;
import dev.accesstoken.testsupport.Prometheus;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Settlement meters on the management port: settled orders by outcome and by whom, and the PENDING gauge. */
@QuarkusTest
@OrderServiceTestResources
class SettlementMetricsTest {

    @InjectWireMock("customer-service")
    WireMockServer customerService;

    @InjectWireMock("gateway")
    WireMockServer gateway;

    @Inject
    Reconciler reconciler;

    @TestHTTPResource(value = "/metrics", management = true) // under the management root path, /q
    URL metrics;

    final String alice = Tokens.user("alice").sign();

    @BeforeEach
    void stubs() {
        customerService.resetAll();
        gateway.resetAll();
        customerService.stubFor(get("/customers/me").willReturn(okJson(
                "{\"id\":\"c-alice\",\"username\":\"alice\",\"name\":\"Alice\",\"creditLimit\":10,\"availableCredit\":10}")));
        gateway.stubFor(post("/auth/token").willReturn(okJson("{\"access_token\":\""
                + Tokens.service("order-service", "customer-service").sign() + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    Prometheus scrape() {
        return Prometheus.scrape(metrics.toString());
    }

    static String[] settled(String outcome, String by) {
        return new String[] { "outcome", outcome, "by", by };
    }

    @Test
    void anOrderSettledByItsRequestIsCountedOnce() {
        customerService.stubFor(post("/customers/c-alice/reservations").willReturn(okJson(
                "{\"orderId\":\"x\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":9}")));
        Prometheus before = scrape();
        given().header("Authorization", Tokens.bearer(alice)).contentType(ContentType.JSON).body("{\"amount\":1}")
                .post("/orders").then().statusCode(201);
        Prometheus after = scrape();
        assertEquals(before.value("orders_settled_total", settled("approved", "request")) + 1,
                after.value("orders_settled_total", settled("approved", "request")), after.text());
        assertEquals(before.value("orders_settled_total", settled("approved", "reconciler")),
                after.value("orders_settled_total", settled("approved", "reconciler")), after.text());
        // The call to customer-service is timed as a client request, per route template, as a histogram.
        assertTrue(after.has("http_client_requests_seconds_bucket", "method", "POST", "status", "200"), after.text());
    }

    @Test
    void aLostDecisionIsPendingUntilTheReconcilerSettlesIt() {
        customerService.stubFor(post("/customers/c-alice/reservations")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String id = given().header("Authorization", Tokens.bearer(alice)).contentType(ContentType.JSON)
                .body("{\"amount\":2}").post("/orders").then().statusCode(503).extract().path("orderId");
        customerService.stubFor(post(urlEqualTo("/reservations/" + id + "/settlement"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        reconciler.settlePending(); // customer-service unreachable: still PENDING
        Prometheus before = scrape();
        assertTrue(before.value("orders_pending") >= 1, before.text());

        customerService.stubFor(post(urlEqualTo("/reservations/" + id + "/settlement")).willReturn(okJson(
                "{\"orderId\":\"" + id + "\",\"approved\":false,\"status\":\"VOIDED\",\"availableCredit\":null}")));
        reconciler.settlePending();
        reconciler.settlePending(); // nothing left to settle: counted once
        Prometheus after = scrape();
        assertEquals(before.value("orders_settled_total", settled("credit_check_failed", "reconciler")) + 1,
                after.value("orders_settled_total", settled("credit_check_failed", "reconciler")), after.text());
        assertEquals(before.value("orders_pending") - 1, after.value("orders_pending"), after.text());
    }

    @Test
    void aRefusedTokenIsCountedByItsReason() {
        Prometheus before = scrape();
        given().header("Authorization", Tokens.bearer(Tokens.user("alice").expired().sign())).get("/orders").then()
                .statusCode(401);
        Prometheus after = scrape();
        assertEquals(before.value("tokens_refused_total", "reason", "expired") + 1,
                after.value("tokens_refused_total", "reason", "expired"), after.text());
    }
}
