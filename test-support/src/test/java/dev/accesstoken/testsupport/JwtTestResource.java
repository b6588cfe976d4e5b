package dev.accesstoken.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a service under {@code @QuarkusTest} at the test key pair: it verifies tokens against the
 * trusted JWKS, and a gateway signs with the trusted private key. Nothing is fetched over the network.
 */
public class JwtTestResource implements QuarkusTestResourceLifecycleManager {

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = TestKeys.trusted().writeTo(Files.createTempDirectory("jwt-test-keys"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mp.jwt.verify.publickey.location", dir.resolve("jwks.json").toUri().toString(),
                "smallrye.jwt.sign.key.location", dir.resolve("private-key.pem").toUri().toString());
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
