package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Black-box only (no injection), so that {@link AuthResourceIT} runs the same checks against the built
 * artifact. The gateway's own JWT parser is checked in {@link IssuedTokenParserTest}.
 */
@QuarkusTest
@GatewayTestResources
class AuthResourceTest {

    static final String PROBLEM = "application/problem+json";

    /** Verifies signature (with the trusted public key, RS256 only), issuer, audience and expiry. */
    static JwtClaims verify(String token) throws Exception {
        return new JwtConsumerBuilder()
                .setVerificationKey(TestKeys.trusted().keyPair().getPublic())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.RSA_USING_SHA256)
                .setExpectedIssuer("https://api-gateway")
                .setExpectedAudience(true, "order-service", "customer-service")
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .build()
                .processToClaims(token);
    }

    static String login(String username, String password) {
        return given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .post("/auth/login").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(300))
                .body("access_token", notNullValue())
                .extract().path("access_token");
    }

    @ParameterizedTest
    @CsvSource({ "alice,user", "bob,user", "admin,admin" })
    void eachDemoUserGetsASignedTokenWithTheRightClaims(String username, String role) throws Exception {
        String token = login(username, username);

        // Verified from outside: signature with the trusted public key, issuer, audience, expiry.
        JwtClaims jwt = verify(token);
        assertEquals("https://api-gateway", jwt.getIssuer());
        assertEquals(username, jwt.getSubject());
        assertEquals(username, jwt.getClaimValueAsString("upn"));
        assertEquals(Set.of(role), Set.copyOf(jwt.getStringListClaimValue("groups")));
        assertEquals(Set.of("order-service", "customer-service"), Set.copyOf(jwt.getAudience()));
        assertEquals(300, jwt.getExpirationTime().getValue() - jwt.getIssuedAt().getValue());
        assertNotEquals(null, jwt.getJwtId());

        JsonWebSignature jws = (JsonWebSignature) JsonWebSignature.fromCompactSerialization(token);
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        assertEquals(TestKeys.trusted().kid(), jws.getKeyIdHeaderValue(), "kid is the RFC 7638 thumbprint");
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        assertNotEquals(verify(login("alice", "alice")).getJwtId(), verify(login("alice", "alice")).getJwtId());
    }

    @Test
    void a415SaysWhichContentTypeToSend() {
        given().contentType("text/plain").body("alice").post("/auth/login").then().statusCode(415).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo("send Content-Type: application/json"));
        given().contentType(ContentType.JSON).body("{}").post("/auth/logout").then().statusCode(415).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo("send Content-Type: application/x-www-form-urlencoded"));
    }

    @Test
    void anUnknownApiPathIsAPlain404() {
        given().get("/api/no-such-thing").then().statusCode(404).contentType(PROBLEM)
                .body("detail", org.hamcrest.Matchers.equalTo("There is nothing at this path: the API is described at /q/openapi"));
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        String wrongPassword = given().contentType(ContentType.JSON)
                .body("{\"username\":\"alice\",\"password\":\"bob\"}").post("/auth/login").then()
                .statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", org.hamcrest.Matchers.nullValue())
                .body("detail", org.hamcrest.Matchers.equalTo("Invalid username or password")).extract().asString();
        String unknownUser = given().contentType(ContentType.JSON)
                .body("{\"username\":\"mallory\",\"password\":\"alice\"}").post("/auth/login").then()
                .statusCode(401).contentType(PROBLEM).extract().asString();
        assertEquals(wrongPassword, unknownUser);
    }

    static Stream<Arguments> badLogins() {
        return Stream.of(
                Arguments.of("{\"username\":\"alice\"}"),
                Arguments.of("{\"password\":\"alice\"}"),
                Arguments.of("{\"username\":\"\",\"password\":\"alice\"}"),
                Arguments.of("{\"username\":\"alice\",\"password\":"),
                Arguments.of("{\"username\":[1],\"password\":\"alice\"}"),
                Arguments.of(""));
    }

    @ParameterizedTest
    @MethodSource("badLogins")
    void malformedOrIncompleteLoginIs400(String body) {
        given().contentType(ContentType.JSON).body(body).post("/auth/login").then()
                .statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
    }

    /** Control characters are refused by validation, before any SQL: a NUL byte once reached PostgreSQL (SQLState 22021). */
    @ParameterizedTest
    @ValueSource(strings = { "al\u0000ice", "alice\n", "\u001b[31malice", "ali\u007fce" })
    void aControlCharacterInTheUsernameIs400(String username) {
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", "alice"))
                .post("/auth/login").then()
                .statusCode(400).contentType(PROBLEM).body("violations[0].field", equalTo("username"));
    }

    /**
     * bcrypt reads 72 bytes: a longer password would match whatever follows byte 72. The rule is at most 72 bytes
     * of UTF-8, refused with a 400 that says so, never checked.
     */
    @Test
    void aPasswordOverSeventyTwoBytesIsRefusedWithTheRule() {
        String seventyThree = "alice" + "x".repeat(68);
        assertEquals(73, seventyThree.getBytes(StandardCharsets.UTF_8).length);
        given().contentType(ContentType.JSON).body(Map.of("username", "alice", "password", seventyThree))
                .post("/auth/login").then()
                .statusCode(400).contentType(PROBLEM)
                .body("violations[0].field", equalTo("password"))
                .body("violations[0].message", containsString("72 bytes"));
        // Counted in bytes, not characters: 37 two-byte characters are 74 bytes.
        given().contentType(ContentType.JSON).body(Map.of("username", "alice", "password", "\u00e9".repeat(37)))
                .post("/auth/login").then().statusCode(400).contentType(PROBLEM);
        // 72 bytes exactly is checked as usual.
        given().contentType(ContentType.JSON).body(Map.of("username", "alice", "password", "y".repeat(72)))
                .post("/auth/login").then().statusCode(401).contentType(PROBLEM);
    }
}
