package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mindrot.jbcrypt.BCrypt;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** k8s/generate-secrets.sh and the Secrets it feeds into the render. */
class SecretsTest {

    /** The host of the gateway's Ingress, for which the script makes a self-signed certificate. */
    private static final String TLS_HOST = "access-token.local";

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
        for (String key : List.of("private-key.pem", "public-key.pem", "previous-public-keys.pem")) {
            assertEquals(Files.readString(Kustomize.preparedCopy().resolve("secrets").resolve(key)),
                    decode(secret.getData().get(key)), key);
        }
    }

    @Test
    void generatesASelfSignedCertificateForTheIngressHostWithItsKey() throws Exception {
        Path secrets = Kustomize.preparedCopy().resolve("secrets");
        X509Certificate cert = certificate(Files.readString(secrets.resolve("tls.crt")));
        assertEquals(List.of(TLS_HOST), dnsNames(cert));
        cert.checkValidity();
        assertEquals(Duration.ofDays(365), Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertStrongKey(cert.getPublicKey());

        String keyPem = Files.readString(secrets.resolve("tls.key"));
        assertTrue(keyPem.startsWith("-----BEGIN PRIVATE KEY-----"), "not PKCS#8 PEM:\n" + keyPem.lines().findFirst().orElse(""));
        PrivateKey key = privateKey(keyPem, cert.getPublicKey().getAlgorithm());
        assertTrue(keyMatches(key, cert.getPublicKey()), "tls.key does not belong to tls.crt");
        var other = KeyPairGenerator.getInstance(cert.getPublicKey().getAlgorithm()).generateKeyPair();
        assertFalse(keyMatches(other.getPrivate(), cert.getPublicKey()), "the key match test matches any key");
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theRenderedTlsSecretCarriesTheGeneratedCertificateForTheIngressHosts(Overlay overlay) throws Exception {
        Manifests m = overlay.manifests();
        Secret secret = m.get(Secret.class, "api-gateway-tls");
        assertEquals("kubernetes.io/tls", secret.getType());
        Path secrets = Kustomize.preparedCopy().resolve("secrets");
        for (String key : List.of("tls.crt", "tls.key")) {
            assertEquals(Files.readString(secrets.resolve(key)), decode(secret.getData().get(key)), key);
        }
        List<String> sans = dnsNames(certificate(decode(secret.getData().get("tls.crt"))));
        for (Ingress ingress : m.all(Ingress.class)) {
            Set<String> hosts = new TreeSet<>();
            ingress.getSpec().getTls().forEach(t -> hosts.addAll(t.getHosts()));
            ingress.getSpec().getRules().stream().map(IngressRule::getHost).filter(Objects::nonNull).forEach(hosts::add);
            for (String host : hosts) {
                assertTrue(sans.stream().anyMatch(san -> ManifestChecks.covers(san, host)),
                        Manifests.describe(ingress) + " host " + host + " is not in the certificate's SANs " + sans);
            }
        }
    }

    /** The demo client's secret, and the SHA-256 the gateway's demo profile holds. */
    private static final String DEMO_CLIENT_SECRET = "order-service-secret";

    /** Without --demo, no rendered Secret lets a demo password or the demo client secret in. */
    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theRenderedSecretsHoldNoDemoCredentialWithoutDemo(Overlay overlay) {
        Manifests m = overlay.manifests();
        Secret users = m.get(Secret.class, "gateway-users");
        assertEquals(DEMO_PASSWORDS.keySet(), users.getData().keySet());
        users.getData().forEach((key, value) -> {
            String hash = decode(value);
            assertTrue(hash.startsWith("$2a$10$") && hash.length() == 60, key + " is not a cost-10 $2a$ bcrypt hash: " + hash);
            DEMO_PASSWORDS.values().forEach(demo -> assertFalse(BCrypt.checkpw(demo, hash), key + " verifies the demo password " + demo));
        });
        Map<String, String> client = decodeAll(m.get(Secret.class, "order-service-client").getData());
        assertNotEquals(DEMO_CLIENT_SECRET, client.get("client-secret"));
        assertNotEquals(sha256Hex(DEMO_CLIENT_SECRET), client.get("client-secret-hash"));
    }

    /** Each user's random password is written beside the Secrets, outside any of them, and verifies its hash. */
    @Test
    void eachUserGetsARandomPasswordWrittenBesideTheSecrets() throws IOException {
        Path secrets = Kustomize.preparedCopy().resolve("secrets");
        Map<String, String> passwords = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(secrets.resolve("user-passwords.txt"))) {
            if (!line.startsWith("#")) {
                passwords.put(line.substring(0, line.indexOf(": ")), line.substring(line.indexOf(": ") + 2));
            }
        }
        assertEquals(Set.of("alice", "bob", "admin"), passwords.keySet());
        Map<String, String> hashes = envFile(secrets.resolve("gateway-users.env"));
        passwords.forEach((user, password) -> {
            assertTrue(password.matches("[A-Za-z0-9_-]{24}"), user + ": not 144 random bits in base64url");
            assertTrue(BCrypt.checkpw(password, hashes.get(user + "-password-hash")), user + "'s password does not verify its hash");
        });
        assertEquals(3, Set.copyOf(passwords.values()).size(), "two users have the same password");
        assertEquals("rw-------", permissions(secrets.resolve("user-passwords.txt")));
        assertFalse(Files.readString(secrets.resolve("kustomization.yaml")).contains("user-passwords"), "in a Secret");
        for (Overlay overlay : Overlay.values()) {
            for (Secret secret : overlay.manifests().all(Secret.class)) {
                secret.getData().values().forEach(v -> passwords.values().forEach(p -> assertFalse(decode(v).contains(p),
                        Manifests.describe(secret) + " holds a password in clear text")));
            }
        }
    }

    /** --demo: the demo users and client, said loudly; a later run without it replaces them with random ones. */
    @Test
    void demoWritesTheDemoCredentialsLoudlyAndARunWithoutItReplacesThem() throws IOException {
        Path script = Kustomize.sourceDir().resolve("generate-secrets.sh");
        Path out = Files.createTempDirectory("k8s-secrets-");
        try {
            String said = Kustomize.run(List.of("bash", script.toString(), "--demo", out.toString()));
            assertTrue(said.contains("DEMO CREDENTIALS") && said.contains("QUARKUS_PROFILE=prod,demo"), said);
            Map<String, String> users = envFile(out.resolve("gateway-users.env"));
            DEMO_PASSWORDS.forEach((key, password) -> assertTrue(BCrypt.checkpw(password, users.get(key)), key));
            assertEquals(Map.of("client-secret", DEMO_CLIENT_SECRET, "client-secret-hash", sha256Hex(DEMO_CLIENT_SECRET)),
                    envFile(out.resolve("order-service-client.env")));
            assertFalse(Files.exists(out.resolve("user-passwords.txt")));

            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            Map<String, String> real = envFile(out.resolve("gateway-users.env"));
            DEMO_PASSWORDS.forEach((key, password) -> assertFalse(BCrypt.checkpw(password, real.get(key)), key + " kept the demo hash"));
            assertNotEquals(DEMO_CLIENT_SECRET, envFile(out.resolve("order-service-client.env")).get("client-secret"));
            assertTrue(Files.exists(out.resolve("user-passwords.txt")));
        } finally {
            Kustomize.deleteRecursively(out);
        }
    }

    /** The trusted proxies have no default: the script writes nothing without TRUSTED_PROXIES, and never trusts everyone. */
    @Test
    void theTrustedProxiesAreRequiredAndComeFromTheDeployment() throws IOException {
        Path script = Kustomize.sourceDir().resolve("generate-secrets.sh");
        Path out = Files.createTempDirectory("k8s-secrets-");
        try {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> Kustomize.run(List.of("env", "-u", "TRUSTED_PROXIES", "bash", script.toString(), out.toString())));
            assertTrue(e.getMessage().contains("TRUSTED_PROXIES is required"), e.getMessage());
            for (String everyone : List.of("0.0.0.0/0", "10.0.0.0/8,::/0", "", "10.0.0.0/8;rm")) {
                assertFalse(runs(List.of("env", "TRUSTED_PROXIES=" + everyone, "bash", script.toString(), out.toString())),
                        "ran with TRUSTED_PROXIES=" + everyone);
            }
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(List.of(), files.toList(), "written without trusted proxies");
            }
            // Given once, kept on later runs.
            Kustomize.run(List.of("env", "TRUSTED_PROXIES=192.0.2.0/28,2001:db8::/64", "bash", script.toString(), out.toString()));
            Kustomize.run(List.of("env", "-u", "TRUSTED_PROXIES", "bash", script.toString(), out.toString()));
            assertEquals(Map.of("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "192.0.2.0/28,2001:db8::/64"),
                    envFile(out.resolve("trusted-proxies.env")));
        } finally {
            Kustomize.deleteRecursively(out);
        }
        // The committed manifests name no proxies; the rendered gateway gets exactly the deployment's.
        assertFalse(Files.readString(Kustomize.sourceDir().resolve("base/kustomization.yaml")).contains("TRUSTED_PROXIES="));
        for (Overlay overlay : Overlay.values()) {
            assertEquals(Kustomize.TRUSTED_PROXIES,
                    RenderedManifestsTest.environment(overlay.manifests(), "api-gateway").get("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"));
        }
    }

    private static boolean runs(List<String> command) {
        try {
            Kustomize.run(command);
            return true;
        } catch (IllegalStateException failed) {
            return false;
        }
    }

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void databaseCredentialsAreRandomPerDatabaseAndRendered(Overlay overlay) throws IOException {
        Path secrets = Kustomize.preparedCopy().resolve("secrets");
        Map<String, String> users = Map.of("gateway-db-credentials", "api_gateway", "order-db-credentials", "order_service",
                "customer-db-credentials", "customer_service");
        Set<String> passwords = new TreeSet<>();
        users.forEach((name, user) -> {
            Map<String, String> file = envFile(secrets.resolve(name + ".env"));
            assertEquals(Set.of("username", "password", "app-username", "app-password"), file.keySet(), name);
            assertEquals(user, file.get("username"), name);
            // The runtime role the service connects as: another role, another password.
            assertEquals(user + "_app", file.get("app-username"), name);
            assertTrue(file.get("password").matches("[0-9a-f]{48}"), name + ": not 192 random bits in hex");
            assertTrue(file.get("app-password").matches("[0-9a-f]{48}"), name + ": not 192 random bits in hex");
            passwords.add(file.get("password"));
            passwords.add(file.get("app-password"));
            Secret secret = overlay.manifests().get(Secret.class, name);
            assertEquals("Opaque", secret.getType());
            assertEquals(file, decodeAll(secret.getData()), name + " in the render");
        });
        assertEquals(6, passwords.size(), "two database roles have the same password");
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void clientSecretHashIsTheSha256OfTheClientSecret(Overlay overlay) throws IOException {
        Map<String, String> file = envFile(Kustomize.preparedCopy().resolve("secrets").resolve("order-service-client.env"));
        Secret secret = overlay.manifests().get(Secret.class, "order-service-client");
        assertEquals(file, decodeAll(secret.getData()));
        assertEquals(Set.of("client-secret", "client-secret-hash"), file.keySet());
        String clientSecret = file.get("client-secret");
        String hash = file.get("client-secret-hash");
        assertTrue(clientSecret.matches("[0-9a-f]{64}"), "not 256 random bits in hex");
        assertTrue(hash.matches("[0-9a-f]{64}"), "not a hex SHA-256: " + hash);
        assertEquals(sha256Hex(clientSecret), hash, "the hash is not the SHA-256 of the client secret");
        assertFalse(hash.contains(clientSecret));
    }

    /** order-service's cursor key: 256 random bits, one Secret that every replica reads. */
    @ParameterizedTest
    @EnumSource(Overlay.class)
    void theCursorKeyIsRandomAndInTheRender(Overlay overlay) throws IOException {
        Map<String, String> file = envFile(Kustomize.preparedCopy().resolve("secrets").resolve("order-cursor-key.env"));
        assertEquals(Set.of("key"), file.keySet());
        assertTrue(file.get("key").matches("[0-9a-f]{64}"), "not 256 random bits in hex");
        assertEquals(file, decodeAll(overlay.manifests().get(Secret.class, "order-cursor-key").getData()));
    }

    @Test
    void everyRunOfTheScriptMakesOtherPasswords() throws IOException {
        Path script = Kustomize.sourceDir().resolve("generate-secrets.sh");
        Path out = Files.createTempDirectory("k8s-secrets-");
        try {
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            Path first = Kustomize.preparedCopy().resolve("secrets");
            for (String file : List.of("gateway-db-credentials.env", "order-db-credentials.env", "customer-db-credentials.env",
                    "order-service-client.env", "gateway-users.env", "user-passwords.txt", "order-cursor-key.env")) {
                assertNotEquals(Files.readString(first.resolve(file)), Files.readString(out.resolve(file)), file);
            }
        } finally {
            Kustomize.deleteRecursively(out);
        }
    }

    /** --rotate: a new signing key; the old public key stays published until its tokens have expired. */
    @Test
    void rotatingKeepsThePreviousPublicKeysForAWhileAndNothingElseChanges() throws Exception {
        Path script = Kustomize.sourceDir().resolve("generate-secrets.sh");
        Path out = Files.createTempDirectory("k8s-secrets-");
        try {
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            assertEquals(List.of(), publicKeys(Files.readString(out.resolve("previous-public-keys.pem"))));
            String first = Files.readString(out.resolve("public-key.pem"));
            Map<String, String> envs = envFiles(out);
            Kustomize.run(List.of("bash", script.toString(), "--rotate", out.toString()));
            String second = Files.readString(out.resolve("public-key.pem"));
            assertNotEquals(first, second);
            assertEquals(List.of(first.strip()), publicKeys(Files.readString(out.resolve("previous-public-keys.pem"))));
            assertEquals(envs, envFiles(out), "a rotation changes the signing key only");
            // The new private key matches the new public key.
            var priv = (RSAPrivateCrtKey) privateKey(Files.readString(out.resolve("private-key.pem")), "RSA");
            var pub = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(second)));
            assertEquals(priv.getModulus(), pub.getModulus());
            // A second rotation keeps both retired keys while they are young ...
            Kustomize.run(List.of("bash", script.toString(), "--rotate", out.toString()));
            assertEquals(List.of(first.strip(), second.strip()),
                    publicKeys(Files.readString(out.resolve("previous-public-keys.pem"))));
            // ... and drops those retired longer ago than RETIRE_AFTER_SECONDS.
            Kustomize.run(List.of("env", "RETIRE_AFTER_SECONDS=-1", "bash", script.toString(), "--rotate", out.toString()));
            List<String> kept = publicKeys(Files.readString(out.resolve("previous-public-keys.pem")));
            assertEquals(1, kept.size(), kept.toString());
            assertTrue(!kept.contains(first.strip()) && !kept.contains(second.strip()));
        } finally {
            Kustomize.deleteRecursively(out);
        }
    }

    /** --revoke: the previous keys are gone at once; nothing else changes. */
    @Test
    void revokingDropsThePreviousKeysAndNothingElse() throws Exception {
        Path script = Kustomize.sourceDir().resolve("generate-secrets.sh");
        Path out = Files.createTempDirectory("k8s-secrets-");
        try {
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            Kustomize.run(List.of("bash", script.toString(), "--rotate", out.toString()));
            String rotated = Files.readString(out.resolve("previous-public-keys.pem"));
            assertEquals(1, publicKeys(rotated).size());
            // Each retired key carries its retirement time, which the gateway reads.
            assertTrue(java.util.regex.Pattern.compile("(?m)^# retired \\d{10}\n-----BEGIN PUBLIC KEY-----").matcher(rotated).find(),
                    rotated);
            Map<String, String> before = new java.util.TreeMap<>();
            try (Stream<Path> files = Files.list(out)) {
                for (Path f : files.toList()) {
                    before.put(f.getFileName().toString(), Files.readString(f));
                }
            }
            Kustomize.run(List.of("bash", script.toString(), "--revoke", out.toString()));
            assertEquals(List.of(), publicKeys(Files.readString(out.resolve("previous-public-keys.pem"))));
            try (Stream<Path> files = Files.list(out)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (!name.equals("previous-public-keys.pem")) {
                        assertEquals(before.get(name), Files.readString(f), name + " changed");
                    }
                }
            }
            assertEquals(before.keySet(), new TreeSet<>(before.keySet()));
        } finally {
            Kustomize.deleteRecursively(out);
        }
    }

    private static List<String> publicKeys(String pem) {
        return java.util.regex.Pattern.compile("-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----").matcher(pem)
                .results().map(java.util.regex.MatchResult::group).toList();
    }

    @Test
    void keepsAnExistingKeyUnlessForced() throws IOException {
        Path script = Kustomize.sourceDir().resolve("generate-secrets.sh");
        Path out = Files.createTempDirectory("k8s-secrets-");
        try {
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            String first = Files.readString(out.resolve("private-key.pem"));
            String firstCert = Files.readString(out.resolve("tls.crt"));
            String firstTlsKey = Files.readString(out.resolve("tls.key"));
            Map<String, String> firstEnvs = envFiles(out);
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            assertEquals(first, Files.readString(out.resolve("private-key.pem")));
            assertEquals(firstCert, Files.readString(out.resolve("tls.crt")));
            assertEquals(firstTlsKey, Files.readString(out.resolve("tls.key")));
            // A database takes its password once, on its empty volume: a rerun must not change it.
            assertEquals(firstEnvs, envFiles(out));
            Kustomize.run(List.of("bash", script.toString(), "--force", out.toString()));
            assertNotEquals(first, Files.readString(out.resolve("private-key.pem")));
            assertNotEquals(firstCert, Files.readString(out.resolve("tls.crt")));
            assertNotEquals(firstTlsKey, Files.readString(out.resolve("tls.key")));
            Map<String, String> forcedEnvs = envFiles(out);
            assertEquals(Set.of("gateway-users.env", "gateway-db-credentials.env", "order-db-credentials.env",
                    "customer-db-credentials.env", "order-service-client.env", "trusted-proxies.env", "order-cursor-key.env"),
                    firstEnvs.keySet());
            for (String file : List.of("gateway-db-credentials.env", "order-db-credentials.env", "customer-db-credentials.env",
                    "order-service-client.env", "gateway-users.env", "order-cursor-key.env")) {
                assertNotEquals(firstEnvs.get(file), forcedEnvs.get(file), file + " survived --force");
            }
            // Without one env file, only that one is made anew.
            Files.delete(out.resolve("customer-db-credentials.env"));
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            Map<String, String> renewed = envFiles(out);
            assertNotEquals(forcedEnvs.get("customer-db-credentials.env"), renewed.get("customer-db-credentials.env"));
            assertEquals(forcedEnvs.get("order-db-credentials.env"), renewed.get("order-db-credentials.env"));
            assertEquals(forcedEnvs.get("gateway-db-credentials.env"), renewed.get("gateway-db-credentials.env"));
            assertEquals(forcedEnvs.get("order-service-client.env"), renewed.get("order-service-client.env"));
            assertEquals(forcedEnvs.get("order-cursor-key.env"), renewed.get("order-cursor-key.env"));
            // Without its certificate and key, only those are made anew; the signing key stays.
            String second = Files.readString(out.resolve("private-key.pem"));
            String secondCert = Files.readString(out.resolve("tls.crt"));
            Files.delete(out.resolve("tls.crt"));
            Files.delete(out.resolve("tls.key"));
            Kustomize.run(List.of("bash", script.toString(), out.toString()));
            assertEquals(second, Files.readString(out.resolve("private-key.pem")));
            assertNotEquals(secondCert, Files.readString(out.resolve("tls.crt")));
            String kustomization = Files.readString(out.resolve("kustomization.yaml"));
            assertTrue(kustomization.contains("name: jwt-signing-key") && kustomization.contains("name: gateway-users"), kustomization);
            assertTrue(kustomization.contains("name: api-gateway-tls") && kustomization.contains("type: kubernetes.io/tls")
                    && kustomization.contains("- tls.crt") && kustomization.contains("- tls.key"), kustomization);
            for (String name : List.of("gateway-db-credentials", "order-db-credentials", "customer-db-credentials", "order-service-client",
                    "order-cursor-key")) {
                assertTrue(kustomization.contains("name: " + name) && kustomization.contains("- " + name + ".env"), kustomization);
            }
            try (Stream<Path> files = Files.list(out)) {
                files.forEach(f -> assertEquals("rw-------", permissions(f), f + " is readable by others"));
            }
        } finally {
            Kustomize.deleteRecursively(out);
        }
    }

    /**
     * A database Secret written before the runtime roles: a rerun keeps its owner and password and adds
     * the runtime role, so that the render's services and databases again find every key they read.
     */
    @Test
    void anOlderDatabaseSecretGainsTheRuntimeRoleAndKeepsItsOwner() throws IOException {
        Path k8s = Kustomize.copyWithoutSecrets(Kustomize.sourceDir());
        try {
            Path script = k8s.resolve("generate-secrets.sh");
            Path secrets = k8s.resolve("secrets");
            Kustomize.run(List.of("bash", script.toString()));
            Path file = secrets.resolve("order-db-credentials.env");
            Map<String, String> owner = envFile(file);
            Files.writeString(file, "username=" + owner.get("username") + "\npassword=" + owner.get("password") + "\n");
            Kustomize.run(List.of("bash", script.toString()));
            Map<String, String> after = envFile(file);
            assertEquals(owner.get("username"), after.get("username"));
            assertEquals(owner.get("password"), after.get("password"));
            assertEquals("order_service_app", after.get("app-username"));
            assertTrue(after.get("app-password").matches("[0-9a-f]{48}"), "not 192 random bits in hex");
            assertNotEquals(owner.get("app-password"), after.get("app-password"));
            assertEquals("rw-------", permissions(file));
            Manifests m = Manifests.parse(Kustomize.run(List.of(Kustomize.KUBECTL, "kustomize", k8s.resolve("overlays/native").toString())));
            assertEquals(after, decodeAll(m.get(Secret.class, "order-db-credentials").getData()));
            assertEquals(List.of(), ManifestChecks.references(m));
            assertEquals(List.of(), ManifestChecks.databases(m));
        } finally {
            Kustomize.deleteRecursively(k8s);
        }
    }

    /**
     * A k8s/secrets/ written before the gateway had a database: a rerun keeps every key, password and
     * secret there and adds gateway-db-credentials, with which the render then holds together.
     */
    @Test
    void anOlderSecretsFolderGainsTheGatewayDatabaseCredentials() throws IOException {
        Path k8s = Kustomize.copyWithoutSecrets(Kustomize.sourceDir());
        try {
            Path script = k8s.resolve("generate-secrets.sh");
            Path secrets = k8s.resolve("secrets");
            Kustomize.run(List.of("bash", script.toString()));
            // As the script wrote it before: no gateway-db-credentials, neither the file nor its entry.
            Files.delete(secrets.resolve("gateway-db-credentials.env"));
            String kustomization = Files.readString(secrets.resolve("kustomization.yaml"));
            String entry = "  - name: gateway-db-credentials\n    type: Opaque\n    envs:\n      - gateway-db-credentials.env\n";
            assertTrue(kustomization.contains(entry), kustomization);
            Files.writeString(secrets.resolve("kustomization.yaml"), kustomization.replace(entry, ""));
            Map<String, String> before = envFiles(secrets);
            String key = Files.readString(secrets.resolve("private-key.pem"));
            String cert = Files.readString(secrets.resolve("tls.crt"));

            Kustomize.run(List.of("bash", script.toString()));
            Map<String, String> after = envFiles(secrets);
            before.forEach((file, content) -> assertEquals(content, after.get(file), file + " changed"));
            assertEquals(key, Files.readString(secrets.resolve("private-key.pem")));
            assertEquals(cert, Files.readString(secrets.resolve("tls.crt")));
            Map<String, String> gateway = envFile(secrets.resolve("gateway-db-credentials.env"));
            assertEquals("api_gateway", gateway.get("username"));
            assertTrue(gateway.get("password").matches("[0-9a-f]{48}"), "not 192 random bits in hex");
            assertEquals("rw-------", permissions(secrets.resolve("gateway-db-credentials.env")));

            Manifests m = Manifests.parse(Kustomize.run(List.of(Kustomize.KUBECTL, "kustomize", k8s.resolve("overlays/native").toString())));
            assertEquals(gateway, decodeAll(m.get(Secret.class, "gateway-db-credentials").getData()));
            assertEquals(List.of(), ManifestChecks.references(m));
            assertEquals(List.of(), ManifestChecks.databases(m));
        } finally {
            Kustomize.deleteRecursively(k8s);
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

    /** The key=value lines of a kustomize env file. */
    private static Map<String, String> envFile(Path file) {
        Map<String, String> values = new java.util.TreeMap<>();
        for (String line : read(file).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    /** The contents of every .env file in a folder, by file name. */
    private static Map<String, String> envFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".env"))
                    .collect(java.util.stream.Collectors.toMap(f -> f.getFileName().toString(), SecretsTest::read));
        }
    }

    private static Map<String, String> decodeAll(Map<String, String> data) {
        Map<String, String> decoded = new java.util.TreeMap<>();
        data.forEach((k, v) -> decoded.put(k, decode(v)));
        return decoded;
    }

    private static String permissions(Path p) {
        try {
            return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static X509Certificate certificate(String pem) throws GeneralSecurityException {
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), "not a PEM certificate:\n" + pem.lines().findFirst().orElse(""));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The certificate's DNS subjectAltNames. */
    private static List<String> dnsNames(X509Certificate cert) throws GeneralSecurityException {
        Collection<List<?>> names = cert.getSubjectAlternativeNames();
        assertTrue(names != null, "the certificate has no subjectAltName");
        return names.stream().filter(n -> Integer.valueOf(2).equals(n.get(0))).map(n -> (String) n.get(1)).toList();
    }

    private static PrivateKey privateKey(String pem, String algorithm) throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
    }

    /** EC on P-256 or RSA of 2048 bits or more. */
    private static void assertStrongKey(PublicKey key) {
        if (key instanceof ECPublicKey ec) {
            assertEquals(256, ec.getParams().getCurve().getField().getFieldSize(), "EC key not on a 256-bit curve");
        } else if (key instanceof RSAPublicKey rsa) {
            assertTrue(rsa.getModulus().bitLength() >= 2048, "RSA key of " + rsa.getModulus().bitLength() + " bits");
        } else {
            fail("unexpected key algorithm " + key.getAlgorithm());
        }
    }

    /** Whether a signature made with the private key verifies with the public key. */
    private static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
        String algorithm = "SHA256with" + ("EC".equals(publicKey.getAlgorithm()) ? "ECDSA" : publicKey.getAlgorithm());
        byte[] data = new byte[64];
        new SecureRandom().nextBytes(data);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(data);
        return verifier.verify(signature);
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static String decode(String base64) {
        return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
