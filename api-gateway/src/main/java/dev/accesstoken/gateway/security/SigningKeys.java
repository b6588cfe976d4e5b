package dev.accesstoken.gateway.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey.OutputControlLevel;
import org.jose4j.jwk.RsaJsonWebKey;

import dev.accesstoken.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;

/**
 * The gateway's RS256 signing key: read from {@code smallrye.jwt.sign.key.location} (PKCS#8 PEM), or,
 * when that is unset, an ephemeral pair made at start-up. Its public half is published as a JWK Set,
 * together with the previous keys of {@code gateway.signing.previous-keys-location} (public keys, PEM),
 * so that tokens signed before a key rotation stay valid until they expire.
 * <p>
 * Each previous key is preceded in that file by its retirement time, a line {@code # retired <epoch seconds>}
 * (k8s/generate-secrets.sh --rotate writes it). A previous key is published only until the longest token
 * lifetime plus the clock skew has passed since then: once no token it signed can still be valid, it is
 * dropped by itself, even if the file keeps it. The JWK Set is computed at each request from the time then,
 * so no timer is needed; the services drop the key at their next JWKS refresh.
 */
@Startup
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final PrivateKey privateKey;
    private final RSAPublicKey publicKey;
    private final String kid;
    private final List<PreviousKey> previousKeys;
    private final Duration retirement;
    private final Clock clock;

    /** A retired public key and when it was retired. */
    record PreviousKey(RSAPublicKey key, Instant retiredAt) {
    }

    /**
     * @param retirement how long after its retirement a previous key is still published: the longest lifetime
     *        of a token the gateway signs (access, service and exchanged tokens), plus the verifiers' clock skew
     */
    @Inject
    public SigningKeys(@ConfigProperty(name = "smallrye.jwt.sign.key.location") Optional<String> location,
            @ConfigProperty(name = "smallrye.jwt.sign.key.id") Optional<String> keyId,
            @ConfigProperty(name = "smallrye.jwt.new-token.lifespan", defaultValue = "300") long accessLifespan,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") long clockSkew,
            @ConfigProperty(name = "smallrye.jwt.expiration.grace", defaultValue = "0") long expirationGrace,
            GatewayConfig config) {
        this(location, keyId, config.signing().previousKeysLocation(), accessLifespan, config.clientTokenLifespan(),
                config.exchange().tokenLifespan(), clockSkew, expirationGrace);
    }

    /** The retirement window from the token lifetimes (seconds) and the verifiers' clock skew or grace. */
    public SigningKeys(Optional<String> location, Optional<String> keyId, Optional<String> previousKeysLocation,
            long accessLifespan, long clientLifespan, long exchangeLifespan, long clockSkew, long expirationGrace) {
        this(location, keyId, previousKeysLocation, Duration.ofSeconds(
                Math.max(accessLifespan, Math.max(clientLifespan, exchangeLifespan)) + Math.max(clockSkew, expirationGrace)),
                Clock.systemUTC());
    }

    public SigningKeys(Optional<String> location, Optional<String> keyId, Optional<String> previousKeysLocation,
            Duration retirement, Clock clock) {
        this.retirement = retirement;
        this.clock = clock;
        KeyPair pair = location.filter(l -> !l.isBlank()).map(SigningKeys::load).orElseGet(SigningKeys::ephemeral);
        this.privateKey = pair.getPrivate();
        this.publicKey = (RSAPublicKey) pair.getPublic();
        this.kid = keyId.filter(k -> !k.isBlank()).orElseGet(() -> thumbprint(publicKey));
        this.previousKeys = previousKeysLocation.filter(l -> !l.isBlank()).map(SigningKeys::loadPublicKeys)
                .orElse(List.of()).stream().filter(k -> !thumbprint(k.key()).equals(thumbprint(publicKey))).toList();
        Instant now = clock.instant();
        for (PreviousKey previous : previousKeys) {
            Instant until = previous.retiredAt().plus(retirement);
            if (now.isBefore(until)) {
                LOG.infof("Publishing the previous key %s beside the signing key until %s", thumbprint(previous.key()), until);
            } else {
                LOG.infof("Not publishing the previous key %s: retired at %s, no token it signed is valid any more",
                        thumbprint(previous.key()), previous.retiredAt());
            }
        }
    }

    /** Previous keys published for {@code retirement} after their retirement time, on the system clock. */
    public SigningKeys(Optional<String> location, Optional<String> keyId, Optional<String> previousKeysLocation,
            Duration retirement) {
        this(location, keyId, previousKeysLocation, retirement, Clock.systemUTC());
    }

    /** Without previous keys. */
    public SigningKeys(Optional<String> location, Optional<String> keyId) {
        this(location, keyId, Optional.empty(), Duration.ZERO, Clock.systemUTC());
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

    /**
     * The signing key first, then the previous ones not yet past their retirement, as a JWK Set (RFC 7517), each
     * with kid, use and alg.
     */
    public Map<String, Object> jwks() {
        Instant now = clock.instant();
        List<Map<String, Object>> keys = new ArrayList<>();
        keys.add(jwk(publicKey, kid));
        previousKeys.stream().filter(k -> now.isBefore(k.retiredAt().plus(retirement)))
                .forEach(k -> keys.add(jwk(k.key(), thumbprint(k.key()))));
        return Map.of("keys", keys);
    }

    private static Map<String, Object> jwk(RSAPublicKey key, String kid) {
        RsaJsonWebKey jwk = new RsaJsonWebKey(key);
        jwk.setKeyId(kid);
        jwk.setUse("sig");
        jwk.setAlgorithm("RS256");
        return jwk.toParams(OutputControlLevel.PUBLIC_ONLY);
    }

    private static final Pattern RETIRED = Pattern.compile("# retired (\\d{1,12})(?!\\d)");
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN PUBLIC KEY-----[^-]+-----END PUBLIC KEY-----");

    /**
     * Every "PUBLIC KEY" PEM block of the file, each with the retirement time of the last {@code # retired <epoch
     * seconds>} line before it and after the previous block. Other text between blocks (comments) is ignored.
     */
    static List<PreviousKey> loadPublicKeys(String location) {
        try {
            // ResourceUtils drops line ends; a local file is read as it is, so that comments stay lines.
            String pem = location.startsWith("/") ? Files.readString(Path.of(location))
                    : location.startsWith("file:") ? Files.readString(Path.of(URI.create(location)))
                    : ResourceUtils.readResource(location);
            if (pem == null) {
                throw new IllegalStateException("No file at gateway.signing.previous-keys-location=" + location);
            }
            List<PreviousKey> keys = new ArrayList<>();
            Matcher block = BLOCK.matcher(pem);
            int after = 0;
            while (block.find()) {
                if (!(KeyUtils.decodePublicKey(block.group()) instanceof RSAPublicKey rsa)) {
                    throw new IllegalStateException("Not an RSA public key in gateway.signing.previous-keys-location");
                }
                Matcher retired = RETIRED.matcher(pem.substring(after, block.start()));
                Instant retiredAt = null;
                while (retired.find()) {
                    retiredAt = Instant.ofEpochSecond(Long.parseLong(retired.group(1)));
                }
                if (retiredAt == null) {
                    throw new IllegalStateException("Previous key " + (keys.size() + 1) + " in gateway.signing.previous-keys-location="
                            + location + " has no line '# retired <epoch seconds>' before it (k8s/generate-secrets.sh --rotate "
                            + "writes one): without its retirement time it would be published for good");
                }
                keys.add(new PreviousKey(rsa, retiredAt));
                after = block.end();
            }
            if (keys.isEmpty() && !pem.isBlank() && !pem.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                throw new IllegalStateException("No PUBLIC KEY block in gateway.signing.previous-keys-location=" + location);
            }
            return List.copyOf(keys);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("No file at gateway.signing.previous-keys-location=" + location, e);
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
