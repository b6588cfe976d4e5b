package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;
import org.mindrot.jbcrypt.BCrypt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** k8s/generate-secrets.sh and the Secrets it feeds into the render. */
class SecretsTest {

    private static final Map<String, String> DEMO_PASSWORDS =
            Map.of("alice-password-hash", "alice", "bob-password-hash", "bob", "admin-password-hash", "admin");

    @Test
    void generatesAPkcs8Rsa2048KeyPair() throws Exception {
        Path secrets = Kustomize.preparedCopy().resolve("secrets");
        String privatePem = Files.readString(secrets.resolve("private-key.pem"));
        assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----"), "not PKCS#8 PEM:\n" + privatePem.lines().findFirst().orElse(""));
        var privateKey = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(privatePem)));
        var publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(der(Files.readString(secrets.resolve("public-key.pem")))));
        assertEquals(2048, privateKey.getModulus().bitLength());
        assertEquals(privateKey.getModulus(), publicKey.getModulus());
        assertEquals(privateKey.getPublicExponent(), publicKey.getPublicExponent());
    }

    @Test
    void theRenderedSecretCarriesTheGeneratedKey() throws IOException {
        Secret secret = Overlay.NATIVE.manifests().get(Secret.class, "jwt-signing-key");
        for (String key : List.of("private-key.pem", "public-key.pem")) {
            assertEquals(Files.readString(Kustomize.preparedCopy().resolve("secrets").resolve(key)),
                    decode(secret.getData().get(key)), key);
        }
    }

    @Test
    void demoUsersHashesAreBcryptOfTheDemoPasswords() {
        Secret users = Overlay.NATIVE.manifests().get(Secret.class, "gateway-users");
        assertEquals(DEMO_PASSWORDS.keySet(), users.getData().keySet());
        DEMO_PASSWORDS.forEach((key, password) -> {
            String hash = decode(users.getData().get(key));
            assertTrue(hash.startsWith("$2a$10$"), key + " is not a cost-10 $2a$ bcrypt hash: " + hash);
            assertTrue(BCrypt.checkpw(password, hash), key + " does not match the demo password");
            DEMO_PASSWORDS.values().stream().filter(other -> !other.equals(password))
                    .forEach(other -> assertFalse(BCrypt.checkpw(other, hash), key + " also matches " + other));
        });
    }

    @Test
    void keepsAnExistingKeyUnlessForced() throws IOException {
        Path script = Kustomize.sourceDir().resolve("generate-secrets.sh");
        Path out = Files.createTempDirectory("k8s-secrets-");
        try {
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            String first = Files.readString(out.resolve("private-key.pem"));
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            assertEquals(first, Files.readString(out.resolve("private-key.pem")));
            Kustomize.run(List.of("bash", script.toString(), "--force", out.toString()));
            assertNotEquals(first, Files.readString(out.resolve("private-key.pem")));
            String kustomization = Files.readString(out.resolve("kustomization.yaml"));
            assertTrue(kustomization.contains("name: jwt-signing-key") && kustomization.contains("name: gateway-users"), kustomization);
        } finally {
            Kustomize.deleteRecursively(out);
        }
    }

    @Test
    void noPrivateKeyIsCommittedUnderK8s() throws IOException {
        Path k8s = Kustomize.sourceDir();
        try (Stream<Path> files = Files.walk(k8s)) {
            List<Path> withKeys = files.filter(Files::isRegularFile)
                    .filter(p -> !k8s.relativize(p).startsWith("secrets"))
                    .filter(p -> read(p).contains("PRIVATE KEY-----"))
                    .toList();
            assertEquals(List.of(), withKeys);
        }
        String gitignore = Files.readString(k8s.resolveSibling(".gitignore"));
        assertTrue(gitignore.lines().anyMatch(l -> l.strip().equals("k8s/secrets/")), ".gitignore must ignore k8s/secrets/");
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static String decode(String base64) {
        return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
