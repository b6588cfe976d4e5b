package dev.accesstoken.order.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;

import dev.accesstoken.order.OrderServiceTestResources;
import dev.accesstoken.testsupport.BadTokens;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

@QuarkusTest
@OrderServiceTestResources
class OrderResourceTest {

    static final String PROBLEM = "application/problem+json";
    static final String ALICE_ID = "c-alice";
    static final String BOB_ID = "c-bob";

    @InjectWireMock("customer-service")
    WireMockServer customerService;

    String alice;
    String bob;
    String admin;

    @BeforeEach
    void fakeCustomerService() {
        customerService.resetAll();
        alice = Tokens.user("alice").sign();
        bob = Tokens.user("bob").sign();
        admin = Tokens.admin().sign();
        customerService.stubFor(get("/customers/me").withHeader("Authorization", equalTo(Tokens.bearer(alice)))
                .willReturn(okJson(customer(ALICE_ID, "alice", "Alice Liddell"))));
        customerService.stubFor(get("/customers/me").withHeader("Authorization", equalTo(Tokens.bearer(bob)))
                .willReturn(okJson(customer(BOB_ID, "bob", "Bob Baumeister"))));
        customerService.stubFor(get("/customers/" + ALICE_ID)
                .willReturn(okJson(customer(ALICE_ID, "alice", "Alice Liddell"))));
    }

    static String customer(String id, String username, String name) {
        return """
                {"id":"%s","username":"%s","name":"%s","creditLimit":1000.00,"availableCredit":1000.00}"""
                .formatted(id, username, name);
    }

    static String decision(boolean approved) {
        return "{\"orderId\":\"x\",\"approved\":" + approved + ",\"status\":\"" + (approved ? "APPROVED" : "REJECTED")
                + "\",\"availableCredit\":1.00}";
    }

    void creditDecision(String customerId, boolean approved) {
        customerService.stubFor(post(urlMatching("/customers/" + customerId + "/reservations"))
                .willReturn(okJson(decision(approved))));
    }

    ValidatableResponse place(String token, String body) {
        return given().header("Authorization", Tokens.bearer(token)).contentType(ContentType.JSON).body(body)
                .post("/orders").then();
    }

    @Test
    void orderWithinCreditIsApprovedAndTheTokenIsPropagated() {
        creditDecision(ALICE_ID, true);
        String id = place(alice, "{\"amount\":25.50,\"description\":\"books\"}")
                .statusCode(201)
                .body("state", org.hamcrest.Matchers.equalTo("APPROVED"))
                .body("username", org.hamcrest.Matchers.equalTo("alice"))
                .body("customerId", org.hamcrest.Matchers.equalTo(ALICE_ID))
                .body("amount", org.hamcrest.Matchers.equalTo(25.5f))
                .body("description", org.hamcrest.Matchers.equalTo("books"))
                .body("$", hasKey("rejectionReason"))
                .body("rejectionReason", nullValue())
                .body("createdAt", notNullValue())
                .extract().path("id");

        customerService.verify(postRequestedFor(urlEqualTo("/customers/" + ALICE_ID + "/reservations"))
                .withHeader("Authorization", equalTo(Tokens.bearer(alice)))
                .withRequestBody(equalToJson("{\"orderId\":\"" + id + "\",\"amount\":25.50}")));
    }

    @Test
    void locationPointsAtTheNewOrder() {
        creditDecision(ALICE_ID, true);
        var response = place(alice, "{\"amount\":1}").statusCode(201).extract();
        org.hamcrest.MatcherAssert.assertThat(response.header("Location"), endsWith("/orders/" + response.path("id")));
    }

    @Test
    void orderBeyondCreditIsRejected() {
        creditDecision(BOB_ID, false);
        place(bob, "{\"amount\":900}")
                .statusCode(201)
                .body("state", org.hamcrest.Matchers.equalTo("REJECTED"))
                .body("rejectionReason", org.hamcrest.Matchers.equalTo("INSUFFICIENT_CREDIT"))
                .body("description", nullValue());
    }

