package dev.accesstoken.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Gives the service under test a PostgreSQL server of its own, which the test may stop and start again
 * mid-life to see how the service copes with a lost database (the shared {@link Postgres} server serves
 * every other test of the JVM and must stay up). The server comes back on the same port with the same
 * data. A test gets the handle through a {@link Server} field annotated {@code @InjectServer}. Use it
 * from a test profile that disables the global test resources, so that only that test class gets it:
 * {@link OwnServer}, or a profile that extends it.
 */
public class StoppablePostgresResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectServer {
    }

    /** The test profile of a class that stops its database: a server of its own, the other tests' stays up. */
    public static class OwnServer implements QuarkusTestProfile {
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(JwtTestResource.class),
                    new TestResourceEntry(StoppablePostgresResource.class));
        }
    }

    /** The server and the service's database on it. */
    public static final class Server {

        private final Path data;
        private int port;
        private EmbeddedPostgres postgres;
        private Postgres.Database database;

        Server(Path data) {
            this.data = data;
        }

        /** Starts the server (again): the same port, the same data. */
        public synchronized void start() {
            if (postgres != null) {
                return;
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setDataDirectory(data)
                    .setCleanDataDirectory(false);
            postgres = Postgres.start(port == 0 ? builder : builder.setPort(port));
            port = postgres.getPort();
            database = Postgres.create(postgres, "outage", "outage", "outage");
        }

        /**
         * Starts the server again and waits until the service is back on it: its readiness ({@code readyUrl})
         * answers 200, and every pooled connection has then been idle past the pool's validation interval (1 s
         * in these services), so each one is checked before its next use. A loaded machine may take a while.
         */
        public void startAndAwaitService(String readyUrl) {
            start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest ready = HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(10)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    try {
                        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                            break;
                        }
                    } catch (IOException notYet) {
                        // The service's own timeouts answer this; ask again.
                    }
                    Thread.sleep(200);
                }
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Stops the server ("fast" shutdown): open sessions are ended, new connections are refused. */
        public synchronized void stop() {
            if (postgres == null) {
                return;
            }
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot stop the embedded PostgreSQL server", e);
            } finally {
                postgres = null;
            }
        }

        /**
         * Freezes every process of the server (SIGSTOP), as a database host that stopped answering, or a network
         * that drops its packets: connections are accepted by the kernel but never answered. Linux and macOS only.
         */
        public synchronized void freeze() {
            signal("-STOP");
        }

        /** Lets a frozen server run on (SIGCONT). */
        public synchronized void thaw() {
            signal("-CONT");
        }

        private void signal(String signal) {
            ProcessHandle postmaster;
            try {
                // The first line of postmaster.pid: the server's own process, whichever process started it.
                long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
                postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            // The postmaster first: stopped, it forks no new backend while its children are listed.
            kill(signal, List.of(postmaster.pid()), true);
            kill(signal, postmaster.descendants().map(ProcessHandle::pid).toList(), false);
        }

        /** {@code mustExist=false}: a backend that ended between the listing and the signal is gone, not a failure. */
        private static void kill(String signal, List<Long> pids, boolean mustExist) {
            if (pids.isEmpty()) {
                return;
            }
            List<String> command = new ArrayList<>(List.of("kill", signal));
            pids.forEach(pid -> command.add(Long.toString(pid)));
            try {
                Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int exit = kill.waitFor();
                boolean onlyGone = !mustExist
                        && output.lines().allMatch(line -> line.isBlank() || line.contains("No such process"));
                if (exit != 0 && !onlyGone) {
                    throw new IllegalStateException(command + " exited with " + exit + ": " + output.strip());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public synchronized boolean running() {
            return postgres != null;
        }

        public synchronized Postgres.Database database() {
            return database;
        }
    }

    private Server server;

    @Override
    public Map<String, String> start() {
        try {
            server = new Server(Files.createTempDirectory("stoppable-postgres"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start();
        return server.database().quarkusConfig();
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, field -> field.getType() == Server.class
                && field.isAnnotationPresent(InjectServer.class));
    }

    @Override
    public void stop() {
        if (server == null) {
            return;
        }
        server.stop();
        try (var files = Files.walk(server.data)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A temporary directory: what is left is the operating system's to clean.
        }
    }
}
