package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.ServiceProcess;
import dev.accesstoken.testsupport.TestKeys;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The gateway in the prod profile, without the demo profile: no demo user logs in, the console hides the demo hint,
 * and a previous signing key past its retirement is gone from the JWKS, so that a token it signed (a leaked key's
 * forgery) gets 401, while a key retired a moment ago still verifies. The gateway verifies with its own JWKS here,
 * as it does in production.
 */
@QuarkusTest
@TestProfile(ProdProfileTest.ProdWithoutDemo.class)
@GatewayTestResources
class ProdProfileTest {

    static final TestKeys RETIRED_LONG_AGO = TestKeys.fresh();
    static final TestKeys RETIRED_JUST_NOW = TestKeys.fresh();

    public static class ProdWithoutDemo implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "prod";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            int port = ServiceProcess.freePort();
            long now = System.currentTimeMillis() / 1000;
            try {
                Path previous = Files.createTempFile("previous-public-keys", ".pem");
                previous.toFile().deleteOnExit();
                // Retired an hour ago: past the longest token lifetime (300 s) plus the clock skew (60 s).
                Files.writeString(previous, "# retired " + (now - 3600) + "\n" + RETIRED_LONG_AGO.publicKeyPem()
                        + "# retired " + now + "\n" + RETIRED_JUST_NOW.publicKeyPem());
                return Map.of(
                        "quarkus.http.test-port", Integer.toString(port),
                        "mp.jwt.verify.publickey.location", "http://localhost:" + port + "/.well-known/jwks.json",
                        "gateway.signing.previous-keys-location", previous.toUri().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @InjectWireMock("order-service")
    WireMockServer orderService;

    @Test
    void noDemoUserLogsIn() {
        for (String user : new String[] { "alice", "bob", "admin" }) {
            given().contentType(ContentType.JSON).body(Map.of("username", user, "password", user)).post("/auth/login").then().statusCode(401);
        }
    }

    @Test
    void theDemoClientSecretGetsNoToken() {
        given().auth().preemptive().basic("order-service", "order-service-secret")
                .formParam("grant_type", "client_credentials").post("/auth/token").then().statusCode(401);
    }

    @Test
    void theConsoleIsToldThatThisIsNoDemo() {
        given().get("/console/settings.json").then().statusCode(200).body("demo", equalTo(false));
    }

    @Test
    void aKeyPastItsRetirementIsNotPublishedAndItsTokensAreRefused() {
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.kid", hasItem(TestKeys.trusted().kid()))
                .body("keys.kid", hasItem(RETIRED_JUST_NOW.kid()))
                .body("keys.kid", not(hasItem(RETIRED_LONG_AGO.kid())));
        orderService.stubFor(WireMock.get(WireMock.urlPathEqualTo("/orders")).willReturn(WireMock.okJson("[]")));

        // A fresh token, as someone holding the retired key would forge it: refused.
        String forged = Tokens.user("alice").signedBy(RETIRED_LONG_AGO).sign();
        given().header("Authorization", Tokens.bearer(forged)).get("/api/orders").then().statusCode(401);
        // The key retired a moment ago, and the signing key, still verify.
        given().header("Authorization", Tokens.bearer(Tokens.user("alice").signedBy(RETIRED_JUST_NOW).sign()))
                .get("/api/orders").then().statusCode(200);
        given().header("Authorization", Tokens.bearer(Tokens.user("alice").sign())).get("/api/orders").then().statusCode(200);
    }
}
