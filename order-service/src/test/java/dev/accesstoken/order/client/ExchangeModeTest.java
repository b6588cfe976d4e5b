package dev.accesstoken.order.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalToIgnoringCase;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.accesstoken.order.OrderServiceTestResources;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Exchange mode: customer-service receives the token the gateway exchanged for it, never the caller's, both
 * from the trace endpoint (event loop, non-blocking client) and from placing an order (worker thread,
 * blocking client); and a gateway that cannot exchange makes a prompt 503, with nothing sent on.
 */
@QuarkusTest
@TestProfile(ExchangeModeTest.Exchange.class)
@OrderServiceTestResources
class ExchangeModeTest {

    static final String EXCHANGED = "exchanged-for-customer-service";

    public static class Exchange implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("access-token.propagation", "exchange");
        }
    }

    @InjectWireMock("customer-service")
    WireMockServer customerService;

    @InjectWireMock("gateway")
    WireMockServer gateway;

    @BeforeEach
    void reset() {
        customerService.resetAll();
        gateway.resetAll();
        customerService.stubFor(get("/customers/trace").willReturn(okJson(
                "{\"customer-service\":{\"subject\":\"alice\",\"username\":\"alice\",\"groups\":[\"user\"],"
                        + "\"tokenId\":\"t\",\"audience\":[\"customer-service\"]}}")));
        customerService.stubFor(get("/customers/me").willReturn(okJson("""
                {"id":"c-alice","username":"alice","name":"Alice Liddell","creditLimit":1000.00,"availableCredit":1000.00}""")));
        customerService.stubFor(post(urlMatching("/customers/c-alice/reservations")).willReturn(okJson(
                "{\"orderId\":\"x\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":1.00}")));
    }

    @Test
    void customerServiceGetsTheExchangedTokenOnBothPathsAndOneExchangeServesTheUsersBurst() {
        String alice = Tokens.user("alice").sign();
        gateway.stubFor(post("/auth/token")
                .withRequestBody(containing("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"))
                .withRequestBody(containing("subject_token=" + alice))
                .withRequestBody(containing("audience=customer-service"))
                .willReturn(okJson("{\"access_token\":\"" + EXCHANGED + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));

        given().header("Authorization", Tokens.bearer(alice)).get("/orders/trace").then().statusCode(200);
        given().header("Authorization", Tokens.bearer(alice)).contentType(ContentType.JSON).body("{\"amount\":5}")
                .post("/orders").then().statusCode(201);

        customerService.verify(getRequestedFor(urlEqualTo("/customers/trace"))
                .withHeader("Authorization", equalTo("Bearer " + EXCHANGED)));
        customerService.verify(getRequestedFor(urlEqualTo("/customers/me"))
                .withHeader("Authorization", equalTo("Bearer " + EXCHANGED)));
        customerService.verify(postRequestedFor(urlMatching("/customers/c-alice/reservations"))
                .withHeader("Authorization", equalTo("Bearer " + EXCHANGED)));
        customerService.verify(0, getRequestedFor(urlMatching(".*"))
                .withHeader("Authorization", equalTo(Tokens.bearer(alice))));
        gateway.verify(1, postRequestedFor(urlEqualTo("/auth/token")));
    }

    @Test
    void aGatewayThatCannotExchangeMakesA503AndNothingIsSentOn() {
        gateway.stubFor(post("/auth/token").willReturn(aResponse().withStatus(500)));

        given().header("Authorization", Tokens.bearer(Tokens.user("alice").sign())).get("/orders/trace").then()
                .statusCode(503).contentType(equalToIgnoringCase("application/problem+json"));

        customerService.verify(0, getRequestedFor(urlMatching(".*")));
    }
}
