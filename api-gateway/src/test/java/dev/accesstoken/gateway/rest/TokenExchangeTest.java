package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.TestKeys;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The token-exchange grant (RFC 8693): the demo client order-service (audience customer-service) trades a
 * user's token for a per-hop one. Each refusal is an attempt to get a token the client should not have.
 */
@QuarkusTest
@GatewayTestResources
class TokenExchangeTest {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";

    static ValidatableResponse exchange(String secret, String subjectToken, String audience) {
        var request = given().auth().preemptive().basic("order-service", secret).contentType(ContentType.URLENC)
                .formParam("grant_type", GRANT).formParam("subject_token_type", ACCESS_TOKEN);
        if (subjectToken != null) {
            request.formParam("subject_token", subjectToken);
        }
        if (audience != null) {
            request.formParam("audience", audience);
        }
        return request.post("/auth/token").then();
    }

    static JwtClaims verify(String token, String audience) throws Exception {
        return new JwtConsumerBuilder().setVerificationKey(TestKeys.trusted().keyPair().getPublic())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer("https://api-gateway").setExpectedAudience(audience).setRequireExpirationTime()
                .build().processToClaims(token);
    }

    @Test
    void aUsersTokenBecomesOneForCustomerServiceAloneActedByOrderService() throws Exception {
        String subject = Tokens.user("alice").sign();
        String exchanged = exchange("order-service-secret", subject, "customer-service").statusCode(200)
                .header("Cache-Control", "no-store").contentType(ContentType.JSON)
                .body("issued_token_type", equalTo(ACCESS_TOKEN)).body("token_type", equalTo("Bearer"))
                .body("expires_in", lessThanOrEqualTo(60)).extract().path("access_token");
        JwtClaims claims = verify(exchanged, "customer-service");
        assertEquals(List.of("customer-service"), claims.getAudience());
        assertEquals("alice", claims.getSubject());
        assertEquals("alice", claims.getStringClaimValue("upn"));
        assertEquals(List.of("user"), claims.getStringListClaimValue("groups"));
        assertEquals(Map.of("sub", "order-service"), claims.getClaimValue("act"));
        assertTrue(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue() <= 60);
    }

    @Test
    void anExchangedTokenNeverOutlivesTheSubjectToken() throws Exception {
        Instant subjectExpiry = Instant.now().plusSeconds(20);
        String subject = Tokens.user("bob").lifetime(Duration.ofSeconds(20)).sign();
        String exchanged = exchange("order-service-secret", subject, "customer-service").statusCode(200)
                .extract().path("access_token");
        assertTrue(verify(exchanged, "customer-service").getExpirationTime().getValue() <= subjectExpiry.getEpochSecond() + 1);
    }

    @Test
    void theClientMustAuthenticate() {
        exchange("guess", Tokens.user("alice").sign(), "customer-service").statusCode(401)
                .header("WWW-Authenticate", equalTo("Basic realm=\"api-gateway\"")).body("error", equalTo("invalid_client"));
        given().contentType(ContentType.URLENC).formParam("grant_type", GRANT)
                .formParam("subject_token", Tokens.user("alice").sign()).formParam("subject_token_type", ACCESS_TOKEN)
                .formParam("audience", "customer-service").post("/auth/token").then().statusCode(401);
    }

    @Test
    void onlyTheClientsOwnAudienceCanBeAskedFor() {
        exchange("order-service-secret", Tokens.user("alice").sign(), "order-service").statusCode(400)
                .body("error", equalTo("invalid_target"));
        exchange("order-service-secret", Tokens.user("alice").sign(), null).statusCode(400)
                .body("error", equalTo("invalid_target"));
    }

    @Test
    void onlyAValidUserTokenIssuedToTheClientCanBeExchanged() {
        Map<String, String> refused = Map.of(
                "expired", Tokens.user("alice").expired().sign(),
                "signed by another key", Tokens.user("alice").signedByStranger().sign(),
                "forged payload", Tokens.tamperedToAdmin("alice"),
                "not for order-service", Tokens.user("alice").audience("customer-service").sign(),
                "already exchanged", Tokens.user("alice").audience("order-service").actor("api-gateway").sign(),
                "a service token", Tokens.service("order-service", "order-service").sign(),
                "not a JWT", "not-a-jwt");
        refused.forEach((why, token) -> exchange("order-service-secret", token, "customer-service")
                .statusCode(400).body("error", equalTo("invalid_request")));
        exchange("order-service-secret", null, "customer-service").statusCode(400).body("error", equalTo("invalid_request"));
    }
}
