package dev.accesstoken.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.accesstoken.testsupport.RequiredTools;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.http.ContentType;

/**
 * The gateway's web console in a real browser: {@code src/test/console/console-test.mjs} (playwright-core
 * driving Debian's chromium) against the three packaged services, one screenshot per step in
 * {@code target/console-screenshots}. Missing tools fail this test with the command that installs them: a
 * browser test that silently skips proves nothing.
 */
class ConsoleIT {

    static final Path LOGS = Path.of(System.getProperty("e2e.log.dir", "target/e2e-logs")).resolve("console");
    static final Path TESTS = Path.of(System.getProperty("console.tests.dir", "src/test/console")).toAbsolutePath();
    static final Path SCREENSHOTS = Path.of(System.getProperty("console.screenshots.dir", "target/console-screenshots"))
            .toAbsolutePath();
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final String WRONG_PASSWORD = "Wr0ng-Passw0rd-typed-in-the-console";
    /** The whole browser run takes under a minute; a loaded two-core machine gets a wide margin. */
    static final long RUN_TIMEOUT_MINUTES = 8;

    static ThreeServices services;
    /** Set when a tool is missing: the test then reports itself skipped with this reason (an abort here would not show). */
    static TestAbortedException missingTool;

    @BeforeAll
    static void checkTheToolsThenStartTheServices() throws IOException {
        LogSecrets.SECRETS.add(WRONG_PASSWORD);
        try {
            checkTheTools();
        } catch (TestAbortedException e) {
            missingTool = e;
            return;
        }
        services = ThreeServices.start(LOGS, Map.of(), Map.of());
        String gateway = services.gateway.url();
        AccessTokenFlowIT.warmUp(gateway, login(gateway, "bob"));
        warmTheOrderPath(gateway, login(gateway, "bob"));
    }

    static void checkTheTools() throws IOException {
        // Without Chromium, Node.js 20+ or the npm packages this test skips itself (fails with -Drequire.tools=true).
        String setup = "apt-get install -y chromium nodejs npm && npm ci --prefix e2e-tests/src/test/console"
                + " (Node.js 20 or newer; .ci/run does all of it)";
        RequiredTools.require(Files.isExecutable(CHROMIUM), "Debian's chromium at " + CHROMIUM
                + " (the browser test downloads no browser; CHROMIUM=... moves it)", setup);
        RequiredTools.require(RequiredTools.onPath("node"), "node", setup);
        String node = run(List.of("node", "--version"), "node does not run: " + setup);
        assertTrue(node.startsWith("v"), "node --version said " + node);
        RequiredTools.require(Integer.parseInt(node.substring(1).split("[.]")[0]) >= 20,
                "Node.js 20 or newer (this is " + node + ")", setup);
        Path installed = TESTS.resolve("node_modules/playwright-core/package.json");
        RequiredTools.require(Files.isRegularFile(installed), "playwright-core in " + TESTS + "/node_modules", setup);
        ObjectMapper json = new ObjectMapper();
        String pinned = json.readTree(TESTS.resolve("package-lock.json").toFile())
                .path("packages").path("node_modules/playwright-core").path("version").asText();
        String version = json.readTree(installed.toFile()).path("version").asText();
        assertEquals(pinned, version, "the installed playwright-core is not the one package-lock.json pins: " + setup);
    }

    static String login(String gateway, String user) {
        return given().baseUri(gateway).contentType(ContentType.JSON).body(Map.of("username", user, "password", user))
                .post("/auth/login").then().statusCode(200).extract().path("access_token");
    }

    /**
     * The first order through cold JVMs can exceed customer-service's 1 s read timeout on a loaded machine (a
     * correct 504, the order PENDING); the browser test checks what the page shows of an approved order, so one
     * small order of bob's (alice's credit stays untouched) goes through first.
     */
    static void warmTheOrderPath(String gateway, String token) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (given().baseUri(gateway).header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"amount\":0.01,\"description\":\"warm-up\"}").post("/api/orders").statusCode() != 201) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("No order went through gateway -> order-service -> customer-service within 60 s");
            }
        }
    }

    @AfterAll
    static void stopThemAndCheckTheirLogs() {
        if (services != null) {
            services.close();
            LogSecrets.assertNone(LOGS);
        }
    }

    @Test
    void theConsoleWorksInARealBrowser() throws Exception {
        if (missingTool != null) {
            throw missingTool;
        }
        deleteOldScreenshots();
        ProcessBuilder command = new ProcessBuilder("node", "console-test.mjs", services.gateway.url(), SCREENSHOTS.toString())
                .directory(TESTS.toFile()).redirectErrorStream(true);
        command.environment().put("WRONG_PASSWORD", WRONG_PASSWORD);
        command.environment().put("CHROMIUM", CHROMIUM.toString());
        Process browser = command.start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null;) {
                    output.add(line);
                    System.out.println("[console] " + line); // streamed, so a slow step shows where it is
                }
            } catch (IOException e) {
                output.add("(output lost: " + e.getMessage() + ")");
            }
        });
        if (!browser.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            browser.descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
            fail("The browser test did not finish within " + RUN_TIMEOUT_MINUTES + " minutes:\n" + String.join("\n", output));
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        String log = String.join("\n", output);
        assertEquals(0, browser.exitValue(), "the browser test failed (screenshots in " + SCREENSHOTS + "):\n" + log);

        // Every step passed and left its screenshot.
        long steps = output.stream().filter(line -> line.startsWith("ok ")).count();
        assertTrue(steps >= 22, "only " + steps + " steps ran:\n" + log);
        try (Stream<Path> files = Files.list(SCREENSHOTS)) {
            List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(steps, names.stream().filter(n -> n.matches("\\d\\d-[a-z0-9-]+\\.png") && !n.contains("FAILED")).count(),
                    "one screenshot per step: " + names);
            assertTrue(names.contains("trace-view.png"), "the trace view's own screenshot: " + names);
        }
    }

    private static void deleteOldScreenshots() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        try (Stream<Path> files = Files.list(SCREENSHOTS)) {
            for (Path png : files.filter(f -> f.toString().endsWith(".png")).toList()) {
                Files.delete(png);
            }
        }
    }

    /** Runs a short command and answers its first line of output; fails with {@code missing} if it cannot start. */
    private static String run(List<String> command, String missing) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                fail(missing + " (" + String.join(" ", command) + " said: " + out + ")");
            }
            return out.lines().findFirst().orElse("");
        } catch (IOException e) {
            return fail(missing, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
