package dev.accesstoken.customer.rest;

import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.accesstoken.customer.CustomerServiceTestResources;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** access-token.propagation=exchange: credit is reserved only with a token order-service obtained by exchange. */
@QuarkusTest
@TestProfile(ExchangeModeTest.Exchange.class)
@CustomerServiceTestResources
class ExchangeModeTest {

    public static class Exchange implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("access-token.propagation", "exchange");
        }
    }

    static io.restassured.response.ValidatableResponse reserve(Tokens token) {
        String alice = CustomerResourceTest.idOf("alice");
        return CustomerResourceTest.as(token).contentType(ContentType.JSON)
                .body(CustomerResourceTest.reservation(UUID.randomUUID().toString(), "1.00"))
                .post("/customers/" + alice + "/reservations").then();
    }

    @Test
    void aUserCallingDirectlyWithTheirOwnTokenCannotReserve() {
        reserve(Tokens.user("alice")).statusCode(403).contentType("application/problem+json");
    }

    @Test
    void anotherServiceActingForTheUserCannotReserveEither() {
        reserve(Tokens.user("alice").audience("customer-service").actor("reports")).statusCode(403);
    }

    @Test
    void orderServiceActingForTheUserReserves() {
        reserve(Tokens.user("alice").audience("customer-service").actor("order-service")).statusCode(200)
                .body("approved", equalTo(true));
    }

    @Test
    void readingOnesOwnRecordNeedsNoActor() {
        CustomerResourceTest.as(Tokens.user("alice")).get("/customers/me").then().statusCode(200);
    }
}
