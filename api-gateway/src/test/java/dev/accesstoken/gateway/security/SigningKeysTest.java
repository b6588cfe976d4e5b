package dev.accesstoken.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.accesstoken.testsupport.TestKeys;

class SigningKeysTest {

    @TempDir
    Path dir;

    @Test
    void loadsAPkcs8PemFromAPlainPathOrAFileUri() {
        Path pem = TestKeys.trusted().writeTo(dir).resolve("private-key.pem");
        for (String location : List.of(pem.toString(), pem.toUri().toString())) {
            SigningKeys keys = new SigningKeys(Optional.of(location), Optional.empty());
            assertEquals(TestKeys.trusted().keyPair().getPublic(), keys.publicKey());
            assertEquals(TestKeys.trusted().keyPair().getPrivate(), keys.privateKey());
            assertEquals(TestKeys.trusted().kid(), keys.kid());
        }
    }

    @Test
    void withoutALocationMakesAFreshKeyEachTime() {
        SigningKeys first = new SigningKeys(Optional.empty(), Optional.empty());
        SigningKeys second = new SigningKeys(Optional.empty(), Optional.empty());
        assertNotEquals(first.publicKey(), second.publicKey());
        assertEquals(SigningKeys.thumbprint(first.publicKey()), first.kid());
    }

    @Test
    void aConfiguredKeyIdWinsOverTheThumbprint() {
        SigningKeys keys = new SigningKeys(Optional.empty(), Optional.of("key-2026-11"));
        assertEquals("key-2026-11", keys.kid());
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = ((List<Map<String, Object>>) keys.jwks().get("keys")).get(0);
        assertEquals("key-2026-11", jwk.get("kid"));
    }

    @Test
    void aMissingKeyFileStopsStartUp() {
        assertThrows(RuntimeException.class,
                () -> new SigningKeys(Optional.of(dir.resolve("absent.pem").toString()), Optional.empty()));
    }

    @Test
    void previousKeysArePublishedAfterTheSigningKeyWhichAloneSigns() throws Exception {
        Path pem = TestKeys.trusted().writeTo(dir).resolve("private-key.pem");
        Path previous = dir.resolve("previous-public-keys.pem");
        // As generate-secrets.sh --rotate writes it: a comment line per retired key, the current key repeated.
        long now = System.currentTimeMillis() / 1000;
        Files.writeString(previous, "# retired " + (now - 100) + "\n" + TestKeys.stranger().publicKeyPem()
                + "# retired " + now + "\n" + TestKeys.trusted().publicKeyPem());
        SigningKeys keys = new SigningKeys(Optional.of(pem.toString()), Optional.empty(), Optional.of(previous.toString()),
                Duration.ofSeconds(360));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> jwks = (List<Map<String, Object>>) keys.jwks().get("keys");
        assertEquals(List.of(TestKeys.trusted().kid(), TestKeys.stranger().kid()), jwks.stream().map(k -> k.get("kid")).toList());
        assertEquals(TestKeys.trusted().kid(), keys.kid());
        jwks.forEach(k -> assertEquals(List.of("alg", "e", "kid", "kty", "n", "use"), k.keySet().stream().sorted().toList()));
    }

    @Test
    void aPreviousKeysFileWithoutAKeyStopsStartUp() throws Exception {
        Path previous = dir.resolve("previous-public-keys.pem");
        Files.writeString(previous, TestKeys.trusted().privateKeyPem());
        assertThrows(IllegalStateException.class,
                () -> new SigningKeys(Optional.empty(), Optional.empty(), Optional.of(previous.toString()), Duration.ofSeconds(360)));
    }

    @Test
    void aPreviousKeyIsDroppedOnceNoTokenItSignedCanBeValidWithoutARestart() throws Exception {
        Path pem = TestKeys.trusted().writeTo(dir).resolve("private-key.pem");
        Path previous = dir.resolve("previous-public-keys.pem");
        TestKeys older = TestKeys.fresh();
        Files.writeString(previous, "# Retired signing keys\n# retired 1800000000\n" + older.publicKeyPem()
                + "# retired 1800000100\n" + TestKeys.stranger().publicKeyPem());
        MutableClock clock = new MutableClock(Instant.ofEpochSecond(1800000100));
        SigningKeys keys = new SigningKeys(Optional.of(pem.toString()), Optional.empty(), Optional.of(previous.toString()),
                Duration.ofSeconds(360), clock);
        assertEquals(List.of(TestKeys.trusted().kid(), older.kid(), TestKeys.stranger().kid()), kids(keys));
        clock.now = Instant.ofEpochSecond(1800000000 + 359);
        assertEquals(List.of(TestKeys.trusted().kid(), older.kid(), TestKeys.stranger().kid()), kids(keys));
        clock.now = Instant.ofEpochSecond(1800000000 + 360);
        assertEquals(List.of(TestKeys.trusted().kid(), TestKeys.stranger().kid()), kids(keys));
        clock.now = Instant.ofEpochSecond(1800000100 + 360);
        assertEquals(List.of(TestKeys.trusted().kid()), kids(keys));
    }

    @Test
    void theRetirementWindowIsTheLongestTokenLifetimePlusTheClockSkew() throws Exception {
        Path previous = dir.resolve("previous-public-keys.pem");
        long now = System.currentTimeMillis() / 1000;
        // Retired 400 s ago: past 300 + 60, within 300 + 120 and within 600 + 60.
        Files.writeString(previous, "# retired " + (now - 400) + "\n" + TestKeys.stranger().publicKeyPem());
        Optional<String> at = Optional.of(previous.toString());
        assertEquals(1, kids(new SigningKeys(Optional.empty(), Optional.empty(), at, 300, 300, 60, 60, 0)).size());
        assertEquals(2, kids(new SigningKeys(Optional.empty(), Optional.empty(), at, 300, 300, 60, 120, 0)).size());
        assertEquals(2, kids(new SigningKeys(Optional.empty(), Optional.empty(), at, 600, 300, 60, 60, 0)).size());
        assertEquals(2, kids(new SigningKeys(Optional.empty(), Optional.empty(), at, 300, 300, 60, 0, 120)).size());
    }

    @Test
    void aPreviousKeyWithoutItsRetirementTimeStopsStartUp() throws Exception {
        Path previous = dir.resolve("previous-public-keys.pem");
        Files.writeString(previous, "# retired 1800000000\n" + TestKeys.fresh().publicKeyPem() + "# a comment\n"
                + TestKeys.stranger().publicKeyPem());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SigningKeys(Optional.empty(), Optional.empty(), Optional.of(previous.toString()), Duration.ofSeconds(360)));
        assertTrue(e.getMessage().contains("# retired <epoch seconds>"), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static List<Object> kids(SigningKeys keys) {
        return ((List<Map<String, Object>>) keys.jwks().get("keys")).stream().map(k -> k.get("kid")).toList();
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
