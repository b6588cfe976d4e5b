package dev.accesstoken.customer.rest;

import static dev.accesstoken.customer.rest.CustomerResourceTest.PROBLEM;
import static dev.accesstoken.customer.rest.CustomerResourceTest.as;
import static dev.accesstoken.customer.rest.CustomerResourceTest.assertCredit;
import static dev.accesstoken.customer.rest.CustomerResourceTest.availableCredit;
import static dev.accesstoken.customer.rest.CustomerResourceTest.idOf;
import static dev.accesstoken.customer.rest.CustomerResourceTest.reservation;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URL;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.accesstoken.testsupport.StoppablePostgresResource;
import dev.accesstoken.testsupport.StoppablePostgresResource.InjectServer;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The database goes away while the service runs: every endpoint answers 503 problem+json (never 500), a
 * reservation that could not be stored took no credit, readiness is DOWN, and once the database is back every
 * request works again (no broken connection left in the pool).
 */
@QuarkusTest
@TestProfile(StoppablePostgresResource.OwnServer.class) // a PostgreSQL server of its own, which it stops
class DatabaseOutageTest {

    @TestHTTPResource(value = "/health/ready", management = true) // readiness is on the management interface
    URL ready;

    /** A request that hangs fails the test instead of holding it for good. */
    static final RestAssuredConfig GIVE_UP_AFTER_60_S = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.socket.timeout", 60_000).setParam("http.connection.timeout", 5_000));

    @InjectServer
    StoppablePostgresResource.Server postgres;

    @BeforeEach
    void databaseUp() throws InterruptedException {
        postgres.startAndAwaitService(ready.toString());
    }

    @AfterEach
    void databaseBack() {
        postgres.thaw();
        postgres.start();
    }

    static ValidatableResponse unavailable(ValidatableResponse response) {
        return response.statusCode(503).contentType(PROBLEM)
                .body("status", equalTo(503))
                .body("detail", equalTo("A database this service depends on is unavailable"))
                .header("Retry-After", matchesPattern("[1-9][0-9]?"));
    }

    static ValidatableResponse reserve(String customerId, String orderId, String amount) {
        return as(Tokens.user("alice")).config(GIVE_UP_AFTER_60_S).contentType(ContentType.JSON)
                .body(reservation(orderId, amount)).post("/customers/" + customerId + "/reservations").then();
    }

    @Test
    void everyEndpointIs503WhileTheDatabaseIsGoneAndWorksAgainWhenItIsBack() throws Exception {
        String alice = idOf("alice");
        BigDecimal before = availableCredit("alice");
        fillThePool();

        postgres.stop();

        String orderId = UUID.randomUUID().toString();
        unavailable(as(Tokens.user("alice")).get("/customers/me").then());
        unavailable(as(Tokens.user("alice")).get("/customers/" + alice).then());
        unavailable(reserve(alice, orderId, "2.00"));
        unavailable(as(Tokens.service("order-service", "customer-service")).post("/reservations/" + orderId + "/settlement").then());
        given().get(ready.toString()).then().statusCode(503).body("status", equalTo("DOWN"));

        postgres.startAndAwaitService(ready.toString());

        // Each connection the pool held before was broken by the restart: none of them may fail a request now.
        for (int i = 0; i < 30; i++) {
            as(Tokens.user("alice")).get("/customers/me").then().statusCode(200).body("id", equalTo(alice));
        }
        given().get(ready.toString()).then().statusCode(200).body("status", equalTo("UP"));
        // The reservation that failed took no credit and left no trace; asked again, it is taken once.
        assertCredit(before, availableCredit("alice"));
        assertEquals("0", postgres.database().queryString("SELECT count(*) FROM reservation WHERE order_id = '" + orderId + "'"));
        reserve(alice, orderId, "2.00").statusCode(200).body("status", equalTo("APPROVED"));
        assertCredit(before.subtract(new BigDecimal("2.00")), availableCredit("alice"));
    }

    @Test
    void aDatabaseThatStopsAnsweringIs503WithinSecondsNotAHang() {
        String alice = idOf("alice");
        BigDecimal before = availableCredit("alice");
        String orderId = UUID.randomUUID().toString();

        postgres.freeze();
        try {
            long start = System.nanoTime();
            unavailable(reserve(alice, orderId, "1.00"));
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            // pgjdbc's socketTimeout (5 s) ends the wait; the margin is for a busy machine.
            assertTrue(seconds < 20, "the reservation took " + seconds + " s");
            given().config(GIVE_UP_AFTER_60_S).get(ready.toString()).then().statusCode(503).body("status", equalTo("DOWN"));
        } finally {
            postgres.thaw();
        }

        for (int i = 0; i < 10; i++) {
            as(Tokens.user("alice")).get("/customers/me").then().statusCode(200);
        }
        assertCredit(before, availableCredit("alice"));
    }

    /** Several connections in the pool, as under load, so that the restart leaves several broken ones in it. */
    private void fillThePool() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = IntStream.range(0, 40)
                    .<Callable<Integer>> mapToObj(i -> () -> as(Tokens.user("alice")).get("/customers/me").then()
                            .extract().statusCode())
                    .toList();
            for (Future<Integer> status : callers.invokeAll(calls)) {
                assertEquals(200, status.get());
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
