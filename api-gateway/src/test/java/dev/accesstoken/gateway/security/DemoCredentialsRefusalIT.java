package dev.accesstoken.gateway.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The packaged gateway, started as a deployment would start it (prod profile) with the demo admin hash that
 * k8s/generate-secrets.sh used to write: it must not come up. No database is needed, since it stops before
 * serving anything (Flyway is off here so that the refusal, not a missing database, is what stops it).
 */
class DemoCredentialsRefusalIT {

    @Test
    void theProdProfileRefusesToStartWithADemoHash() throws Exception {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing");
        Path log = Files.createTempFile("demo-refusal", ".log");
        try {
            Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dquarkus.profile=prod", "-Dquarkus.http.port=0", "-Dquarkus.management.port=0",
                    "-Dquarkus.flyway.migrate-at-start=false", "-Dquarkus.log.console.json.enabled=false",
                    "-Dgateway.users.admin.password-hash=$2a$10$dH645pPuRoqytt8DVSUxm.LnQo3bdDelDPBqdAdyv4IgydPqLsEDO",
                    "-Dgateway.users.admin.roles=admin", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // Wide: a loaded 2-core machine starts a JVM slowly. A gateway that came up would never exit.
            boolean exited = process.waitFor(180, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log);
            assertTrue(exited, "the gateway started with the demo admin hash:\n" + output);
            assertNotEquals(0, process.exitValue(), output);
            assertTrue(output.contains("Refusing to start with demo credentials in the prod profile"), output);
            assertTrue(output.contains("gateway.users.admin.password-hash") && output.contains("k8s/generate-secrets.sh"), output);
            assertFalse(output.contains("$2a$10$dH645"), "the hash is logged:\n" + output);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
