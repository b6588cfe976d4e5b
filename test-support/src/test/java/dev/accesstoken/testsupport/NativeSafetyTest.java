package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.importer.ClassFileImporter;

/** The rule catches each way randomness reaches the image heap, and lets run-time randomness through. */
class NativeSafetyTest {

    static class StaticGenerator {
        static final SecureRandom RANDOM = new SecureRandom();
    }

    static class StaticUuid {
        static final String INSTANCE = UUID.randomUUID().toString();
    }

    static class StaticClock {
        static final long STARTED = Instant.now().toEpochMilli();
    }

    /** Made by a project constructor that a static initialiser calls: found through the call. */
    static class Holder {
        final byte[] nonce = new byte[16];

        Holder() {
            new SecureRandom().nextBytes(nonce);
        }
    }

    static class StaticHolder {
        static final Holder HOLDER = new Holder();
    }

    /** What the fix does: an instance field of a bean (CDI creates beans at run time), or a call per use. */
    static class RunTime {
        static final int NONCE_BYTES = 16;
        final SecureRandom random = new SecureRandom();

        static String id() {
            return UUID.randomUUID().toString();
        }
    }

    private static List<String> violationsOf(Class<?>... classes) {
        return NativeSafety.violations(new ClassFileImporter().importClasses(classes), "dev.accesstoken.testsupport");
    }

    @Test
    void aStaticGeneratorIsRefused() {
        List<String> found = violationsOf(StaticGenerator.class);
        assertTrue(found.stream().anyMatch(v -> v.startsWith("static field") && v.contains("StaticGenerator.RANDOM")),
                found::toString);
        assertTrue(found.stream().anyMatch(v -> v.contains("StaticGenerator.<clinit> reaches java.security.SecureRandom")),
                found::toString);
    }

    @Test
    void aUuidOrAClockReadingInAStaticInitialiserIsRefused() {
        assertEquals(1, violationsOf(StaticUuid.class).size());
        assertTrue(violationsOf(StaticUuid.class).get(0).contains("UUID.randomUUID"));
        assertEquals(1, violationsOf(StaticClock.class).size());
        assertTrue(violationsOf(StaticClock.class).get(0).contains("Instant.now"));
    }

    @Test
    void randomnessReachedThroughTheProjectsOwnConstructorIsRefused() {
        List<String> found = violationsOf(StaticHolder.class, Holder.class);
        assertEquals(1, found.size(), found::toString);
        assertTrue(found.get(0).startsWith(StaticHolder.class.getName() + ".<clinit> reaches java.security.SecureRandom"),
                found::toString);
    }

    @Test
    void randomnessMadeAtRunTimeIsAllowed() {
        assertEquals(List.of(), violationsOf(RunTime.class, Holder.class));
    }
}
