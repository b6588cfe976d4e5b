package dev.accesstoken.order.security;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DemoSecretGuardTest {

    @Test
    void prodRefusesTheDemoClientSecretAndSaysHowToGetARealOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DemoSecretGuard.check(List.of("prod"), Optional.of("order-service-secret")));
        assertTrue(e.getMessage().contains("k8s/generate-secrets.sh"), e.getMessage());
        assertFalse(e.getMessage().contains("order-service-secret"), "the secret is not repeated: " + e.getMessage());
    }

    @Test
    void prodStartsWithAnotherSecretOrNone() {
        assertDoesNotThrow(() -> DemoSecretGuard.check(List.of("prod"), Optional.of("a".repeat(64))));
        assertDoesNotThrow(() -> DemoSecretGuard.check(List.of("prod", "aot-training"), Optional.empty()));
    }

    @Test
    void theDemoProfileDevAndTestAcceptIt() {
        for (List<String> profiles : List.of(List.of("prod", "demo"), List.of("test", "demo"), List.of("dev", "demo"), List.of("test"))) {
            assertDoesNotThrow(() -> DemoSecretGuard.check(profiles, Optional.of("order-service-secret")), profiles.toString());
        }
    }
}
