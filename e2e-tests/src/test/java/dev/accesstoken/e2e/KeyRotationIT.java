package dev.accesstoken.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.accesstoken.testsupport.ServiceProcess;
import dev.accesstoken.testsupport.TestKeys;
import dev.accesstoken.testsupport.Tokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Key rotation with no broken token: the gateway restarts with a new signing key and publishes the old one
 * as a previous key (what k8s/generate-secrets.sh --rotate and a rollout do). Tokens signed with the old key
 * keep working through all three hops; tokens with the new kid are taken up by the services without a restart.
 */
class KeyRotationIT {

    static final Path LOGS = Path.of(System.getProperty("e2e.log.dir", "target/e2e-logs")).resolve("rotation");

    static ThreeServices services;
    static int gatewayPort;

    @BeforeAll
    static void startWithTheOldKey() throws IOException {
        services = ThreeServices.start(LOGS, Map.of(), Map.of("smallrye.jwt.sign.key.location",
                TestKeys.trusted().writeTo(LOGS.resolve("old-key")).resolve("private-key.pem").toUri().toString()));
        gatewayPort = services.gatewayPort;
        AccessTokenFlowIT.warmUp(services.gateway.url(), login());
    }

    @AfterAll
    static void stopThemAndCheckTheirLogs() {
        if (services != null) {
            services.close();
        }
        LogSecrets.assertNone(LOGS);
    }

    static String login() {
        return given().baseUri("http://localhost:" + gatewayPort).contentType(ContentType.JSON)
                .body(Map.of("username", "alice", "password", "alice")).post("/auth/login").then().statusCode(200)
                .extract().path("access_token");
    }

    static String kid(String token) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]))).getString("kid");
    }

    static void throughAllThreeHops(String token) {
        given().baseUri("http://localhost:" + gatewayPort).header("Authorization", "Bearer " + token)
                .get("/api/trace").then().statusCode(200)
                .body("'customer-service'.username", equalTo("alice"))
                .body("'order-service'.username", equalTo("alice"));
    }

    @Test
    void oldTokensLiveOnAndTheNewKidIsTakenUpWithoutARestartOfTheServices() throws IOException {
        String old = login();
        assertEquals(TestKeys.trusted().kid(), kid(old));
        throughAllThreeHops(old);

        // Rotate: a new signing key, the old public key kept as a previous key.
        TestKeys next = TestKeys.fresh();
        Path newKey = Files.createDirectories(LOGS.resolve("new-key"));
        Files.writeString(newKey.resolve("private-key.pem"), next.privateKeyPem());
        Files.writeString(newKey.resolve("previous-public-keys.pem"),
                "# retired " + System.currentTimeMillis() / 1000 + "\n" + TestKeys.trusted().publicKeyPem());
        services.restartGateway("api-gateway-new-key", Map.of(
                "smallrye.jwt.sign.key.location", newKey.resolve("private-key.pem").toUri().toString(),
                "gateway.signing.previous-keys-location", newKey.resolve("previous-public-keys.pem").toUri().toString()));
        ServiceProcess gateway = services.gateway;

        assertEquals(List.of(next.kid(), TestKeys.trusted().kid()),
                given().baseUri(gateway.url()).get("/.well-known/jwks.json").then().statusCode(200)
                        .extract().jsonPath().getList("keys.kid"));
        throughAllThreeHops(old);
        String fresh = login();
        assertEquals(next.kid(), kid(fresh));
        assertNotEquals(kid(old), kid(fresh));
        // order-service and customer-service have only seen the old kid: they must fetch the JWKS again by themselves.
        throughAllThreeHops(fresh);
        // A key the gateway does not publish is still refused, at the gateway and behind it.
        String forged = Tokens.user("alice").signedByStranger().sign();
        given().baseUri(gateway.url()).header("Authorization", "Bearer " + forged).get("/api/trace").then().statusCode(401);
        given().baseUri(services.orders.url()).header("Authorization", "Bearer " + forged).get("/orders/trace").then().statusCode(401);
    }
}
