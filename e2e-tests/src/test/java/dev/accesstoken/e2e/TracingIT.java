package dev.accesstoken.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mindrot.jbcrypt.BCrypt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.accesstoken.e2e.OtlpReceiver.ReceivedSpan;
import dev.accesstoken.testsupport.Prometheus;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Traces across the three real processes: their OTLP exporters on, pointed at a receiver inside this test. One
 * login and one order through the gateway give one trace over api-gateway, order-service and customer-service
 * (the W3C traceparent travels beside the token), whose server spans carry the caller's sub as enduser.id, and
 * nothing exported anywhere holds the access token, the refresh token or the password. The services' JSON log
 * lines carry the trace id, span id and request id of the request they were written for.
 */
class TracingIT {

    static final Path LOGS = Path.of(System.getProperty("e2e.log.dir", "target/e2e-logs")).resolve("tracing");
    static final Set<String> SERVICES = Set.of("api-gateway", "order-service", "customer-service");
    /** A user of this test only, with a password unlike any other string of the run. */
    static final String USER = "carol";
    static final String PASSWORD = "tracing-" + UUID.randomUUID();
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");
    static final Duration EXPORT_DEADLINE = Duration.ofSeconds(90);

    static OtlpReceiver receiver;
    static ThreeServices services;

    @BeforeAll
    static void startTheServicesExportingToTheReceiver() {
        receiver = new OtlpReceiver();
        Map<String, String> everyService = Map.of(
                "quarkus.otel.sdk.disabled", "false",
                "quarkus.otel.exporter.otlp.endpoint", receiver.endpoint(),
                "quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf",
                // Export within a fraction of a second instead of every 5 s.
                "quarkus.otel.bsp.schedule.delay", "200ms",
                "customers.seed.carol.name", "Carol Tracer",
                "customers.seed.carol.credit-limit", "100.00");
        Map<String, String> gatewayOnly = Map.of(
                "gateway.users.carol.password-hash", BCrypt.hashpw(PASSWORD, BCrypt.gensalt(4)),
                "gateway.users.carol.roles", "user");
        services = ThreeServices.start(LOGS, everyService, gatewayOnly);
    }

