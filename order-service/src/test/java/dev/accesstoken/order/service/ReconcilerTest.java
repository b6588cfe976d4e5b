package dev.accesstoken.order.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.accesstoken.order.OrderServiceTestResources;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The reconciler's three outcomes, with its own service token, never a user's. */
@QuarkusTest
@OrderServiceTestResources
class ReconcilerTest {

    static final String ALICE_ID = "c-alice";
    static final String SERVICE_TOKEN = Tokens.service("order-service", "customer-service").sign();

    @InjectWireMock("customer-service")
    WireMockServer customerService;

    @InjectWireMock("gateway")
    WireMockServer gateway;

    @Inject
    Reconciler reconciler;

    String alice = Tokens.user("alice").sign();

    @BeforeEach
    void stubs() {
        customerService.resetAll();
        gateway.resetAll();
        customerService.stubFor(get("/customers/me").willReturn(okJson(
                "{\"id\":\"c-alice\",\"username\":\"alice\",\"name\":\"Alice\",\"creditLimit\":10,\"availableCredit\":10}")));
        customerService.stubFor(get("/customers/" + ALICE_ID).willReturn(okJson(
                "{\"id\":\"c-alice\",\"username\":\"alice\",\"name\":\"Alice\",\"creditLimit\":10,\"availableCredit\":10}")));
        gateway.stubFor(post("/auth/token").withBasicAuth("order-service", "order-service-secret")
                .willReturn(okJson("{\"access_token\":\"" + SERVICE_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
                        .withHeader("Cache-Control", "no-store")));
    }

    /** An order whose credit decision was lost: the reservation's connection broke twice. */
    String pendingOrder() {
        customerService.stubFor(post("/customers/" + ALICE_ID + "/reservations")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        return given().header("Authorization", Tokens.bearer(alice)).contentType(ContentType.JSON)
                .body("{\"amount\":4}").post("/orders").then().statusCode(503).extract().path("orderId");
    }

    JsonPath order(String id) {
        return given().header("Authorization", Tokens.bearer(alice)).get("/orders/" + id).then().statusCode(200)
                .extract().jsonPath();
    }

    @ParameterizedTest
    @CsvSource({
            "APPROVED, APPROVED, ",
            "REJECTED, REJECTED, INSUFFICIENT_CREDIT",
            "VOIDED, REJECTED, CREDIT_CHECK_FAILED" })
    void aLostDecisionIsSettledAsCustomerServiceDecidedOrVoided(String decision, String state, String reason) {
        String id = pendingOrder();
        assertEquals("PENDING", order(id).getString("state"));
        customerService.stubFor(post("/reservations/" + id + "/settlement").willReturn(okJson(
                "{\"orderId\":\"" + id + "\",\"approved\":" + decision.equals("APPROVED") + ",\"status\":\"" + decision
                        + "\",\"availableCredit\":null}")));

        reconciler.settlePending();

        JsonPath settled = order(id);
        assertEquals(state, settled.getString("state"));
        assertEquals(reason, settled.getString("rejectionReason"));
        // Asked with order-service's own token, which only the gateway's token endpoint hands out; never alice's.
        customerService.verify(postRequestedFor(urlEqualTo("/reservations/" + id + "/settlement"))
                .withHeader("Authorization", equalTo("Bearer " + SERVICE_TOKEN)));
    }

    @Test
    void theServiceTokenComesFromTheClientCredentialsGrantAndIsReused() {
        String first = pendingOrder();
        String second = pendingOrder();
        for (String id : java.util.List.of(first, second)) {
            customerService.stubFor(post(urlEqualTo("/reservations/" + id + "/settlement")).willReturn(okJson(
                    "{\"orderId\":\"" + id + "\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":1}")));
        }
        reconciler.settlePending();
        reconciler.settlePending();
        // Fetched at most once (it may be cached from an earlier test), with client_credentials and Basic auth.
        var tokenRequests = gateway.findAll(postRequestedFor(urlEqualTo("/auth/token")));
        org.junit.jupiter.api.Assertions.assertTrue(tokenRequests.size() <= 1, tokenRequests.size() + " token requests");
        tokenRequests.forEach(request -> {
            org.junit.jupiter.api.Assertions.assertTrue(request.getBodyAsString().contains("grant_type=client_credentials"));
            org.junit.jupiter.api.Assertions.assertTrue(request.getHeader("Authorization").startsWith("Basic "));
        });
        for (String id : java.util.List.of(first, second)) {
            customerService.verify(1, postRequestedFor(urlEqualTo("/reservations/" + id + "/settlement"))
                    .withHeader("Authorization", equalTo("Bearer " + SERVICE_TOKEN)));
        }
        assertEquals("APPROVED", order(first).getString("state"));
        assertEquals("APPROVED", order(second).getString("state"));
    }

    @Test
    void whileCustomerServiceIsAwayTheOrderStaysPendingAndIsSettledLater() {
        String id = pendingOrder();
        customerService.stubFor(post(urlEqualTo("/reservations/" + id + "/settlement"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        reconciler.settlePending();
        assertEquals("PENDING", order(id).getString("state"));

        customerService.stubFor(post(urlEqualTo("/reservations/" + id + "/settlement")).willReturn(okJson(
                "{\"orderId\":\"" + id + "\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":6}")));
        reconciler.settlePending();
        assertEquals("APPROVED", order(id).getString("state"));
    }

    @Test
    void aSettledOrderIsNeverSettledAgain() {
        String id = pendingOrder();
        customerService.stubFor(post(urlEqualTo("/reservations/" + id + "/settlement")).willReturn(okJson(
                "{\"orderId\":\"" + id + "\",\"approved\":false,\"status\":\"VOIDED\",\"availableCredit\":null}")));
        reconciler.settlePending();
        customerService.resetRequests();
        reconciler.settlePending();
        customerService.verify(0, postRequestedFor(urlEqualTo("/reservations/" + id + "/settlement")));
        assertEquals("REJECTED", order(id).getString("state"));
    }

}