    @Test
    void adminPlacesNoOrders() {
        place(admin, "{\"amount\":1}").statusCode(403).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"order-service\", error=\"insufficient_scope\"");
        customerService.verify(0, postRequestedFor(urlMatching(".*")));
    }

    @Test
    void noTokenIs401() {
        given().contentType(ContentType.JSON).body("{\"amount\":1}").post("/orders").then()
                .statusCode(401).contentType(PROBLEM);
        given().get("/orders").then().statusCode(401);
        given().get("/orders/trace").then().statusCode(401);
    }

    /** mp.jwt.verify.clock.skew=30 (docs/errors.md): 1 s and 10 s past exp are accepted, 31 s is expired. */
    @ParameterizedTest(name = "{0} s past exp: {1}")
    @org.junit.jupiter.params.provider.CsvSource({ "1, 200", "10, 200", "31, 401" })
    void aTokenIsAcceptedUpToTheClockSkewPastItsExpiry(long secondsPastExp, int status) {
        String token = Tokens.user("alice").expiredAgo(java.time.Duration.ofSeconds(secondsPastExp)).sign();
        var answer = given().header("Authorization", Tokens.bearer(token)).get("/orders").then().statusCode(status);
        if (status == 401) {
            answer.header("WWW-Authenticate", BadTokens.challenge("order-service", "expired"));
        }
    }

    static Stream<Arguments> refusals() {
        return BadTokens.byReason("customer-service");
    }

    /** RFC 6750, 3.1: invalid_token with the reason, the same reason in the detail, and nothing of the token. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusedTokenIsAnsweredWithItsReason(String reason, String token) {
        String body = given().header("Authorization", Tokens.bearer(token)).get("/orders").then()
                .statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", BadTokens.challenge("order-service", reason))
                .body("detail", org.hamcrest.Matchers.equalTo(BadTokens.detail(reason)))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains(token), "the answer quotes the token");
    }

    @Test
    void noTokenGetsAChallengeWithoutAnError() {
        given().get("/orders").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"order-service\"")
                .body("detail", org.hamcrest.Matchers.equalTo("A bearer token is required"));
    }

    static Stream<Arguments> badTokens() {
        return BadTokens.all("customer-service");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void everyKindOfBadTokenIs401(String whatIsWrong, String token) {
        given().header("Authorization", Tokens.bearer(token)).get("/orders").then()
                .statusCode(401).contentType(PROBLEM);
    }

    static Stream<Arguments> invalidOrders() {
        return Stream.of(
                Arguments.of("{\"amount\":0}", "amount"),
                Arguments.of("{\"amount\":-1}", "amount"),
                Arguments.of("{\"amount\":1.001}", "amount"),
                Arguments.of("{\"amount\":1000000.01}", "amount"),
                Arguments.of("{\"description\":\"no amount\"}", "amount"),
                Arguments.of("{\"amount\":1,\"description\":\"" + "d".repeat(201) + "\"}", "description"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOrders")
    void invalidOrderIs400AndNothingIsReserved(String body, String field) {
        place(alice, body).statusCode(400).contentType(PROBLEM).body("violations.field", contains(field));
        customerService.verify(0, postRequestedFor(urlMatching(".*")));
    }

    @Test
    void boundaryAmountsAreAccepted() {
        creditDecision(ALICE_ID, true);
        place(alice, "{\"amount\":1000000.00,\"description\":\"" + "d".repeat(200) + "\"}").statusCode(201);
        place(alice, "{\"amount\":0.01}").statusCode(201);
    }

    @ParameterizedTest
    @MethodSource("unreadableBodies")
    void unreadableBodyIs400(String body) {
        place(alice, body).statusCode(400).contentType(PROBLEM);
    }

    /** Each message says what to send, in the client's terms (docs/errors.md), checked word for word. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "{\"amount\":                |The request body is not valid JSON: parsing failed at line 1, column 11",
            "{\"amount\":\"abc\"}          |The field 'amount' must be a number",
            "{\"amount\":true}           |The field 'amount' must be a number",
            "{\"amount\":1,\"description\":[1]}|The field 'description' must be a string",
            "\"just a string\"           |The request body must be a JSON object" })
    void anUnreadableBodySaysWhatIsWrong(String body, String detail) {
        place(alice, body.strip()).statusCode(400).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo(detail));
    }

    @Test
    void plainMessagesForWhatTheFrameworkRefuses() {
        given().header("Authorization", Tokens.bearer(alice)).contentType("text/plain").body("amount=1").post("/orders")
                .then().statusCode(415).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo("send Content-Type: application/json"));
        given().header("Authorization", Tokens.bearer(alice)).get("/orders?limit=0").then().statusCode(400)
                .contentType(PROBLEM).body("violations.field", contains("limit"))
                .body("violations.message", contains("must be 1 to 100"));
        given().get("/no-such-thing").then().statusCode(404).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo("There is nothing at this path: the API is described at /q/openapi"));
        given().header("Authorization", Tokens.bearer(alice)).delete("/orders").then().statusCode(405).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo("DELETE is not allowed at this path: the API is described at /q/openapi"));
    }

    ValidatableResponse pageAfter(String cursor) {
        return given().header("Authorization", Tokens.bearer(alice)).queryParam("after", cursor).get("/orders").then();
    }

    static String otherChar(char c) {
        return String.valueOf(c == 'A' ? 'B' : c == '1' ? '2' : c == 'a' ? 'b' : Character.isDigit(c) ? '1' : 'A');
    }

    /** The cursor is {@code base64url("<seconds>.<nanos>:<id>").<HMAC>}: one changed character anywhere is refused. */
    @Test
    void aCursorThisServiceDidNotSignIs400() {
        creditDecision(ALICE_ID, true);
        place(alice, "{\"amount\":1}").statusCode(201);
        place(alice, "{\"amount\":2}").statusCode(201);
        String link = given().header("Authorization", Tokens.bearer(alice)).get("/orders?limit=1").then().statusCode(200)
                .extract().header("Link");
        String cursor = link.substring(link.indexOf("after=") + "after=".length(), link.indexOf('>'));
        pageAfter(cursor).statusCode(200);

        String payload = cursor.substring(0, cursor.lastIndexOf('.'));
        String signature = cursor.substring(cursor.lastIndexOf('.') + 1);
        String raw = new String(java.util.Base64.getUrlDecoder().decode(payload), java.nio.charset.StandardCharsets.UTF_8);
        java.util.function.Function<String, String> encode = text -> java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        int colon = raw.indexOf(':');
        String time = raw.substring(0, 3) + otherChar(raw.charAt(3)) + raw.substring(4);
        String id = raw.substring(0, raw.length() - 1) + otherChar(raw.charAt(raw.length() - 1));
        org.junit.jupiter.api.Assertions.assertTrue(colon > 4, raw);
        for (String changed : List.of(encode.apply(time) + "." + signature, encode.apply(id) + "." + signature,
                payload + "." + otherChar(signature.charAt(0)) + signature.substring(1))) {
            pageAfter(changed).statusCode(400).contentType(PROBLEM).body("detail", org.hamcrest.Matchers.equalTo(
                    "The cursor is not one this service gave out, or its key has changed: start again from the first page"));
        }

        // Another replica, with the same key, recognises it; a key since rotated out does not.
        dev.accesstoken.order.model.OrderCursor position = dev.accesstoken.order.model.OrderCursor.decode(payload).orElseThrow();
        String key = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("orders.cursor.key", String.class);
        pageAfter(new dev.accesstoken.order.service.CursorSigner(java.util.Optional.of(key)).sign(position)).statusCode(200);
        pageAfter(new dev.accesstoken.order.service.CursorSigner(java.util.Optional.of("the-key-before-the-rotation-0123456789"))
                .sign(position)).statusCode(400).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.endsWith("start again from the first page"));
    }

    static Stream<String> unreadableBodies() {
        return Stream.of("{\"amount\":", "{\"amount\":\"ten\"}", "\"just a string\"", "");
    }

    @Test
    void usersListOnlyTheirOwnOrdersAndAdminListsAll() {
        creditDecision(ALICE_ID, true);
        creditDecision(BOB_ID, true);
        String alices = place(alice, "{\"amount\":3}").statusCode(201).extract().path("id");
        String bobs = place(bob, "{\"amount\":4}").statusCode(201).extract().path("id");

        List<String> aliceSees = given().header("Authorization", Tokens.bearer(alice)).get("/orders").then()
                .statusCode(200).body("username", everyItem(org.hamcrest.Matchers.equalTo("alice")))
                .extract().path("id");
        assertFalse(aliceSees.contains(bobs));
        given().header("Authorization", Tokens.bearer(admin)).get("/orders").then()
                .statusCode(200).body("id", hasItems(alices, bobs));
    }

    @Test
    void anOrderIsReadWithItsCustomerByOwnerAndAdminButHiddenFromOthers() {
        creditDecision(ALICE_ID, true);
        String id = place(alice, "{\"amount\":5}").statusCode(201).extract().path("id");

        for (String reader : List.of(alice, admin)) {
            given().header("Authorization", Tokens.bearer(reader)).get("/orders/" + id).then()
                    .statusCode(200)
                    .body("id", org.hamcrest.Matchers.equalTo(id))
                    .body("customer.id", org.hamcrest.Matchers.equalTo(ALICE_ID))
                    .body("customer.name", org.hamcrest.Matchers.equalTo("Alice Liddell"));
            customerService.verify(getRequestedFor(urlEqualTo("/customers/" + ALICE_ID))
                    .withHeader("Authorization", equalTo(Tokens.bearer(reader))));
        }
        given().header("Authorization", Tokens.bearer(bob)).get("/orders/" + id).then()
                .statusCode(404).contentType(PROBLEM);
        given().header("Authorization", Tokens.bearer(bob)).get("/orders/no-such-order").then()
                .statusCode(404).contentType(PROBLEM);
    }

    static final String RESERVATIONS = "/customers/" + ALICE_ID + "/reservations";

    /** The orderIds of the reservation requests customer-service received, in order. */
    List<String> reservationOrderIds() {
        return customerService.findAll(postRequestedFor(urlEqualTo(RESERVATIONS))).stream()
                .map(request -> io.restassured.path.json.JsonPath.from(request.getBodyAsString()).getString("orderId"))
                .toList();
    }

    static Stream<Fault> connectionFaults() {
        return Stream.of(Fault.CONNECTION_RESET_BY_PEER, Fault.EMPTY_RESPONSE, Fault.RANDOM_DATA_THEN_CLOSE,
                Fault.MALFORMED_RESPONSE_CHUNK);
    }

    /** However the connection ends, the caller gets 503/504 with the orderId, and the order waits as PENDING. */
    @ParameterizedTest
    @MethodSource("connectionFaults")
    void aBrokenConnectionIs503Or504AndLeavesTheOrderPending(Fault fault) {
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).willReturn(aResponse().withFault(fault)));
        String id = place(alice, "{\"amount\":6,\"description\":\"" + fault + "\"}")
                .statusCode(org.hamcrest.Matchers.oneOf(503, 504)).contentType(PROBLEM)
                .body("orderId", notNullValue())
                .extract().path("orderId");
        assertPending(id);
    }

    @ParameterizedTest
    @MethodSource("connectionFaults")
    void aBrokenConnectionBeforeAnyOrderIs503AndStoresNothing(Fault fault) {
        customerService.stubFor(get("/customers/me").willReturn(aResponse().withFault(fault)));
        place(alice, "{\"amount\":6,\"description\":\"never stored " + fault + "\"}")
                .statusCode(org.hamcrest.Matchers.oneOf(503, 504)).contentType(PROBLEM);
        assertNoOrderDescribed("never stored " + fault);
    }

    @ParameterizedTest
    @MethodSource("connectionFaults")
    void readsThroughABrokenConnectionAre503Or504(Fault fault) {
        creditDecision(ALICE_ID, true);
        String id = place(alice, "{\"amount\":2}").statusCode(201).extract().path("id");
        customerService.stubFor(get("/customers/" + ALICE_ID).willReturn(aResponse().withFault(fault)));
        customerService.stubFor(get("/customers/trace").willReturn(aResponse().withFault(fault)));
        given().header("Authorization", Tokens.bearer(alice)).get("/orders/" + id).then()
                .statusCode(org.hamcrest.Matchers.oneOf(503, 504)).contentType(PROBLEM);
        given().header("Authorization", Tokens.bearer(alice)).get("/orders/trace").then()
                .statusCode(org.hamcrest.Matchers.oneOf(503, 504)).contentType(PROBLEM);
    }

    @Test
    void slowCustomerServiceIs504InTimeAfterAskingTwiceForTheSameOrder() {
        customerService.stubFor(post(urlEqualTo(RESERVATIONS))
                .willReturn(okJson(decision(true)).withFixedDelay(30_000)));
        long started = System.nanoTime();
        String id = place(alice, "{\"amount\":7,\"description\":\"too slow\"}").statusCode(504).contentType(PROBLEM)
                .extract().path("orderId");
        // Two 1 s attempts, not even one 30 s wait; the wide margin is for a loaded 2-core machine.
        org.hamcrest.MatcherAssert.assertThat((System.nanoTime() - started) / 1_000_000, lessThan(15_000L));
        assertPending(id);
        List<String> attempts = reservationOrderIds();
        org.junit.jupiter.api.Assertions.assertEquals(2, attempts.size());
        org.junit.jupiter.api.Assertions.assertEquals(attempts.get(0), attempts.get(1), "same orderId: idempotent");
    }

    @Test
    void aLostAnswerIsAskedForAgainAndTheOrderIsStoredWithTheFirstDecision() {
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).inScenario("lost answer")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("answered once")
                .willReturn(okJson(decision(true)).withFixedDelay(3000)));
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).inScenario("lost answer")
                .whenScenarioStateIs("answered once")
                .willReturn(okJson(decision(true))));
        String id = place(alice, "{\"amount\":8}").statusCode(201)
                .body("state", org.hamcrest.Matchers.equalTo("APPROVED")).extract().path("id");
        org.junit.jupiter.api.Assertions.assertEquals(List.of(id, id), reservationOrderIds());
    }

    @Test
    void aServerErrorIsAskedForAgainButARefusalIsNot() {
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).inScenario("5xx")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(502)));
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).inScenario("5xx")
                .whenScenarioStateIs("recovered")
                .willReturn(okJson(decision(false))));
        place(alice, "{\"amount\":9}").statusCode(201).body("state", org.hamcrest.Matchers.equalTo("REJECTED"));
        org.junit.jupiter.api.Assertions.assertEquals(2, reservationOrderIds().size());

        customerService.resetAll();
        fakeCustomerService();
        customerService.stubFor(post(urlEqualTo(RESERVATIONS)).willReturn(aResponse().withStatus(409)
                .withHeader("Content-Type", PROBLEM)
                .withBody("{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"no\"}")));
        place(alice, "{\"amount\":10}").statusCode(409).contentType(PROBLEM);
        org.junit.jupiter.api.Assertions.assertEquals(1, reservationOrderIds().size());
    }

    @Test
    void customerServiceErrorsArePassedOnAsTheyWere() {
        customerService.stubFor(get("/customers/me").withHeader("Authorization", equalTo(Tokens.bearer(alice)))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", PROBLEM)
                        .withBody("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                                + "\"detail\":\"No customer record belongs to you\"}")));
        place(alice, "{\"amount\":1}").statusCode(404).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo("No customer record belongs to you"));
    }

    @Test
    void aTokenCustomerServiceRefusesIsA401WithItsChallenge() {
        customerService.stubFor(get("/customers/me").withHeader("Authorization", equalTo(Tokens.bearer(alice)))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", PROBLEM)
                        .withBody("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                                + "\"detail\":\"A valid bearer token is required\"}")));
        place(alice, "{\"amount\":1}").statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"order-service\", error=\"invalid_token\"");
    }

    @Test
    void traceAddsThisHopToCustomerServicesAndPropagatesTheToken() {
        customerService.stubFor(get("/customers/trace").willReturn(okJson(
                "{\"customer-service\":{\"subject\":\"alice\",\"username\":\"alice\",\"groups\":[\"user\"],"
                        + "\"tokenId\":\"t\",\"audience\":[\"customer-service\"]}}")));
        given().header("Authorization", Tokens.bearer(alice)).get("/orders/trace").then()
                .statusCode(200)
                .body("order-service.subject", org.hamcrest.Matchers.equalTo("alice"))
                .body("order-service.username", org.hamcrest.Matchers.equalTo("alice"))
                .body("order-service.tokenId", notNullValue())
                .body("order-service.audience", hasItems("order-service", "customer-service"))
                .body("customer-service.subject", org.hamcrest.Matchers.equalTo("alice"));
        customerService.verify(getRequestedFor(urlEqualTo("/customers/trace"))
                .withHeader("Authorization", equalTo(Tokens.bearer(alice))));
    }

    /** A pooled connection to a customer-service that has since restarted: the read is tried once more. */
    @Test
    void aReadWhoseConnectionBrokeIsTriedOnceMore() {
        creditDecision(ALICE_ID, true);
        String id = place(alice, "{\"amount\":2}").statusCode(201).extract().path("id");
        customerService.stubFor(get("/customers/" + ALICE_ID).inScenario("restart").whenScenarioStateIs(
                com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED).willSetStateTo("up again")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        customerService.stubFor(get("/customers/" + ALICE_ID).inScenario("restart").whenScenarioStateIs("up again")
                .willReturn(okJson(customer(ALICE_ID, "alice", "Alice Liddell"))));
        given().header("Authorization", Tokens.bearer(alice)).get("/orders/" + id).then().statusCode(200)
                .body("customer.name", org.hamcrest.Matchers.equalTo("Alice Liddell"));
    }

    void assertPending(String id) {
        given().header("Authorization", Tokens.bearer(alice)).get("/orders/" + id).then()
                .statusCode(200).body("state", org.hamcrest.Matchers.equalTo("PENDING"));
    }

    void assertNoOrderDescribed(String description) {
        given().header("Authorization", Tokens.bearer(admin)).get("/orders").then()
                .statusCode(200).body("description", not(hasItems(description)));
    }
}
