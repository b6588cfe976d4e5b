package dev.accesstoken.customer.rest;

import static dev.accesstoken.customer.rest.CustomerResourceTest.PROBLEM;
import static dev.accesstoken.customer.rest.CustomerResourceTest.as;
import static dev.accesstoken.customer.rest.CustomerResourceTest.availableCredit;
import static dev.accesstoken.customer.rest.CustomerResourceTest.assertCredit;
import static dev.accesstoken.customer.rest.CustomerResourceTest.idOf;
import static dev.accesstoken.customer.rest.CustomerResourceTest.reservation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.accesstoken.customer.CustomerServiceTestResources;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Settlement is for order-service's own service token, and that token is good for nothing else. */
@QuarkusTest
@CustomerServiceTestResources
class ReservationResourceTest {

    static Tokens orderService() {
        return Tokens.service("order-service", "customer-service");
    }

    static String reserve(String username, String amount) {
        String orderId = UUID.randomUUID().toString();
        as(Tokens.user(username)).contentType(ContentType.JSON).body(reservation(orderId, amount))
                .post("/customers/" + idOf(username) + "/reservations").then().statusCode(200);
        return orderId;
    }

    @Test
    void orderServiceReadsAReservation() {
        String orderId = reserve("alice", "3.00");
        as(orderService()).get("/reservations/" + orderId).then()
                .statusCode(200)
                .body("orderId", equalTo(orderId))
                .body("status", equalTo("APPROVED"))
                .body("approved", is(true));
        as(orderService()).get("/reservations/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void settlementAdoptsADecisionAndVoidsAMissingOne() {
        String reserved = reserve("alice", "4.00");
        as(orderService()).post("/reservations/" + reserved + "/settlement").then()
                .statusCode(200).body("status", equalTo("APPROVED"));

        String lost = UUID.randomUUID().toString();
        as(orderService()).post("/reservations/" + lost + "/settlement").then()
                .statusCode(200)
                .body("status", equalTo("VOIDED"))
                .body("approved", is(false))
                .body("availableCredit", nullValue());

        // The reservation that was lost in flight arrives after the settlement: it takes no credit.
        BigDecimal before = availableCredit("alice");
        as(Tokens.user("alice")).contentType(ContentType.JSON).body(reservation(lost, "1.00"))
                .post("/customers/" + idOf("alice") + "/reservations").then()
                .statusCode(200)
                .body("status", equalTo("VOIDED"))
                .body("approved", is(false));
        assertCredit(before, availableCredit("alice"));
    }

    @Test
    void aUserTokenCannotReadOrSettle() {
        String orderId = reserve("alice", "2.00");
        as(Tokens.user("alice")).get("/reservations/" + orderId).then().statusCode(403).contentType(PROBLEM);
        as(Tokens.user("alice")).post("/reservations/" + orderId + "/settlement").then().statusCode(403);
        as(Tokens.admin()).post("/reservations/" + orderId + "/settlement").then().statusCode(403);
        // Settling a fresh orderId would void it: a user must not be able to do that to their own orders.
        String fresh = UUID.randomUUID().toString();
        as(Tokens.user("alice")).post("/reservations/" + fresh + "/settlement").then().statusCode(403);
        as(orderService()).get("/reservations/" + fresh).then().statusCode(404);
    }

    @Test
    void aUserNamedLikeTheClientStillHasNoServiceRole() {
        as(Tokens.user("order-service")).post("/reservations/" + UUID.randomUUID() + "/settlement").then()
                .statusCode(403);
    }

    @Test
    void anotherServicesTokenCannotSettle() {
        as(Tokens.service("reporting-service", "customer-service"))
                .post("/reservations/" + UUID.randomUUID() + "/settlement").then().statusCode(403);
    }

    @Test
    void aServiceTokenForAnotherAudienceIsRefused() {
        as(Tokens.service("order-service", "order-service"))
                .post("/reservations/" + UUID.randomUUID() + "/settlement").then().statusCode(401);
    }

    @Test
    void theServiceTokenIsGoodForNothingElse() {
        String alice = idOf("alice");
        BigDecimal before = availableCredit("alice");
        as(orderService()).get("/customers/me").then().statusCode(403);
        as(orderService()).get("/customers/" + alice).then().statusCode(403);
        as(orderService()).get("/customers").then().statusCode(403);
        as(orderService()).get("/customers/trace").then().statusCode(403);
        as(orderService()).contentType(ContentType.JSON).body(reservation(UUID.randomUUID().toString(), "1.00"))
                .post("/customers/" + alice + "/reservations").then().statusCode(403);
        assertCredit(before, availableCredit("alice"));
    }

    @Test
    void noTokenIs401() {
        given().post("/reservations/" + UUID.randomUUID() + "/settlement").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"customer-service\"");
    }
}
