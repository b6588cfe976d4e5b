package dev.accesstoken.gateway.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.RsaJsonWebKey;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;

/**
 * The gateway's RS256 signing key: read from {@code smallrye.jwt.sign.key.location} (PKCS#8 PEM), or,
 * when that is unset, an ephemeral pair made at start-up. Its public half is published as a JWK Set,
 * together with the previous keys of {@code gateway.signing.previous-keys-location} (public keys, PEM),
 * so that tokens signed before a key rotation stay valid until they expire.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String kid;
    private final List<RSAPublicKey> previousKeys;

    @Inject
    public SigningKeys(@ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> location,
            @ConfigProperty(name = "smallrye.jwt.sign.key.id") Optional<String> keyId,
            @ConfigProperty(name = "gateway.signing.previous-keys-location") Optional<String> previousKeysLocation) {
        KeyPair pair = location.filter(l -> !l.isBlank()).map(SigningKeys::load).orElseGet(SigningKeys::ephemeral);
        this.privateKey = pair.getPrivate();
        this.publicKey = (RSAPublicKey) pair.getPublic();
        this.kid = keyId.filter(k -> !k.isBlank()).orElseGet(() -> thumbprint(publicKey));
        this.previousKeys = previousKeysLocation.filter(l -> !l.isBlank()).map(SigningKeys::loadPublicKeys)
                .orElse(List.of()).stream().filter(k -> !thumbprint(k).equals(thumbprint(publicKey))).toList();
        if (!previousKeys.isEmpty()) {
            LOG.infof("Publishing %d previous key(s) beside the signing key: %s", previousKeys.size(),
                    previousKeys.stream().map(SigningKeys::thumbprint).toList());
        }
    }

    /** Without previous keys. */
    public SigningKeys(Optional<String> location, Optional<String> keyId) {
        this(location, keyId, Optional.empty());
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    /** The {@code kid} header of every token: by default the RFC 7638 JWK thumbprint of the public key. */
    public String kid() {
        return kid;
    }

    /** The signing key first, then the previous ones, as a JWK Set (RFC 7517), each with kid, use and alg. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new java.util.ArrayList<>();
        keys.add(jwk(publicKey, kid));
        previousKeys.forEach(k -> keys.add(jwk(k, thumbprint(k))));
        return Map.of("keys", keys);
    }

    private static Map<String, Object> jwk(RSAPublicKey key, String kid) {
        RsaJsonWebKey jwk = new RsaJsonWebKey(key);
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("RS256");
        return jwk.toParams(OutputControlLevel.PUBLIC_ONLY);
    }

    /** Every "PUBLIC KEY" PEM block of the file; text between blocks (comments) is ignored. */
    static List<RSAPublicKey> loadPublicKeys(String location) {
        try {
            String pem = ResourceUtils.readResource(location.startsWith("/") ? "file:" + location : location);
            if (pem == null) {
                throw new IllegalStateException("No file at gateway.signing.previous-keys-location=" + location);
            }
            List<RSAPublicKey> keys = new java.util.ArrayList<>();
            java.util.regex.Matcher block = java.util.regex.Pattern
                    .compile("-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----").matcher(pem);
            while (block.find()) {
                if (!(KeyUtils.decodePublicKey(block.group()) instanceof RSAPublicKey rsa)) {
                    throw new IllegalStateException("Not an RSA public key in gateway.signing.previous-keys-location");
                }
                keys.add(rsa);
            }
            if (keys.isEmpty() && !pem.isBlank() && !pem.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                throw new IllegalStateException("No PUBLIC KEY block in gateway.signing.previous-keys-location=" + location);
            }
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read gateway.signing.previous-keys-location=" + location, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decode a key in gateway.signing.previous-keys-location=" + location, e);
        }
    }

    static String thumbprint(RSAPublicKey key) {
        return new RsaJsonWebKey(key).calculateBase64urlEncodedThumbprint("SHA-256");
    }

    private static KeyPair load(String location) {
        try {
            String pem = ResourceUtils.readResource(location.startsWith("/") ? "file:" + location : location);
            if (pem == null) {
                throw new IllegalStateException("No signing key at smallrye.jwt.sign.key.location=" + location);
            }
            PrivateKey key = KeyUtils.decodePrivateKey(pem);
            if (!(key instanceof RSAPrivateCrtKey rsa)) {
                throw new IllegalStateException("The signing key must be an RSA private key in PKCS#8 PEM");
            }
            RSAPublicKey pub = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            LOG.infof("Signing tokens with the key from %s", location);
            return new KeyPair(pub, key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read smallrye.jwt.sign.key.location=" + location, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot decode the key at smallrye.jwt.sign.key.location=" + location, e);
        }
    }

    private static KeyPair ephemeral() {
        LOG.warn("smallrye.jwt.sign.key.location is not set: signing with an ephemeral key pair made at start-up. "
                + "Tokens will not outlive this process, and other gateway replicas will not share the key.");
        try {
            return KeyUtils.generateKeyPair(2048);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
