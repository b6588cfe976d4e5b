package dev.accesstoken.gateway.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
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
        Files.writeString(previous, "# retired 1700000000\n" + TestKeys.stranger().publicKeyPem()
                + "# retired 1700000100\n" + TestKeys.trusted().publicKeyPem());
        SigningKeys keys = new SigningKeys(Optional.of(pem.toString()), Optional.empty(), Optional.of(previous.toString()));
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
                () -> new SigningKeys(Optional.empty(), Optional.empty(), Optional.of(previous.toString())));
    }
}
