package dev.accesstoken.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;

/**
 * An RSA key pair made for one test run, never written to the repository.
 * {@link #trusted()} is the key the services under test trust; {@link #stranger()} is a key they do not.
 */
public final class TestKeys {

    private static final TestKeys TRUSTED = generate();
    private static final TestKeys STRANGER = generate();

    private final KeyPair keyPair;
    private final String kid;

    private TestKeys(KeyPair keyPair) {
        this.keyPair = keyPair;
        this.kid = new RsaJsonWebKey((RSAPublicKey) keyPair.getPublic())
                .calculateBase64urlEncodedThumbprint("SHA-256");
    }

    public static TestKeys trusted() {
        return TRUSTED;
    }

    public static TestKeys stranger() {
        return STRANGER;
    }

    /** A new pair each call: the next signing key of a key rotation. */
    public static TestKeys fresh() {
        return generate();
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    /** RFC 7638 thumbprint, the same kid the gateway puts in its tokens. */
    public String kid() {
        return kid;
    }

    /** The public key as a JWK Set, as the gateway publishes it. */
    public String jwks() {
        RsaJsonWebKey jwk = new RsaJsonWebKey((RSAPublicKey) keyPair.getPublic());
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("RS256");
        return new JsonWebKeySet(jwk).toJson(OutputControlLevel.PUBLIC_ONLY);
    }

    /** PKCS#8 PEM of the private key, for a gateway under test to sign with. */
    public String privateKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keyPair.getPrivate().getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
    }

    /** X.509 SubjectPublicKeyInfo PEM of the public key, as `openssl pkey -pubout` writes it. */
    public String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keyPair.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
    }

    /** Writes the JWKS and the private key to a fresh temporary folder and returns it. */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("jwks.json"), jwks());
            Files.writeString(dir.resolve("private-key.pem"), privateKeyPem());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TestKeys(generator.generateKeyPair());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
