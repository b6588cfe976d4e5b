package dev.accesstoken.order.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.accesstoken.testsupport.StoppablePostgresResource;
import dev.accesstoken.testsupport.StoppablePostgresResource.InjectServer;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import dev.accesstoken.order.service.Reconciler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * The database goes away while the service runs: every endpoint answers 503 problem+json (never 500), no
 * credit is reserved for an order that could not be stored, readiness is DOWN, and once the database is back
 * every request works again (no broken connection left in the pool).
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
class DatabaseOutageTest {

    @TestHTTPResource(value = "/health/ready", management = true) // readiness is on the management interface
    URL ready;

    /** A PostgreSQL server of this class alone, which it stops: the other tests' server stays up. */
    public static class OwnDatabase extends StoppablePostgresResource.OwnServer {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Room for the test to stop the database while a reservation is answered, and for the reconciler
            // to take over a PENDING order soon after.
            return Map.of("quarkus.rest-client.customer-service.read-timeout", "15000",
                    "orders.in-flight-timeout", "1s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return Stream.concat(super.testResources().stream(), Stream.of(
                    new TestResourceEntry(WireMockResource.class, Map.of("client", "customer-service")),
                    new TestResourceEntry(WireMockResource.class, Map.of("client", "gateway",
                            "property", "quarkus.oidc-client.auth-server-url")))).toList();
        }
    }

    static final String PROBLEM = "application/problem+json";
    /** A request that hangs fails the test instead of holding it for good. */
    static final RestAssuredConfig GIVE_UP_AFTER_60_S = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.socket.timeout", 60_000).setParam("http.connection.timeout", 5_000));

    @InjectServer
    StoppablePostgresResource.Server postgres;

    @InjectWireMock("customer-service")
    WireMockServer customerService;

    @InjectWireMock("gateway")
    WireMockServer gateway;

    @Inject
    Reconciler reconciler;

    /** Runs while customer-service's stand-in answers a reservation, before the answer is sent. */
    static final AtomicReference<Runnable> ON_RESERVATION = new AtomicReference<>(() -> { });
    static final AtomicBoolean LISTENING = new AtomicBoolean();

    String alice;

    @BeforeEach
    void fakeCustomerService() throws InterruptedException {
        postgres.startAndAwaitService(ready.toString());
        if (LISTENING.compareAndSet(false, true)) {
            customerService.addMockServiceRequestListener((request, response) -> {
                if (request.getUrl().endsWith("/reservations")) {
                    ON_RESERVATION.get().run();
                }
            });
        }
        ON_RESERVATION.set(() -> { });
        customerService.resetAll();
        gateway.resetAll();
        gateway.stubFor(post("/auth/token").willReturn(okJson("{\"access_token\":\""
                + Tokens.service("order-service", "customer-service").sign()
                + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
        alice = Tokens.user("alice").sign();
        customerService.stubFor(get("/customers/me").withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo(Tokens.bearer(alice)))
                .willReturn(okJson(OrderResourceTest.customer(OrderResourceTest.ALICE_ID, "alice", "Alice Liddell"))));
        customerService.stubFor(get("/customers/" + OrderResourceTest.ALICE_ID)
                .willReturn(okJson(OrderResourceTest.customer(OrderResourceTest.ALICE_ID, "alice", "Alice Liddell"))));
        customerService.stubFor(post(urlMatching("/customers/.*/reservations"))
                .willReturn(okJson(OrderResourceTest.decision(true))));
    }

    @AfterEach
    void databaseBack() {
        ON_RESERVATION.set(() -> { });
        postgres.thaw();
        postgres.start();
    }

    RequestSpecification asAlice() {
        return given().header("Authorization", Tokens.bearer(alice)).contentType(ContentType.JSON);
    }

    static ValidatableResponse unavailable(ValidatableResponse response) {
        return response.statusCode(503).contentType(PROBLEM)
                .body("status", equalTo(503))
                .body("detail", equalTo("A database this service depends on is unavailable"))
                .header("Retry-After", matchesPattern("[1-9][0-9]?"));
    }

    @Test
    void everyEndpointIs503WhileTheDatabaseIsGoneAndWorksAgainWhenItIsBack() throws Exception {
        String id = asAlice().body("{\"amount\":5}").post("/orders").then().statusCode(201).extract().path("id");
        fillThePool();

        postgres.stop();

        unavailable(asAlice().get("/orders").then());
        unavailable(asAlice().get("/orders/" + id).then());
        unavailable(asAlice().body("{\"amount\":7}").post("/orders").then());
        unavailable(asAlice().header("Idempotency-Key", "outage-1").body("{\"amount\":7}").post("/orders").then());
        // No order could be stored, so no credit may be taken for one.
        customerService.verify(1, postRequestedFor(urlMatching("/customers/.*/reservations")));
        given().get(ready.toString()).then().statusCode(503).body("status", equalTo("DOWN"));

        postgres.startAndAwaitService(ready.toString());

        // Each connection the pool held before was broken by the restart: none of them may fail a request now.
        for (int i = 0; i < 30; i++) {
            asAlice().get("/orders").then().statusCode(200).body("id", hasItem(id));
        }
        asAlice().get("/orders/" + id).then().statusCode(200).body("customer.name", equalTo("Alice Liddell"));
        String second = asAlice().header("Idempotency-Key", "outage-1").body("{\"amount\":7}").post("/orders").then()
                .statusCode(201).extract().path("id");
        given().get(ready.toString()).then().statusCode(200).body("status", equalTo("UP"));
        // Nothing half-done: the two orders that were answered, both settled, and nothing else stored.
        assertEquals(List.of("APPROVED", "APPROVED"), postgres.database().queryStrings(
                "SELECT state FROM orders WHERE id IN ('" + id + "', '" + second + "') ORDER BY created_at"));
        assertEquals("0", postgres.database().queryString("SELECT count(*) FROM orders WHERE amount = 7 AND id <> '" + second + "'"));
        customerService.verify(2, postRequestedFor(urlMatching("/customers/.*/reservations")));
    }

    @Test
    void aDatabaseThatStopsAnsweringIs503WithinSecondsNotAHang() {
        String id = asAlice().body("{\"amount\":3}").post("/orders").then().statusCode(201).extract().path("id");

        postgres.freeze();
        try {
            for (String path : List.of("/orders", "/orders/" + id)) {
                long start = System.nanoTime();
                unavailable(asAlice().config(GIVE_UP_AFTER_60_S).get(path).then());
                long seconds = (System.nanoTime() - start) / 1_000_000_000;
                // pgjdbc's socketTimeout (5 s) ends the wait; the margin is for a busy machine.
                org.junit.jupiter.api.Assertions.assertTrue(seconds < 20, path + " took " + seconds + " s");
            }
            given().config(GIVE_UP_AFTER_60_S).get(ready.toString()).then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            postgres.thaw();
        }

        for (int i = 0; i < 10; i++) {
            asAlice().get("/orders").then().statusCode(200).body("id", hasItem(id));
        }
    }

    @Test
    void aDecisionThatCannotBeStoredLeavesTheOrderPendingForTheReconciler() throws Exception {
        // customer-service reserves the credit, and the database goes away before order-service stores the decision.
        ON_RESERVATION.set(postgres::stop);
        String id = asAlice().body("{\"amount\":9}").post("/orders").then()
                .statusCode(503).contentType(PROBLEM)
                .body("orderId", notNullValue())
                .extract().path("orderId");
        customerService.verify(1, postRequestedFor(urlMatching("/customers/.*/reservations")));

        ON_RESERVATION.set(() -> { });
        postgres.startAndAwaitService(ready.toString());
        assertEquals("PENDING", postgres.database().queryString("SELECT state FROM orders WHERE id = '" + id + "'"));
        asAlice().get("/orders/" + id).then().statusCode(200).body("state", equalTo("PENDING"));

        // The reconciler adopts customer-service's decision once the request's in-flight time is over.
        customerService.stubFor(post("/reservations/" + id + "/settlement").willReturn(okJson(
                "{\"orderId\":\"" + id + "\",\"approved\":true,\"status\":\"APPROVED\",\"availableCredit\":1}")));
        Thread.sleep(1_500);
        reconciler.settlePending();
        asAlice().get("/orders/" + id).then().statusCode(200).body("state", equalTo("APPROVED"));
    }

    /** Several connections in the pool, as under load, so that the restart leaves several broken ones in it. */
    private void fillThePool() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = IntStream.range(0, 40)
                    .<Callable<Integer>> mapToObj(i -> () -> asAlice().get("/orders").then().extract().statusCode())
                    .toList();
            for (Future<Integer> status : callers.invokeAll(calls)) {
                assertEquals(200, status.get());
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
