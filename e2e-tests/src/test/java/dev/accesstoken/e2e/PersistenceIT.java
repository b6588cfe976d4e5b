package dev.accesstoken.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.accesstoken.testsupport.Postgres;
import dev.accesstoken.testsupport.ServiceProcess;
import dev.accesstoken.testsupport.TestKeys;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Database per Service with replicas, as on Kubernetes: one PostgreSQL, two instances of order-service, two
 * of customer-service and two of the gateway (one signing key) sharing their service's database. The gateway reaches order-service 1, which
 * reaches customer-service 1; order-service 2 (reaching customer-service 2) is called directly with the same
 * user token, as a second replica behind a Service would be. The tests share state, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PersistenceIT {

    static final Path LOGS = Path.of(System.getProperty("e2e.log.dir", "target/e2e-logs")).resolve("persistence");

    static Postgres.Database orderDb;
    static Postgres.Database customerDb;
    static Postgres.Database gatewayDb;
    static Path signingKey;
    static int gatewayPort;
    static final Map<String, ServiceProcess> running = new ConcurrentHashMap<>();
    static final Map<String, Integer> ports = new ConcurrentHashMap<>();
    static final java.util.concurrent.atomic.AtomicInteger STARTS = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void startTheReplicas() {
        orderDb = Postgres.newDatabase("orders");
        customerDb = Postgres.newDatabase("customers");
        gatewayDb = Postgres.newDatabase("gateway");
        signingKey = TestKeys.trusted().writeTo(LOGS.resolve("gateway-key")).resolve("private-key.pem");
        gatewayPort = ServiceProcess.freePort();
        for (String name : List.of("customer-service-1", "customer-service-2", "order-service-1", "order-service-2",
                "api-gateway", "api-gateway-2")) {
            ports.put(name, ServiceProcess.freePort());
        }
        startAll();
        AccessTokenFlowIT.warmUp(gateway(), login("alice"));
        // Warm the second chain too: the first request through cold JVMs can exceed the short timeouts.
        String alice = login("alice");
        for (int i = 0; i < 100 && direct("order-service-2", alice).get("/orders/trace").statusCode() != 200; i++) {
            sleep(200);
        }
    }

    /** The two instances of a service start at once against their database, as replicas of a Deployment do. */
    static void startAll() {
        startTogether("customer-service-1", "customer-service-2");
        startTogether("order-service-1", "order-service-2");
        startTogether("api-gateway", "api-gateway-2");
    }

    static void startTogether(String one, String other) {
        // The second start's failure (with the tail of its log) is the report, not a bare "did not start".
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> start(other));
        start(one);
        try {
            second.join();
        } catch (CompletionException e) {
            throw new IllegalStateException(other + " did not start; see " + LOGS, e.getCause());
        }
    }

    /** Starts (or restarts, on the same port) one service with its configuration. */
    static void start(String name) {
        String jwks = "http://localhost:" + ports.get("api-gateway") + "/.well-known/jwks.json";
        Map<String, String> config = new HashMap<>();
        String service;
        if (name.startsWith("customer-service")) {
            service = "customer-service";
            config.putAll(customerDb.quarkusConfig());
            config.put("mp.jwt.verify.publickey.location", jwks);
        } else if (name.startsWith("order-service")) {
            service = "order-service";
            config.putAll(orderDb.quarkusConfig());
            config.put("mp.jwt.verify.publickey.location", jwks);
            config.put("quarkus.rest-client.customer-service.url",
                    "http://localhost:" + ports.get(name.replace("order", "customer")));
            config.put("quarkus.oidc-client.auth-server-url", "http://localhost:" + ports.get("api-gateway"));
            // Seven JVMs share two cores here: a reservation under that load can take over the production 1 s,
            // which would turn a test about overdraw into one about timeouts. Two 3 s attempts stay inside
            // orders.in-flight-timeout (10 s), as the production pair (two 1 s attempts) does.
            config.put("quarkus.rest-client.customer-service.read-timeout", "3000");
        } else {
            service = "api-gateway";
            config.putAll(gatewayDb.quarkusConfig());
            config.put("quarkus.rest-client.order-service.url", "http://localhost:" + ports.get("order-service-1"));
            config.put("quarkus.rest-client.order-service.read-timeout", "8000"); // beyond order-service's 2 x 3 s
            config.put("quarkus.rest-client.customer-service.url", "http://localhost:" + ports.get("customer-service-1"));
            // Every replica of the gateway signs with the same key, as the Secret gives them on Kubernetes.
            config.put("smallrye.jwt.sign.key.location", signingKey.toUri().toString());
        }
        running.put(name, ServiceProcess.start(name + "-" + STARTS.incrementAndGet(),
                AccessTokenFlowIT.artifact(service), ports.get(name), config, LOGS));
    }

    @AfterAll
    static void stopAllAndCheckTheirLogs() {
        stopAll();
        LogSecrets.assertNone(LOGS);
    }

    static void stopAll() {
        running.values().forEach(ServiceProcess::close);
    }

    static String gateway() {
        return "http://localhost:" + ports.get("api-gateway");
    }

    static String login(String username) {
        return given().baseUri(gateway()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", username))
                .post("/auth/login").then().statusCode(200).extract().path("access_token");
    }

    static RequestSpecification viaGateway(String token) {
        return given().baseUri(gateway()).header("Authorization", "Bearer " + token);
    }

    static RequestSpecification direct(String instance, String token) {
        return given().baseUri("http://localhost:" + ports.get(instance)).header("Authorization", "Bearer " + token);
    }

    static BigDecimal availableCredit(String token) {
        return new BigDecimal(viaGateway(token).get("/api/customers/me").then().statusCode(200)
                .extract().jsonPath().getString("availableCredit"));
    }

    @Test
    @Order(1)
    void anOrderWrittenThroughOneInstanceIsReadThroughTheOther() {
        String alice = login("alice");
        String id = viaGateway(alice).contentType(ContentType.JSON).body("{\"amount\":12.00,\"description\":\"replica\"}")
                .post("/api/orders").then().statusCode(201).extract().path("id");
        direct("order-service-2", alice).get("/orders/" + id).then()
                .statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("APPROVED"))
                .body("customer.name", org.hamcrest.Matchers.equalTo("Alice Liddell"));
        // And the credit it took is seen by both customer-service instances.
        BigDecimal one = new BigDecimal(direct("customer-service-1", alice).get("/customers/me").then()
                .extract().jsonPath().getString("availableCredit"));
        BigDecimal two = new BigDecimal(direct("customer-service-2", alice).get("/customers/me").then()
                .extract().jsonPath().getString("availableCredit"));
        assertEquals(0, one.compareTo(two));
        assertEquals(0, new BigDecimal("988.00").compareTo(two));
    }

    @Test
    @Order(2)
    void concurrentOrdersSplitAcrossTheInstancesNeverOverdraw() throws Exception {
        String bob = login("bob");
        BigDecimal before = availableCredit(bob);
        int fits = before.divide(new BigDecimal("25.00")).intValue();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> states = new ArrayList<>();
            for (int i = 0; i < fits + 8; i++) {
                boolean first = i % 2 == 0;
                states.add(pool.submit(() -> (first
                        ? viaGateway(bob).contentType(ContentType.JSON).body("{\"amount\":25.00}").post("/api/orders")
                        : direct("order-service-2", bob).contentType(ContentType.JSON).body("{\"amount\":25.00}")
                                .post("/orders"))
                        .then().statusCode(201).extract().<String> path("state")));
            }
            long approved = 0;
            for (Future<String> state : states) {
                approved += "APPROVED".equals(state.get()) ? 1 : 0;
            }
            assertEquals(fits, approved);
            assertEquals(0, BigDecimal.ZERO.compareTo(availableCredit(bob).subtract(
                    before.subtract(new BigDecimal("25.00").multiply(BigDecimal.valueOf(fits))))));
        } finally {
            pool.shutdownNow();
        }
        assertCreditInvariant();
    }

    @Test
    @Order(3)
    void allServicesRestartAndNothingIsLost() {
        String alice = login("alice");
        List<Object> ordersBefore = viaGateway(alice).get("/api/orders").then().statusCode(200)
                .extract().jsonPath().getList("$");
        BigDecimal creditBefore = availableCredit(alice);

        stopAll();
        running.clear();
        startAll();
        AccessTokenFlowIT.warmUp(gateway(), login("alice"));

        String again = login("alice");
        assertEquals(ordersBefore, viaGateway(again).get("/api/orders").then().statusCode(200)
                .extract().jsonPath().getList("$"));
        assertEquals(0, creditBefore.compareTo(availableCredit(again)));
    }

    /**
     * The crash test: a stream of orders with Idempotency-Keys, each retried by the client on 5xx until it gets
     * an answer, while order-service and customer-service are each killed with SIGKILL once and restarted.
     */
    @Test
    @Order(4)
    void killingEachServiceMidStreamLosesAndDoublesNothingAndEverythingSettles() throws Exception {
        String alice = login("alice");
        int total = 80;
        Map<String, String> orderIdByKey = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(12);
        long started = System.nanoTime();
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String key = "crash-" + UUID.randomUUID();
            String amount = (i % 3 == 0) ? "30.00" : "7.00";
            sent.add(clients.submit(() -> orderIdByKey.put(key, placeUntilAnswered(alice, key, amount))));
            // Each kill lands in a burst of 12 orders sent at once, so that decisions are in flight.
            boolean burst = i % 40 >= 28 && i % 40 < 40;
            if (i % 40 == 39) {
                sleep(40);
                crash(i < 40 ? "order-service-1" : "customer-service-1");
            }
            if (!burst) {
                sleep(60);
            }
        }
        for (Future<?> f : sent) {
            f.get(5, TimeUnit.MINUTES);
        }
        clients.shutdown();
        long streamMillis = (System.nanoTime() - started) / 1_000_000;

        // Within 60 s of the stream's end no order may be PENDING.
        long settleStarted = System.nanoTime();
        long deadline = settleStarted + Duration.ofSeconds(60).toNanos();
        int pending;
        while ((pending = count(orderDb, "SELECT count(*) FROM orders WHERE state = 'PENDING'")) > 0
                && System.nanoTime() < deadline) {
            sleep(500);
        }
        long settleMillis = (System.nanoTime() - settleStarted) / 1_000_000;
        System.out.printf("kill -9 test: %d orders sent with keys in %d ms, %d answered with an order id, "
                + "%d settled, %d pending after %d ms of settling; %d settled by a reconciler, %d of them voided; "
                + "slowest settlement %s s after the order was stored%n",
                total, streamMillis, orderIdByKey.size(), count(orderDb, "SELECT count(*) FROM orders WHERE "
                        + "idempotency_key LIKE 'crash-%' AND state <> 'PENDING'"), pending, settleMillis,
                count(orderDb, "SELECT count(*) FROM orders WHERE idempotency_key LIKE 'crash-%' "
                        + "AND updated_at - created_at > interval '3 seconds'"),
                count(orderDb, "SELECT count(*) FROM orders WHERE rejection_reason = 'CREDIT_CHECK_FAILED'"),
                stringQuery(orderDb, "SELECT round(extract(epoch FROM max(updated_at - created_at))::numeric, 1) "
                        + "FROM orders WHERE idempotency_key LIKE 'crash-%'"));
        assertEquals(0, pending, "PENDING orders left 60 s after the stream");

        // Every key has exactly one order, and it is the one the client was finally told about.
        assertEquals(total, orderIdByKey.size());
        assertEquals(total, count(orderDb, "SELECT count(*) FROM orders WHERE idempotency_key LIKE 'crash-%'"));
        assertEquals(0, count(orderDb, "SELECT count(*) FROM (SELECT username, idempotency_key FROM orders "
                + "WHERE idempotency_key IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) doubled"));
        for (Map.Entry<String, String> answered : orderIdByKey.entrySet()) {
            assertEquals(answered.getValue(), stringQuery(orderDb,
                    "SELECT id FROM orders WHERE idempotency_key = '" + answered.getKey() + "'"));
        }
        assertCreditInvariant();
    }

    /** POST with the key until an answer that is not a 5xx; returns the order id. */
    static String placeUntilAnswered(String token, String key, String amount) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Response response = viaGateway(token).header("Idempotency-Key", key).contentType(ContentType.JSON)
                        .body("{\"amount\":" + amount + ",\"description\":\"crash test\"}").post("/api/orders");
                int status = response.statusCode();
                if (status == 200 || status == 201) {
                    return response.path("id");
                }
                if (status != 409 && status < 500) {
                    throw new AssertionError("Unexpected " + status + ": " + response.asString());
                }
            } catch (RuntimeException connectionFailed) {
                // The gateway itself is never killed here, but a connection can still fail: retry.
            }
            sleep(300);
        }
        throw new AssertionError("No answer for key " + key + " within 3 minutes");
    }

    static void crash(String instance) {
        new Thread(() -> {
            running.get(instance).kill();
            sleep(1000);
            start(instance);
        }, "restart " + instance).start();
    }

    /**
     * At a quiet moment, for every customer: creditLimit - availableCredit equals the sum of the amounts of the
     * customer's APPROVED orders; and the orders that hold credit are exactly those customer-service approved.
     */
    static void assertCreditInvariant() throws SQLException {
        Map<String, BigDecimal> approvedByCustomer = new HashMap<>();
        Set<String> approvedOrders = new HashSet<>();
        try (Connection db = orderDb.connect(); ResultSet rows = db.createStatement().executeQuery(
                "SELECT id, customer_id, amount FROM orders WHERE state = 'APPROVED'")) {
            while (rows.next()) {
                approvedOrders.add(rows.getString(1));
                approvedByCustomer.merge(rows.getString(2), rows.getBigDecimal(3), BigDecimal::add);
            }
        }
        Set<String> reserved = new HashSet<>();
        try (Connection db = customerDb.connect(); ResultSet rows = db.createStatement().executeQuery(
                "SELECT order_id FROM reservation WHERE status = 'APPROVED'")) {
            while (rows.next()) {
                reserved.add(rows.getString(1));
            }
        }
        assertEquals(reserved, approvedOrders, "holds without an approved order, or approved orders without a hold");
        try (Connection db = customerDb.connect(); ResultSet rows = db.createStatement().executeQuery(
                "SELECT id, username, credit_limit - available_credit FROM customer")) {
            while (rows.next()) {
                BigDecimal held = rows.getBigDecimal(3);
                BigDecimal approved = approvedByCustomer.getOrDefault(rows.getString(1), BigDecimal.ZERO);
                assertEquals(0, held.compareTo(approved), rows.getString(2) + ": held " + held + ", approved " + approved);
            }
        }
        assertTrue(!approvedOrders.isEmpty());
    }

    static int count(Postgres.Database db, String sql) throws SQLException {
        return Integer.parseInt(stringQuery(db, sql));
    }

    static String stringQuery(Postgres.Database db, String sql) throws SQLException {
        try (Connection c = db.connect(); ResultSet row = c.createStatement().executeQuery(sql)) {
            return row.next() ? row.getString(1) : null;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Two gateway replicas, one database: a guess at either counts for both, and a session moves between them. */
    @Test
    @Order(50)
    void gatewayReplicasShareTheLoginThrottleAndTheSessions() {
        String[] replicas = { gateway(), "http://localhost:" + ports.get("api-gateway-2") };
        for (int i = 0; i < 4; i++) {
            given().baseUri(replicas[i % 2]).contentType(ContentType.JSON)
                    .body(Map.of("username", "mallory", "password", "guess-for-the-log-check-" + i))
                    .post("/auth/login").then().statusCode(401);
        }
        for (String replica : replicas) {
            given().baseUri(replica).contentType(ContentType.JSON).body(Map.of("username", "mallory", "password", "x"))
                    .post("/auth/login").then().statusCode(429).header("Retry-After", notNullValue());
        }
        String first = given().baseUri(replicas[0]).contentType(ContentType.JSON)
                .body(Map.of("username", "bob", "password", "bob")).post("/auth/login").then().statusCode(200)
                .extract().path("refresh_token");
        String second = refresh(replicas[1], first).statusCode(200).extract().path("refresh_token");
        LogSecrets.SECRETS.addAll(List.of(first, second, "guess-for-the-log-check-"));
        refresh(replicas[0], first).statusCode(400).body("error", equalTo("invalid_grant"));
        refresh(replicas[1], second).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    static io.restassured.response.ValidatableResponse refresh(String replica, String refreshToken) {
        return given().baseUri(replica).contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken).post("/auth/token").then();
    }
}
