package dev.accesstoken.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.accesstoken.testsupport.Postgres;
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

    static ServiceProcess customers;
    static ServiceProcess orders;
    static ServiceProcess gateway;

    @BeforeAll
    static void startInExchangeMode() {
        int gatewayPort = ServiceProcess.freePort();
        String jwks = "http://localhost:" + gatewayPort + "/.well-known/jwks.json";
        Map<String, String> customerConfig = new HashMap<>(Postgres.newDatabase("customers").quarkusConfig());
        customerConfig.putAll(EXCHANGE);
        customerConfig.put("mp.jwt.verify.publickey.location", jwks);
        customers = ServiceProcess.start("customer-service", AccessTokenFlowIT.jar("customer-service"),
                ServiceProcess.freePort(), customerConfig, LOGS);
        Map<String, String> orderConfig = new HashMap<>(Postgres.newDatabase("orders").quarkusConfig());
        orderConfig.putAll(EXCHANGE);
        orderConfig.put("mp.jwt.verify.publickey.location", jwks);
        orderConfig.put("quarkus.rest-client.customer-service.url", customers.url());
        orderConfig.put("quarkus.oidc-client.auth-server-url", "http://localhost:" + gatewayPort);
        orders = ServiceProcess.start("order-service", AccessTokenFlowIT.jar("order-service"), ServiceProcess.freePort(),
                orderConfig, LOGS);
        Map<String, String> gatewayConfig = new HashMap<>(Postgres.newDatabase("gateway").quarkusConfig());
        gatewayConfig.putAll(EXCHANGE);
        gatewayConfig.put("quarkus.rest-client.order-service.url", orders.url());
        gatewayConfig.put("quarkus.rest-client.customer-service.url", customers.url());
        gateway = ServiceProcess.start("api-gateway", AccessTokenFlowIT.jar("api-gateway"), gatewayPort, gatewayConfig, LOGS);
        AccessTokenFlowIT.warmUp(gateway.url(), login());
    }

    @AfterAll
    static void stopThemAndCheckTheirLogs() {
        for (ServiceProcess service : new ServiceProcess[] { gateway, orders, customers }) {
            if (service != null) {
                service.close();
            }
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
