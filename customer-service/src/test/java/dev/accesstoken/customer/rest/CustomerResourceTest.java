package dev.accesstoken.customer.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.accesstoken.customer.CustomerServiceTestResources;
import dev.accesstoken.testsupport.BadTokens;
import dev.accesstoken.testsupport.ManagementUrl;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
@CustomerServiceTestResources
class CustomerResourceTest {

    static final String PROBLEM = "application/problem+json";

    static RequestSpecification as(Tokens tokens) {
        return given().header("Authorization", Tokens.bearer(tokens.sign()));
    }

    static String idOf(String username) {
        return as(Tokens.user(username)).get("/customers/me").then().statusCode(200).extract().path("id");
    }

    static BigDecimal availableCredit(String username) {
        return new BigDecimal(as(Tokens.user(username)).get("/customers/me").then().statusCode(200)
                .extract().jsonPath().getString("availableCredit"));
    }

    static void assertCredit(BigDecimal expected, BigDecimal actual) {
        assertEquals(0, expected.compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    static Map<String, Object> reservation(String orderId, String amount) {
        return Map.of("orderId", orderId, "amount", new BigDecimal(amount));
    }

    @Test
    void meReturnsTheCallersOwnRecord() {
        as(Tokens.user("bob")).get("/customers/me").then()
                .statusCode(200)
                .body("username", equalTo("bob"))
                .body("name", equalTo("Bob Baumeister"))
                .body("creditLimit", equalTo(500.00f))
                .body("id", not(equalTo(idOf("alice"))));
    }

    @Test
    void adminHasNoCustomerRecord() {
        as(Tokens.admin()).get("/customers/me").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void noTokenIs401Problem() {
        given().get("/customers/me").then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"customer-service\"")
                .body("status", equalTo(401))
                .body("title", equalTo("Unauthorized"));
    }

    /** mp.jwt.verify.clock.skew=30 (docs/errors.md): 1 s and 10 s past exp are accepted, 31 s is expired. */
    @ParameterizedTest(name = "{0} s past exp: {1}")
    @org.junit.jupiter.params.provider.CsvSource({ "1, 200", "10, 200", "31, 401" })
    void aTokenIsAcceptedUpToTheClockSkewPastItsExpiry(long secondsPastExp, int status) {
        String token = Tokens.user("alice").expiredAgo(java.time.Duration.ofSeconds(secondsPastExp)).sign();
        var answer = given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then().statusCode(status);
        if (status == 401) {
            answer.header("WWW-Authenticate", BadTokens.challenge("customer-service", "expired"));
        }
    }

    static Stream<Arguments> refusals() {
        return BadTokens.byReason("order-service");
    }

    /** RFC 6750, 3.1: invalid_token with the reason, the same reason in the detail, and nothing of the token. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void eachRefusedTokenIsAnsweredWithItsReason(String reason, String token) {
        String body = given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then()
                .statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", BadTokens.challenge("customer-service", reason))
                .body("detail", org.hamcrest.Matchers.equalTo(BadTokens.detail(reason)))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains(token), "the answer quotes the token");
    }

    @Test
    void noTokenGetsAChallengeWithoutAnError() {
        given().get("/customers/me").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"customer-service\"")
                .body("detail", org.hamcrest.Matchers.equalTo("A bearer token is required"));
    }

    static Stream<Arguments> badTokens() {
        return BadTokens.all("order-service");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void everyKindOfBadTokenIs401(String whatIsWrong, String token) {
        given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then()
                .statusCode(401)
                .contentType(PROBLEM);
    }

    @Test
    void theGenuineTokenTheForgeriesStartFromIsAccepted() {
        // Guards the test above: the forged tokens fail for their one defect, not for something else.
        as(Tokens.user("alice")).get("/customers/me").then().statusCode(200);
    }

    @Test
    void ownerAndAdminReadACustomerById() {
        String alice = idOf("alice");
        as(Tokens.user("alice")).get("/customers/" + alice).then().statusCode(200).body("username", equalTo("alice"));
        as(Tokens.admin()).get("/customers/" + alice).then().statusCode(200).body("username", equalTo("alice"));
    }

    @Test
    void anotherUsersCustomerIsNotFoundSoItsExistenceIsHidden() {
        String alice = idOf("alice");
        String bobSees = as(Tokens.user("bob")).get("/customers/" + alice).then()
                .statusCode(404).contentType(PROBLEM).extract().path("detail");
        String nobodyHas = as(Tokens.user("bob")).get("/customers/does-not-exist").then()
                .statusCode(404).extract().path("detail");
        assertEquals(nobodyHas.replace("does-not-exist", alice), bobSees);
    }

    @Test
    void onlyAdminListsAllCustomers() {
        as(Tokens.admin()).get("/customers").then()
                .statusCode(200)
                .body("username", hasItems("alice", "bob"));
        as(Tokens.user("alice")).get("/customers").then()
                .statusCode(403)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer realm=\"customer-service\", error=\"insufficient_scope\"")
                .body("status", equalTo(403));
    }

    @Test
    void aTokenWithoutAKnownRoleIsForbidden() {
        as(Tokens.user("alice").groups("guest")).get("/customers/me").then().statusCode(403);
    }

    @Test
    void reservationWithinCreditIsApprovedAndLowersAvailableCredit() {
        String alice = idOf("alice");
        BigDecimal before = availableCredit("alice");
        String orderId = UUID.randomUUID().toString();

        as(Tokens.user("alice")).contentType(ContentType.JSON).body(reservation(orderId, "12.50"))
                .post("/customers/" + alice + "/reservations").then()
                .statusCode(200)
                .body("orderId", equalTo(orderId))
                .body("approved", is(true))
                .body("status", equalTo("APPROVED"));

        assertCredit(before.subtract(new BigDecimal("12.50")), availableCredit("alice"));
    }

    @Test
    void sameOrderIdTwiceReservesOnce() {
        String alice = idOf("alice");
        String orderId = UUID.randomUUID().toString();
        BigDecimal before = availableCredit("alice");
        for (int i = 0; i < 2; i++) {
            as(Tokens.user("alice")).contentType(ContentType.JSON).body(reservation(orderId, "5.00"))
                    .post("/customers/" + alice + "/reservations").then().statusCode(200).body("approved", is(true));
        }
        assertCredit(before.subtract(new BigDecimal("5.00")), availableCredit("alice"));

        as(Tokens.user("alice")).contentType(ContentType.JSON).body(reservation(orderId, "6.00"))
                .post("/customers/" + alice + "/reservations").then().statusCode(409).contentType(PROBLEM);
        assertCredit(before.subtract(new BigDecimal("5.00")), availableCredit("alice"));
    }

    @Test
    void reservationBeyondCreditIsRefusedAndChangesNothing() {
        String bob = idOf("bob");
        BigDecimal before = availableCredit("bob");
        as(Tokens.user("bob")).contentType(ContentType.JSON)
                .body(reservation(UUID.randomUUID().toString(), before.add(BigDecimal.ONE).toPlainString()))
                .post("/customers/" + bob + "/reservations").then()
                .statusCode(200)
                .body("approved", is(false))
                .body("status", equalTo("REJECTED"));
        assertCredit(before, availableCredit("bob"));
    }

    @Test
    void aUserCannotGiveTheirOwnCreditBack() {
        String alice = idOf("alice");
        String orderId = UUID.randomUUID().toString();
        as(Tokens.user("alice")).contentType(ContentType.JSON).body(reservation(orderId, "7.00"))
                .post("/customers/" + alice + "/reservations").then().statusCode(200);
        BigDecimal held = availableCredit("alice");
        // There is no release endpoint: a propagated user token could otherwise free its own approved holds.
        as(Tokens.user("alice")).delete("/customers/" + alice + "/reservations/" + orderId).then().statusCode(404);
        assertCredit(held, availableCredit("alice"));
    }

    @Test
    void onlyTheOwnerReserves() {
        String alice = idOf("alice");
        BigDecimal before = availableCredit("alice");
        as(Tokens.user("bob")).contentType(ContentType.JSON).body(reservation(UUID.randomUUID().toString(), "1.00"))
                .post("/customers/" + alice + "/reservations").then().statusCode(404);
        as(Tokens.admin()).contentType(ContentType.JSON).body(reservation(UUID.randomUUID().toString(), "1.00"))
                .post("/customers/" + alice + "/reservations").then().statusCode(403);
        assertCredit(before, availableCredit("alice"));
    }

    static Stream<Arguments> invalidReservations() {
        return Stream.of(
                Arguments.of("{\"orderId\":\"o1\",\"amount\":0}", "amount"),
                Arguments.of("{\"orderId\":\"o1\",\"amount\":-3}", "amount"),
                Arguments.of("{\"orderId\":\"o1\",\"amount\":1.001}", "amount"),
                Arguments.of("{\"orderId\":\"o1\",\"amount\":1000000.01}", "amount"),
                Arguments.of("{\"orderId\":\"o1\"}", "amount"),
                Arguments.of("{\"amount\":1}", "orderId"),
                Arguments.of("{\"orderId\":\"" + "x".repeat(65) + "\",\"amount\":1}", "orderId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReservations")
    void invalidReservationIs400WithTheField(String body, String field) {
        as(Tokens.user("alice")).contentType(ContentType.JSON).body(body)
                .post("/customers/" + idOf("alice") + "/reservations").then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("violations.field", contains(field));
    }

    @ParameterizedTest
    @MethodSource("unreadableBodies")
    void unreadableBodyIs400Problem(String body) {
        as(Tokens.user("alice")).contentType(ContentType.JSON).body(body)
                .post("/customers/" + idOf("alice") + "/reservations").then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("detail", not(containsString("Exception")));
    }

    static Stream<String> unreadableBodies() {
        return Stream.of("{not json", "{\"orderId\":\"o\",\"amount\":\"lots\"}", "[1,2]", "");
    }

    @Test
    void traceShowsTheIdentityThisServiceSaw() {
        as(Tokens.user("alice")).get("/customers/trace").then()
                .statusCode(200)
                .body("customer-service.subject", equalTo("alice"))
                .body("customer-service.username", equalTo("alice"))
                .body("customer-service.groups", contains("user"))
                .body("customer-service.audience", containsInAnyOrder("customer-service", "order-service"))
                .body("customer-service.tokenId", not(equalTo(null)));
        given().get("/customers/trace").then().statusCode(401);
    }

    @Test
    void aWrongMethodIs405Problem() {
        as(Tokens.user("alice")).delete("/customers/me").then()
                .statusCode(405)
                .contentType(PROBLEM)
                .body("status", equalTo(405));
    }

    @TestHTTPResource(value = "/health/ready", management = true) // under the management root path, /q
    java.net.URL managementReady;

    /** Health is on the management interface, which needs no token; the API port does not serve it. */
    @Test
    void healthNeedsNoTokenAndIsOnTheManagementPortOnly() {
        java.net.URL ready = ManagementUrl.of(managementReady);
        try {
            given().get(ready).then().statusCode(200);
        } catch (Exception e) { // RestAssured throws a ConnectException unchecked
            throw new AssertionError("GET " + ready + ": " + e, e);
        }
        given().get("/q/health/ready").then().statusCode(404);
    }
}
