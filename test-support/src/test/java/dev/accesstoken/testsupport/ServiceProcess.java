package dev.accesstoken.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service run as a separate process on a free port, the way it runs in production, with its
 * management interface (health, metrics) on a second free port: the jar
 * ({@code target/quarkus-app/quarkus-run.jar}), or with {@code -Dnative} the native executable (see
 * {@link #artifact}). Its output goes to a log file, shown when it fails to start.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    /**
     * Below Linux's default ephemeral range (32768-60999), and clear of this project's fixed ports: 8080-8082 and
     * 9000-9002 (./run.sh), 15432 (its PostgreSQL), 16080-16692 and 18080-30292 (bench/run.sh), 28080-29082 (the podman walkthrough).
     */
    private static final int FIRST_PORT = 10_000;
    private static final int LAST_PORT = 15_000;
    private static final Random RANDOM = new Random();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the service and waits until {@code /q/health/ready} answers 200 on its management port.
     *
     * @param config MicroProfile Config properties, passed as system properties
     */
    public static ServiceProcess start(String name, Path artifact, int port, Map<String, String> config, Path logDir) {
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalStateException(artifact + " is missing: package the services first (./mvnw package, "
                    + "or ./mvnw package -Dnative for the native executables)");
        }
        boolean jar = artifact.getFileName().toString().endsWith(".jar");
        List<String> command = new ArrayList<>();
        // A native executable takes the same -D options as the JVM, as system properties, right after its name.
        command.add(jar ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : artifact.toString());
        command.add("-Dquarkus.http.port=" + port);
        // A free one, so that several services (and several copies of one) can run side by side.
        int managementPort = freePort();
        command.add("-Dquarkus.management.port=" + managementPort);
        // The prod profile with the demo users and client that the tests log in with, unless a test picks its own.
        if (!config.containsKey("quarkus.profile")) {
            command.add("-Dquarkus.profile=prod,demo");
        }
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (jar) {
            command.add("-jar");
            command.add(artifact.toString());
        }
        try {
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServiceProcess service = new ServiceProcess(name, port, managementPort, process, log);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name, e);
        }
    }

    /** True when the build was told {@code -Dnative}: the e2e pom's native profile sets {@code e2e.artifact=native}. */
    public static boolean nativeArtifacts() {
        return "native".equals(System.getProperty("e2e.artifact"));
    }

    /**
     * What {@code ./mvnw package} built for the service in {@code serviceDir}: its jar, or under {@code -Dnative}
     * its native executable ({@code target/<artifactId>-<version>-runner}, the only {@code *-runner} file there).
     */
    public static Path artifact(Path serviceDir) {
        Path target = serviceDir.resolve("target").toAbsolutePath().normalize();
        if (!nativeArtifacts()) {
            return target.resolve("quarkus-app/quarkus-run.jar");
        }
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner") && Files.isExecutable(f))
                    .findFirst().orElse(target.resolve(serviceDir.getFileName() + "-runner"));
        } catch (IOException e) {
            return target.resolve(serviceDir.getFileName() + "-runner");
        }
    }

    /**
     * A port that is free now and stays free until a service binds it, even a minute later. The kernel's
     * own choice ({@code new ServerSocket(0)}) comes from the ephemeral range, which every outgoing
     * connection (JDBC pools, REST clients, this test's HTTP calls) also draws from: a port chosen early can
     * be taken by one of them before the service starts, and the service then fails to bind. So the port is
     * picked below that range, where nothing is handed out, and never twice in one test JVM.
     */
    public static int freePort() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = FIRST_PORT + RANDOM.nextInt(LAST_PORT - FIRST_PORT);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port)) {
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException inUse) {
                // Taken by something else on this machine: try another.
            }
        }
        throw new IllegalStateException("No free port between " + FIRST_PORT + " and " + LAST_PORT);
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    /** The management interface: {@code /q/health/*} and {@code /q/metrics}. */
    public String managementUrl() {
        return "http://localhost:" + managementPort;
    }

    /** The service's log file (JSON lines: the processes run the prod profile, with demo). */
    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL), as a crash or an OOM kill would: no shutdown hook runs. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Freezes the process (SIGSTOP): it keeps its port and accepts connections but never answers. */
    public void suspend() {
        signal("STOP");
    }

    /** Lets a {@link #suspend() suspended} process run again (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + name + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT + ":\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the process: politely first, so that Quarkus shuts down cleanly, then by force. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
