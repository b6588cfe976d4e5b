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

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.RsaJsonWebKey;

import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;

/**
 * The gateway's RS256 signing key: read from {@code smallrye.jwt.sign.key.location} (PKCS#8 PEM), or,
 * when that is unset, an ephemeral pair made at start-up. Its public half is published as a JWK Set.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String kid;

    public SigningKeys(@ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> location,
            @ConfigProperty(name = "smallrye.jwt.sign.key.id") Optional<String> keyId) {
        KeyPair pair = location.filter(l -> !l.isBlank()).map(SigningKeys::load).orElseGet(SigningKeys::ephemeral);
        this.privateKey = pair.getPrivate();
        this.publicKey = (RSAPublicKey) pair.getPublic();
        this.kid = keyId.filter(k -> !k.isBlank()).orElseGet(() -> thumbprint(publicKey));
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

    /** The public key as a JWK Set (RFC 7517), with kid, use and alg. */
    public Map<String, Object> jwks() {
        RsaJsonWebKey jwk = new RsaJsonWebKey(publicKey);
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("RS256");
        return Map.of("keys", List.of(jwk.toParams(OutputControlLevel.PUBLIC_ONLY)));
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
