package dev.accesstoken.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.accesstoken.testsupport.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The whole Access Token pattern across three real processes: the gateway issues the token, each
 * service fetches the gateway's JWKS and verifies it, and the token travels gateway → order-service →
 * customer-service. The tests share the services' state, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessTokenFlowIT {

    static final Path SERVICES = Path.of(System.getProperty("services.dir", ".."));
    static final Path LOGS = Path.of(System.getProperty("e2e.log.dir", "target/e2e-logs"));
    static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-for-the-log-check";

    static ServiceProcess customers;
    static ServiceProcess orders;
    static ServiceProcess gateway;

    static ThreeServices services;

    @BeforeAll
    static void startTheThreeServices() {
        services = ThreeServices.start(LOGS, Map.of(), Map.of());
        customers = services.customers;
        orders = services.orders;
        gateway = services.gateway;
        warmUp(gateway.url(), login("alice", "alice"));
    }

    /**
     * The first request through a cold chain of three JVMs (JIT, first JWKS fetch) can exceed the short
     * downstream timeouts on a loaded two-core machine; the tests are about behaviour, not cold starts.
     */
    static void warmUp(String gatewayUrl, String token) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (given().baseUri(gatewayUrl).header("Authorization", "Bearer " + token).get("/api/trace")
                .statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The chain gateway -> order-service -> customer-service never answered");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @AfterAll
    static void stopThemAndCheckTheirLogs() {
        if (services != null) {
            services.close();
        }
        LogSecrets.SECRETS.add(WRONG_PASSWORD);
        LogSecrets.assertNone(LOGS);
    }

    /** The packaged service: its jar, or its native executable under {@code -Dnative}. */
    static Path artifact(String service) {
        return ServiceProcess.artifact(SERVICES.resolve(service));
    }

    static String login(String username, String password) {
        return given().baseUri(gateway.url()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", password))
                .post("/auth/login").then().statusCode(200).extract().path("access_token");
    }

    static RequestSpecification as(String token) {
        return given().baseUri(gateway.url()).header("Authorization", "Bearer " + token);
    }

    static JsonPath placeOrder(String token, String amount, String description) {
        return as(token).contentType(ContentType.JSON)
                .body("{\"amount\":" + amount + ",\"description\":\"" + description + "\"}")
                .post("/api/orders").then().statusCode(201).extract().jsonPath();
    }

    static BigDecimal availableCredit(String token) {
        return new BigDecimal(as(token).get("/api/customers/me").then().statusCode(200)
                .extract().jsonPath().getString("availableCredit"));
    }

    static String jti(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return JsonPath.from(payload).getString("jti");
    }

    @ParameterizedTest
    @ValueSource(strings = { "alice", "bob", "admin" })
    @Order(1)
    void eachDemoUserLogsIn(String username) {
        as(login(username, username)).get("/api/trace").then().statusCode(200)
                .body("api-gateway.username", equalTo(username));
    }

    @Test
    @Order(2)
    void aBadPasswordIsRefused() {
        given().baseUri(gateway.url()).contentType(ContentType.JSON)
                .body(Map.of("username", "alice", "password", WRONG_PASSWORD))
                .post("/auth/login").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    @Order(3)
    void anOrderWithinCreditIsApprovedAndOneBeyondItRejected() {
        String alice = login("alice", "alice");
        BigDecimal before = availableCredit(alice);
        assertEquals(0, new BigDecimal("1000.00").compareTo(before));

        JsonPath approved = placeOrder(alice, "250.00", "within credit");
        assertEquals("APPROVED", approved.getString("state"));
        assertEquals(0, new BigDecimal("750.00").compareTo(availableCredit(alice)));

        JsonPath rejected = placeOrder(alice, "800.00", "beyond credit");
        assertEquals("REJECTED", rejected.getString("state"));
        assertEquals("INSUFFICIENT_CREDIT", rejected.getString("rejectionReason"));
        assertEquals(0, new BigDecimal("750.00").compareTo(availableCredit(alice)));
    }

    @Test
    @Order(4)
    void readingAnOrderEmbedsItsCustomerReadAcrossThreeHops() {
        String alice = login("alice", "alice");
        String id = placeOrder(alice, "10.00", "three hops").getString("id");
        String customerId = as(alice).get("/api/customers/me").then().extract().path("id");
        as(alice).get("/api/orders/" + id).then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("customer.id", equalTo(customerId))
                .body("customer.name", equalTo("Alice Liddell"));
    }

    @Test
    @Order(5)
    void theTraceShowsTheSameSubjectAndTokenAtEveryHop() {
        String alice = login("alice", "alice");
        JsonPath trace = as(alice).get("/api/trace").then().statusCode(200).extract().jsonPath();
        for (String hop : List.of("api-gateway", "order-service", "customer-service")) {
            assertEquals("alice", trace.getString("'" + hop + "'.subject"), hop);
            assertEquals(jti(alice), trace.getString("'" + hop + "'.tokenId"), hop);
        }
    }

    @Test
    @Order(6)
    void bobCannotSeeAlicesOrder() {
        String id = placeOrder(login("alice", "alice"), "1.00", "private").getString("id");
        as(login("bob", "bob")).get("/api/orders/" + id).then().statusCode(404);
        as(login("bob", "bob")).get("/api/orders").then().statusCode(200).body("id", not(hasItems(id)));
    }

    @Test
    @Order(7)
    void adminListsEveryOrderButPlacesNone() {
        String alices = placeOrder(login("alice", "alice"), "2.00", "alice's").getString("id");
        String bobs = placeOrder(login("bob", "bob"), "3.00", "bob's").getString("id");
        String admin = login("admin", "admin");
        as(admin).get("/api/orders").then().statusCode(200).body("id", hasItems(alices, bobs));
        as(admin).contentType(ContentType.JSON).body("{\"amount\":1}").post("/api/orders").then().statusCode(403);
    }

    @Test
    @Order(8)
    void concurrentOrdersNeverOverdrawTheCredit() throws Exception {
        String bob = login("bob", "bob");
        BigDecimal before = availableCredit(bob);
        int fits = before.divide(new BigDecimal("50.00")).intValue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<String>> tasks = new ArrayList<>();
            for (int i = 0; i < fits + 6; i++) {
                tasks.add(() -> placeOrder(bob, "50.00", "rush").getString("state"));
            }
            long approved = 0;
            for (Future<String> state : pool.invokeAll(tasks)) {
                approved += "APPROVED".equals(state.get()) ? 1 : 0;
            }
            assertEquals(fits, approved);
            assertEquals(0, before.subtract(new BigDecimal("50.00").multiply(BigDecimal.valueOf(fits)))
                    .compareTo(availableCredit(bob)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(9)
    void theInternalServicesRefuseACallWithoutAToken() {
        given().baseUri(orders.url()).get("/orders").then().statusCode(401);
        given().baseUri(customers.url()).get("/customers/me").then().statusCode(401);
    }

    /** The packaged (prod) gateway serves its document and Swagger UI without a token; the internal services only a document. */
    @Test
    @Order(9)
    void thePackagedGatewayServesItsOpenApiDocumentAndSwaggerUi() {
        given().baseUri(gateway.url()).get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("paths.'/api/orders'.post.security[0].bearer", empty())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
        given().baseUri(gateway.url()).get("/q/swagger-ui/").then()
                .statusCode(200)
                .contentType(ContentType.HTML)
                .body(containsString("/q/openapi"));
        given().baseUri(orders.url()).get("/q/openapi?format=json").then().statusCode(200)
                .body("info.title", equalTo("order-service"));
        given().baseUri(customers.url()).get("/q/swagger-ui/").then().statusCode(404);
    }

    @Test
    @Order(10)
    void withCustomerServiceHungPlacingAnOrderAnswers504PromptlyAndStoresNothing() {
        String alice = login("alice", "alice");
        BigDecimal credit = availableCredit(alice);
        int ordersBefore = as(alice).get("/api/orders").then().extract().jsonPath().getList("id").size();
        customers.suspend();
        try {
            long started = System.nanoTime();
            as(alice).contentType(ContentType.JSON).body("{\"amount\":5.00,\"description\":\"hung\"}")
                    .post("/api/orders").then()
                    .statusCode(504)
                    .contentType("application/problem+json");
            assertThat((System.nanoTime() - started) / 1_000_000, lessThan(5000L));
        } finally {
            customers.resume();
        }
        as(alice).get("/api/orders").then().statusCode(200)
                .body("size()", equalTo(ordersBefore))
                .body("description", not(hasItems("hung")));
        assertEquals(0, credit.compareTo(availableCredit(alice)));
    }

    @Test
    @Order(11)
    void withCustomerServiceStoppedPlacingAnOrderAnswers503Promptly() {
        String alice = login("alice", "alice");
        int ordersBefore = as(alice).get("/api/orders").then().extract().jsonPath().getList("id").size();
        customers.close();

        long started = System.nanoTime();
        as(alice).contentType(ContentType.JSON).body("{\"amount\":5.00,\"description\":\"no credit check\"}")
                .post("/api/orders").then()
                .statusCode(503)
                .contentType("application/problem+json")
                .body("detail", not(containsString("Exception")));
        assertThat((System.nanoTime() - started) / 1_000_000, lessThan(5000L));

        as(alice).get("/api/orders").then().statusCode(200)
                .body("size()", equalTo(ordersBefore))
                .body("description", not(hasItems("no credit check")));
    }

    @Test
    @Order(8) // before customer-service is hung (10) and stopped (11)
    void ordersArePagedWithACursorThatTheGatewayPassesOn() {
        String bob = login("bob", "bob");
        List<String> placed = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            placed.add(placeOrder(bob, "1.00", "page " + i).getString("id"));
        }
        List<String> seen = new java.util.ArrayList<>();
        String next = gateway.url() + "/api/orders?limit=2";
        int pages = 0;
        while (next != null) {
            var page = given().header("Authorization", "Bearer " + bob).get(next).then().statusCode(200).extract();
            List<String> ids = page.jsonPath().getList("id");
            org.junit.jupiter.api.Assertions.assertTrue(ids.size() <= 2, ids.toString());
            seen.addAll(ids);
            String link = page.header("Link");
            java.util.regex.Matcher target = java.util.regex.Pattern.compile("<([^>]+)>;\\s*rel=\"next\"")
                    .matcher(link == null ? "" : link);
            next = target.find() ? target.group(1) : null;
            if (next != null) {
                org.junit.jupiter.api.Assertions.assertTrue(next.startsWith(gateway.url() + "/api/orders?"), next);
            }
            pages++;
        }
        org.junit.jupiter.api.Assertions.assertTrue(pages >= 2, "pages: " + pages);
        org.junit.jupiter.api.Assertions.assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no order twice");
        org.junit.jupiter.api.Assertions.assertEquals(placed, seen.subList(seen.size() - 3, seen.size()), "oldest first");
        as(bob).get("/api/orders?limit=0").then().statusCode(400).contentType("application/problem+json");
        as(bob).get("/api/orders?limit=101").then().statusCode(400).contentType("application/problem+json");
        as(bob).get("/api/orders?after=not-a-cursor").then().statusCode(400).contentType("application/problem+json");
    }
}
