package dev.accesstoken.gateway.rest;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import dev.accesstoken.gateway.GatewayTestResources;

/**
 * Not a test (no assertion, and surefire's default includes skip the name): the flood figure of issue 16, on the
 * in-process gateway with the default throttle settings. 16 connections send bad Basic credentials to
 * {@code /auth/token} for 20 s from one address, while a user logs in from another address every second.
 * Run: {@code ./mvnw -B -q verify -pl api-gateway -am -DskipITs -Dtest=FloodBench -Dsurefire.failIfNoSpecifiedTests=false}
 * and read the lines starting with "flood:" in the output.
 */
@QuarkusTest
@TestProfile(FloodBench.BehindTrustedProxy.class)
@GatewayTestResources
class FloodBench {

    public static class BehindTrustedProxy extends ForwardedForProfile {
        public BehindTrustedProxy() {
            super("127.0.0.1");
        }
    }

    static final int CONNECTIONS = 16;
    static final Duration FLOOD = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URL base;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    int badClient(int i) throws Exception {
        String basic = Base64.getEncoder().encodeToString(("order-service:guess-" + i).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(base + "auth/token")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("X-Forwarded-For", "198.51.100.77")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A legitimate login from its own address: status and milliseconds. */
    long[] login() throws Exception {
        long started = System.nanoTime();
        int status = http.send(HttpRequest.newBuilder(URI.create(base + "auth/login")).timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", "203.0.113.99").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice\"}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        return new long[] { status, (System.nanoTime() - started) / 1_000_000 };
    }

    @Test
    void flood() throws Exception {
        for (int i = 0; i < 3; i++) {
            login(); // warm-up
        }
        List<Long> quiet = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            quiet.add(login()[1]);
        }
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        long end = System.nanoTime() + FLOOD.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        for (int c = 0; c < CONNECTIONS; c++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        statuses.computeIfAbsent(badClient(sent.incrementAndGet()), s -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        statuses.computeIfAbsent(-1, s -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            });
        }
        List<Long> during = new ArrayList<>();
        List<Long> loginStatuses = new ArrayList<>();
        Thread.sleep(2_000);
        while (System.nanoTime() < end - 1_000_000_000L) {
            long[] login = login();
            loginStatuses.add(login[0]);
            during.add(login[1]);
            Thread.sleep(1_000);
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        Map<Integer, Integer> counts = new TreeMap<>();
        statuses.forEach((status, n) -> counts.put(status, n.get()));
        System.out.printf("flood: %d connections x %d s of bad Basic credentials to /auth/token: %s (status=count)%n",
                CONNECTIONS, FLOOD.toSeconds(), counts);
        System.out.printf("flood: legitimate login before the flood: median %d ms (%s)%n", median(quiet), quiet);
        System.out.printf("flood: legitimate login during the flood: median %d ms, max %d ms, statuses %s (%s)%n",
                median(during), Collections.max(during), loginStatuses, during);
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
