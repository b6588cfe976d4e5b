package dev.accesstoken.gateway.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.elytron.security.common.BcryptUtil;

/** The prod profile refuses the demo credentials; the demo profile (prod,demo), dev and test accept them. */
class DemoCredentialsGuardTest {

    /** The demo hashes that application.properties (%demo) and generate-secrets.sh --demo ship. */
    static final Map<String, String> SHIPPED_DEMO_USERS = Map.of(
            "alice", "$2a$10$ajBYhvtptUdVAnW8I25r1eHpvfXXUEqIWNUQfxKgsZ6hRGfAAQkzK",
            "admin", "$2a$10$xyxayUK.GljnXgE1oE2sXe0RLPcYXA5a5tSmjQlMwem5zGH.rKJVa");
    static final Map<String, String> K8S_DEMO_USERS = Map.of(
            "admin", "$2a$10$dH645pPuRoqytt8DVSUxm.LnQo3bdDelDPBqdAdyv4IgydPqLsEDO");
    static final Map<String, String> DEMO_CLIENT = Map.of("order-service", ClientSecrets.sha256Hex("order-service-secret"));

    @Test
    void prodRefusesToStartWithTheShippedDemoHashesAndSaysHowToFixIt() {
        for (Map<String, String> users : List.of(SHIPPED_DEMO_USERS, K8S_DEMO_USERS)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> DemoCredentialsGuard.check(List.of("prod"), users, Map.of()));
            assertTrue(e.getMessage().contains("gateway.users.admin.password-hash"), e.getMessage());
            assertTrue(e.getMessage().contains("k8s/generate-secrets.sh"), e.getMessage());
            assertFalse(e.getMessage().contains("$2a$"), "no hash in the message: " + e.getMessage());
        }
    }

    @Test
    void prodRefusesAnyUserWhoseHashVerifiesADemoPasswordWhateverItsNameAndSalt() {
        Map<String, String> users = Map.of("carol", BcryptUtil.bcryptHash("bob", 4));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DemoCredentialsGuard.check(List.of("prod"), users, Map.of()));
        assertTrue(e.getMessage().contains("gateway.users.carol.password-hash"), e.getMessage());
    }

    @Test
    void prodRefusesTheDemoClientSecret() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DemoCredentialsGuard.check(List.of("prod"), Map.of(), DEMO_CLIENT));
        assertTrue(e.getMessage().contains("gateway.clients.order-service.secret-hash"), e.getMessage());
        assertTrue(e.getMessage().contains("k8s/generate-secrets.sh"), e.getMessage());
    }

    @Test
    void prodStartsWithRealCredentials() {
        assertDoesNotThrow(() -> DemoCredentialsGuard.check(List.of("prod"),
                Map.of("alice", BcryptUtil.bcryptHash("a-long-random-password", 4)),
                Map.of("order-service", ClientSecrets.sha256Hex("f".repeat(64)))));
        assertDoesNotThrow(() -> DemoCredentialsGuard.check(List.of("prod"), Map.of(), Map.of()));
    }

    @Test
    void theDemoProfileAndDevAndTestAcceptTheDemoCredentials() {
        for (List<String> profiles : List.of(List.of("prod", "demo"), List.of("demo", "prod"), List.of("test", "demo"),
                List.of("dev", "demo"), List.of("prod", "aot-training", "demo"))) {
            assertDoesNotThrow(() -> DemoCredentialsGuard.check(profiles, SHIPPED_DEMO_USERS, DEMO_CLIENT), profiles.toString());
        }
    }
}
