package dev.accesstoken.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;
import io.quarkus.runtime.Startup;

/**
 * Checks client secrets against their SHA-256, compared in constant time. Client secrets are 256-bit random
 * values (k8s/generate-secrets.sh), so a fast hash leaves nothing to guess and a refusal costs next to nothing:
 * no bcrypt for clients. Every configured hash is checked at start-up.
 */
@Startup
@ApplicationScoped
public class ClientSecrets {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** An unknown client id is compared against this, so that it takes the same path as a known one. */
    private static final byte[] DECOY = new byte[32];

    public ClientSecrets(GatewayConfig config) {
        config.clients().forEach((id, client) -> {
            if (!SHA256_HEX.matcher(client.secretHash()).matches()) {
                // Fail at start-up rather than refuse every request of that client.
                throw new IllegalStateException("gateway.clients." + id + ".secret-hash is not the SHA-256 of a client "
                        + "secret as 64 lower-case hex digits (k8s/generate-secrets.sh writes one; a bcrypt hash of an "
                        + "older version is no longer accepted: delete k8s/secrets/order-service-client.env and run it again)");
            }
        });
    }

    /** True when the SHA-256 of {@code secret} is {@code sha256HexOrNull}; a null hash (unknown client) never matches. */
    public boolean matches(String secret, String sha256HexOrNull) {
        byte[] expected = sha256HexOrNull == null ? DECOY : HexFormat.of().parseHex(sha256HexOrNull);
        boolean equal = MessageDigest.isEqual(sha256(secret), expected);
        return sha256HexOrNull != null && equal;
    }

    /** The lower-case hex SHA-256 of a client secret, as {@code gateway.clients.<id>.secret-hash} holds it. */
    public static String sha256Hex(String secret) {
        return HexFormat.of().formatHex(sha256(secret));
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
