package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The client-credentials grant, black-box, so that {@link TokenEndpointIT} repeats it on the artifact. */
@QuarkusTest
@GatewayTestResources
class TokenEndpointTest {

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static RequestSpecification asClient(String id, String secret) {
        return given().header("Authorization", basic(id, secret)).contentType(ContentType.URLENC);
    }

    static String serviceToken() {
        return asClient("order-service", "order-service-secret").formParam("grant_type", "client_credentials")
                .post("/auth/token").then().statusCode(200).extract().path("access_token");
    }

    @Test
    void orderServiceGetsAShortTokenForCustomerServiceOnly() throws Exception {
        String token = asClient("order-service", "order-service-secret").formParam("grant_type", "client_credentials")
                .post("/auth/token").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(300))
                .body("access_token", notNullValue())
                .extract().path("access_token");

        JwtClaims jwt = new JwtConsumerBuilder()
                .setVerificationKey(TestKeys.trusted().keyPair().getPublic())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer("https://api-gateway")
                .setExpectedAudience(true, "customer-service")
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .build()
                .processToClaims(token);
        assertEquals("order-service", jwt.getSubject());
        assertEquals(List.of("service"), jwt.getStringListClaimValue("groups"));
        assertEquals(List.of("customer-service"), jwt.getAudience());
        assertTrue(jwt.getExpirationTime().getValue() - jwt.getIssuedAt().getValue() <= 300);
        assertNull(jwt.getClaimValue("upn"), "a service token names no user");
    }

    @Test
    void aWrongSecretOrAnUnknownClientIsInvalidClientAndTheSameAnswer() {
        String wrongSecret = asClient("order-service", "guess").formParam("grant_type", "client_credentials")
                .post("/auth/token").then()
                .statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"api-gateway\"")
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client"))
                .extract().asString();
        String unknownClient = asClient("mallory", "order-service-secret").formParam("grant_type", "client_credentials")
                .post("/auth/token").then().statusCode(401).extract().asString();
        assertEquals(wrongSecret, unknownClient);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Bearer abc", "Basic", "Basic !!!", "Basic b3JkZXItc2VydmljZQ==" })
    void aMissingOrMalformedClientAuthenticationIsInvalidClient(String authorization) {
        given().header("Authorization", authorization).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .post("/auth/token").then()
                .statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void anotherGrantTypeIsUnsupported() {
        asClient("order-service", "order-service-secret").formParam("grant_type", "password")
                .formParam("username", "alice").formParam("password", "alice")
                .post("/auth/token").then()
                .statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void aMissingGrantTypeIsAnInvalidRequest() {
        asClient("order-service", "order-service-secret").formParam("scope", "x")
                .post("/auth/token").then()
                .statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aUsersPasswordIsNoClientSecret() {
        asClient("alice", "alice").formParam("grant_type", "client_credentials")
                .post("/auth/token").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    /** Its audience is customer-service, not the gateway's first hop: not even authenticated there. */
    @Test
    void aServiceTokenCannotPlaceOrReadOrdersThroughTheGateway() {
        String token = serviceToken();
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body("{\"amount\":1}")
                .post("/api/orders").then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/api/orders").then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/api/customers/me").then().statusCode(401);
    }

    @Test
    void loginAnswersAreNotCachedEither() {
        given().contentType(ContentType.JSON).body("{\"username\":\"alice\",\"password\":\"alice\"}")
                .post("/auth/login").then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache");
    }
}
