package dev.accesstoken.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.accesstoken.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The main flow with access-token.propagation=exchange (RFC 8693) in all three services: the user's token is
 * for order-service only, and customer-service sees tokens minted for it alone, naming who acts for the user.
 */
class ExchangeModeIT {

    static final Path LOGS = Path.of(System.getProperty("e2e.log.dir", "target/e2e-logs")).resolve("exchange");
    static final Map<String, String> EXCHANGE = Map.of("access-token.propagation", "exchange");

    static ThreeServices services;
    static ServiceProcess customers;
    static ServiceProcess gateway;

    @BeforeAll
    static void startInExchangeMode() {
        services = ThreeServices.start(LOGS, EXCHANGE, Map.of());
        customers = services.customers;
        gateway = services.gateway;
        AccessTokenFlowIT.warmUp(gateway.url(), login());
        warmTheOrderPath(login());
    }

    /**
     * The first order through cold JVMs pays for the first exchange (a bcrypt at the gateway), JIT and the first
     * transaction, which on a loaded two-core machine can exceed customer-service's 1 s read timeout: the
     * answer is then a correct 504 with the order PENDING. The tests are about behaviour, so one small order
     * goes through first.
     */
    static void warmTheOrderPath(String token) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (given().baseUri(gateway.url()).header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"amount\":0.01,\"description\":\"warm-up\"}").post("/api/orders").statusCode() != 201) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No order went through the exchange-mode chain within 60 s");
            }
        }
    }

    @AfterAll
    static void stopThemAndCheckTheirLogs() {
        if (services != null) {
            services.close();
        }
        LogSecrets.assertNone(LOGS);
    }

    static String login() {
        return given().baseUri(gateway.url()).contentType(ContentType.JSON)
                .body(Map.of("username", "alice", "password", "alice")).post("/auth/login").then().statusCode(200)
                .extract().path("access_token");
    }

    static JsonPath claims(String token) {
        return JsonPath.from(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    }

    @Test
    void eachHopSeesATokenForItselfAndCustomerServiceSeesWhoActs() {
        String token = login();
        Object aud = claims(token).get("aud"); // one audience: a JSON string (RFC 7519, 4.1.3)
        assertEquals("order-service", aud instanceof List<?> list && list.size() == 1 ? list.get(0) : aud);
        JsonPath trace = given().baseUri(gateway.url()).header("Authorization", "Bearer " + token).get("/api/trace")
                .then().statusCode(200)
                .body("'api-gateway'.audience", equalTo(List.of("order-service")))
                .body("'api-gateway'.actor", nullValue())
                .body("'order-service'.audience", equalTo(List.of("order-service")))
                .body("'order-service'.actor", nullValue())
                .body("'customer-service'.audience", equalTo(List.of("customer-service")))
                .body("'customer-service'.actor", equalTo("order-service"))
                .body("'customer-service'.username", equalTo("alice"))
                .extract().jsonPath();
        assertEquals(trace.getString("'api-gateway'.tokenId"), trace.getString("'order-service'.tokenId"));
        assertNotEquals(trace.getString("'order-service'.tokenId"), trace.getString("'customer-service'.tokenId"));
    }

    @Test
    void theMainFlowWorks() {
        String token = login();
        String id = given().baseUri(gateway.url()).header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON).body("{\"amount\":3.00,\"description\":\"exchanged\"}")
                .post("/api/orders").then().statusCode(201).body("state", equalTo("APPROVED")).extract().path("id");
        given().baseUri(gateway.url()).header("Authorization", "Bearer " + token).get("/api/orders/" + id).then()
                .statusCode(200).body("customer.name", equalTo("Alice Liddell"));
        // The gateway's own hop to customer-service: a token it minted, acted by api-gateway.
        given().baseUri(gateway.url()).header("Authorization", "Bearer " + token).get("/api/customers/me").then()
                .statusCode(200).body("username", equalTo("alice"));
    }

    @Test
    void aUsersTokenLiftedFromOrderServiceIsUselessAtCustomerService() {
        String token = login();
        given().baseUri(customers.url()).header("Authorization", "Bearer " + token).get("/customers/me").then()
                .statusCode(401);
    }
}
