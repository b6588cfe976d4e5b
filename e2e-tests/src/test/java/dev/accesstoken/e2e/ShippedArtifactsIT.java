package dev.accesstoken.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * What the Dockerfiles copy (target/quarkus-app) is the normal build: the benchmark's baseline, which reads
 * tokens without verifying them, and its threading-model endpoints are never in it.
 */
@DisabledIfSystemProperty(named = "e2e.artifact", matches = "native",
        disabledReason = "it inspects target/quarkus-app, which a -Dnative build does not make; the native executable holds only what Quarkus reaches from its entry point")
class ShippedArtifactsIT {

    static final Path SERVICES = Path.of(System.getProperty("services.dir", ".."));

    @ParameterizedTest
    @ValueSource(strings = { "api-gateway", "order-service", "customer-service" })
    void thePackagedServiceHoldsNoBenchmarkCode(String service) throws IOException {
        Path app = SERVICES.resolve(service).resolve("target/quarkus-app").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(app.resolve("lib/main")), app + " is not packaged");
        try (Stream<Path> files = Files.walk(app)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("dev.accesstoken.bench-")
                    || f.getFileName().toString().startsWith("bench-")),
                    service + " was packaged with benchmark-only code (bench/unverified-tokens or bench/threading)");
        }
    }
}