    @AfterAll
    static void stopThemAndCheckTheirLogs() {
        if (services != null) {
            services.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        LogSecrets.SECRETS.add(PASSWORD);
        LogSecrets.assertNone(LOGS);
    }

    @Test
    void oneLoginAndOneOrderAreOneTraceAcrossTheThreeServicesWithoutAnySecret() throws IOException {
        String loginRequestId = "tracing-login-" + UUID.randomUUID();
        JsonPath login = given().baseUri(services.gateway.url()).contentType(ContentType.JSON)
                .header("X-Request-Id", loginRequestId).body(Map.of("username", USER, "password", PASSWORD))
                .post("/auth/login").then().statusCode(200).extract().jsonPath();
        String token = login.getString("access_token");
        String refreshToken = login.getString("refresh_token");
        LogSecrets.SECRETS.add(refreshToken);
        AccessTokenFlowIT.warmUp(services.gateway.url(), token);

        String orderId = given().baseUri(services.gateway.url()).header("Authorization", "Bearer " + token)
                .contentType(ContentType.JSON).body("{\"amount\":12.50,\"description\":\"traced\"}")
                .post("/api/orders").then().statusCode(201).body("state", org.hamcrest.Matchers.equalTo("APPROVED"))
                .extract().path("id");

        // The gateway's server span of this POST, then everything in its trace, once all three have exported.
        Predicate<ReceivedSpan> orderAtTheGateway = s -> "api-gateway".equals(s.service()) && "SPAN_KIND_SERVER".equals(s.kind())
                && "POST".equals(s.attributes().get("http.request.method")) && "/api/orders".equals(s.attributes().get("http.route"));
        List<ReceivedSpan> trace = awaitTrace(orderAtTheGateway, SERVICES);
        Set<String> seen = trace.stream().map(ReceivedSpan::service).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(SERVICES, seen, describe(trace));

        // Each hop's server span knows who the caller is (sub), and only that of the token.
        for (String service : SERVICES) {
            List<ReceivedSpan> serverSpans = trace.stream()
                    .filter(s -> service.equals(s.service()) && "SPAN_KIND_SERVER".equals(s.kind())).toList();
            assertFalse(serverSpans.isEmpty(), service + " has no server span in " + describe(trace));
            serverSpans.forEach(s -> assertEquals(USER, s.attributes().get("enduser.id"), service + ": " + s));
        }
        // One tree: a single root (the gateway's server span), every other span's parent in the trace.
        assertTrue(complete(trace), describe(trace));
        assertEquals(1, trace.stream().filter(s -> s.parentSpanId().isEmpty()).count(), describe(trace));

        // Nothing exported, in any attribute, event, link or status, by any service, holds a secret.
        List<String> exported = receiver.requests();
        assertFalse(exported.isEmpty());
        for (String request : exported) {
            for (String secret : List.of(token, token.substring(token.lastIndexOf('.') + 1), refreshToken, PASSWORD)) {
                assertFalse(request.contains(secret), "a secret in an exported span: " + request);
            }
            assertFalse(JWT.matcher(request).find(), "a JWT in an exported span: " + request);
            assertFalse(request.toLowerCase(java.util.Locale.ROOT).contains("bearer "), "a bearer credential: " + request);
            assertFalse(request.toLowerCase(java.util.Locale.ROOT).contains("authorization"), "the Authorization header: " + request);
        }

        // The login's audit line at the gateway carries the login's request id, and the trace and span ids of its
        // server span: a log stack can go from the line to the trace and back.
        List<ReceivedSpan> loginTrace = awaitTrace(s -> "api-gateway".equals(s.service()) && "SPAN_KIND_SERVER".equals(s.kind())
                && "/auth/login".equals(s.attributes().get("http.route")), Set.of("api-gateway"));
        assertLogLinesCarry(services.gateway.log(), loginRequestId, loginTrace.get(0).traceId());

        // The packaged gateway's metrics, on its management port: its calls to order-service are timed per route
        // template, so an order id never becomes a label (one series per endpoint, not per order).
        given().baseUri(services.gateway.url()).header("Authorization", "Bearer " + token).get("/api/orders/" + orderId)
                .then().statusCode(200);
        Prometheus metrics = Prometheus.scrape(services.gateway.managementUrl() + "/q/metrics");
        assertTrue(metrics.has("http_client_requests_seconds_bucket", "method", "GET", "status", "200"), metrics.text());
        assertTrue(metrics.value("logins_total", "outcome", "success") >= 1, metrics.text());
        assertFalse(metrics.text().contains(orderId), metrics.text());
    }

    /** The trace of the first span that matches, once it has spans from all these services (or the deadline passes). */
    private static List<ReceivedSpan> awaitTrace(Predicate<ReceivedSpan> root, Set<String> from) {
        long deadline = System.nanoTime() + EXPORT_DEADLINE.toNanos();
        List<ReceivedSpan> trace = List.of();
        while (System.nanoTime() < deadline) {
            var first = receiver.spans().stream().filter(root).findFirst();
            if (first.isPresent()) {
                String traceId = first.get().traceId();
                trace = receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
                if (trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()).containsAll(from) && complete(trace)) {
                    return trace.stream().sorted((a, b) -> a.service().equals("api-gateway") ? -1 : 0).toList();
                }
            }
            sleep(200);
        }
        throw new AssertionError("No trace over " + from + " within " + EXPORT_DEADLINE + "; posts: " + receiver.paths()
                + "; spans: " + describe(receiver.spans()));
    }

    /** Every span's parent is in the trace (spans end, and are exported, after their children). */
    private static boolean complete(List<ReceivedSpan> trace) {
        Set<String> spanIds = trace.stream().map(ReceivedSpan::spanId).collect(Collectors.toSet());
        return trace.stream().allMatch(s -> s.parentSpanId().isEmpty() || spanIds.contains(s.parentSpanId()));
    }

    /**
     * Every JSON line of the log whose MDC names this request id also names this trace, with a span id: a log stack
     * can go from any such line to the trace and back.
     */
    private static void assertLogLinesCarry(Path log, String requestId, String traceId) throws IOException {
        ObjectMapper json = new ObjectMapper();
        int lines = 0;
        for (String line : Files.readAllLines(log)) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonNode mdc = json.readTree(line).path("mdc");
            if (!requestId.equals(mdc.path("requestId").asText())) {
                continue;
            }
            lines++;
            assertEquals(traceId, mdc.path("traceId").asText(), line);
            assertTrue(mdc.path("spanId").asText().matches("[0-9a-f]{16}"), line);
        }
        assertTrue(lines > 0, "no log line of request " + requestId + " in " + log);
    }

    private static String describe(List<ReceivedSpan> spans) {
        return spans.stream().map(s -> s.service() + " " + s.kind() + " " + s.name() + " trace=" + s.traceId()
                + " " + s.attributes()).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
