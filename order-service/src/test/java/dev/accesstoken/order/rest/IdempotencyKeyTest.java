package dev.accesstoken.order.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.accesstoken.order.OrderServiceTestResources;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** The Idempotency-Key rules of the IETF httpapi draft, scoped to the user. */
@QuarkusTest
@OrderServiceTestResources
class IdempotencyKeyTest {

    static final String PROBLEM = "application/problem+json";
    static final String RESERVATIONS = "/customers/c-alice/reservations";

    @InjectWireMock("customer-service")
    WireMockServer customerService;

    String alice = Tokens.user("alice").sign();
    String bob = Tokens.user("bob").sign();

    @BeforeEach
    void stubs() {
        customerService.resetAll();
        customerService.stubFor(get("/customers/me").willReturn(okJson(
                "{\"id\":\"c-alice\",\"username\":\"alice\",\"name\":\"A\",\"creditLimit\":10,\"availableCredit\":10}")));
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).willReturn(okJson(
                "{\"orderId\":\"x\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":1}")));
    }

    ExtractableResponse<Response> place(String token, String key, String body) {
        var request = given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/orders").then().extract();
    }

    int reservations() {
        return customerService.findAll(postRequestedFor(urlEqualTo(RESERVATIONS))).size();
    }

    @Test
    void theSameKeyAndBodyAnswers200WithTheSameOrderAndCreatesNothing() {
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> first = place(alice, key, "{\"amount\":3,\"description\":\"tea\"}");
        assertEquals(201, first.statusCode());
        ExtractableResponse<Response> again = place(alice, key, "{\"amount\":3.00,\"description\":\"tea\"}");
        assertEquals(200, again.statusCode());
        assertEquals(first.path("id").toString(), again.path("id").toString());
        assertEquals("APPROVED", again.path("state"));
        assertTrue(again.header("Content-Location").endsWith("/orders/" + first.path("id")));
        assertEquals(1, reservations(), "the replay reserved nothing");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        String key = UUID.randomUUID().toString();
        assertEquals(201, place(alice, key, "{\"amount\":3,\"description\":\"tea\"}").statusCode());
        ExtractableResponse<Response> other = place(alice, key, "{\"amount\":4,\"description\":\"tea\"}");
        assertEquals(422, other.statusCode());
        assertEquals(PROBLEM, other.contentType());
        assertEquals(422, place(alice, key, "{\"amount\":3,\"description\":\"coffee\"}").statusCode());
        assertEquals(1, reservations());
    }

    @Test
    void anotherUsersIdenticalKeyIsIndependent() {
        customerService.stubFor(get("/customers/me").withHeader("Authorization",
                com.github.tomakehurst.wiremock.client.WireMock.equalTo(Tokens.bearer(bob))).willReturn(okJson(
                        "{\"id\":\"c-bob\",\"username\":\"bob\",\"name\":\"B\",\"creditLimit\":10,\"availableCredit\":10}")));
        customerService.stubFor(post(urlEqualTo("/customers/c-bob/reservations")).willReturn(okJson(
                "{\"orderId\":\"x\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":1}")));
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> alices = place(alice, key, "{\"amount\":3}");
        ExtractableResponse<Response> bobs = place(bob, key, "{\"amount\":3}");
        assertEquals(201, alices.statusCode());
        assertEquals(201, bobs.statusCode());
        assertNotEquals(alices.path("id").toString(), bobs.path("id").toString());
        assertEquals("bob", bobs.path("username"));
    }

    @Test
    void whileTheFirstRequestIsRunningTheSameKeyIs409() throws Exception {
        // The first request waits two read timeouts for customer-service, then answers 504.
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).willReturn(okJson(
                "{\"orderId\":\"x\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":1}").withFixedDelay(10_000)));
        String key = UUID.randomUUID().toString();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> place(alice, key, "{\"amount\":5}").statusCode());
        // Wait until the first request has asked customer-service, so its order is stored and in flight.
        for (int i = 0; i < 100 && reservations() == 0; i++) {
            Thread.sleep(50);
        }
        ExtractableResponse<Response> second = place(alice, key, "{\"amount\":5}");
        assertEquals(409, second.statusCode());
        assertEquals(PROBLEM, second.contentType());
        assertEquals(504, first.get().intValue());

        // Once the first request has ended, the key answers with the order as it stands: PENDING.
        ExtractableResponse<Response> later = place(alice, key, "{\"amount\":5}");
        assertEquals(200, later.statusCode());
        assertEquals("PENDING", later.path("state"));
    }

    @Test
    void withoutAKeyEveryRequestIsANewOrder() {
        assertNotEquals(place(alice, null, "{\"amount\":1}").path("id").toString(),
                place(alice, null, "{\"amount\":1}").path("id").toString());
        assertEquals(2, reservations());
    }

    static Stream<String> malformedKeys() {
        return Stream.of("", "x".repeat(256), "with space", "tab\there", "caf\u00e9");
    }

    @ParameterizedTest
    @MethodSource("malformedKeys")
    void aMalformedKeyIs400AndNoOrderIsMade(String key) {
        given().header("Authorization", Tokens.bearer(alice)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body("{\"amount\":1,\"description\":\"bad key\"}")
                .post("/orders").then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("Idempotency-Key"));
        assertEquals(0, reservations());
        given().header("Authorization", Tokens.bearer(Tokens.admin().sign())).get("/orders").then()
                .statusCode(200).body("description", not(org.hamcrest.Matchers.hasItem("bad key")));
    }

    @Test
    void theLongestValidKeyIsAccepted() {
        assertEquals(201, place(alice, "k".repeat(255), "{\"amount\":1}").statusCode());
    }
}
