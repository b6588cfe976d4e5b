package dev.accesstoken.order.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.accesstoken.order.config.OrderConfig;
import dev.accesstoken.order.model.OrderCursor;
import io.quarkus.runtime.Startup;

/**
 * Signs the pagination cursors this service gives out, so that it recognises them: {@code <payload>.<HMAC-SHA256 of
 * the payload>}, base64url both. A cursor changed in any character, or signed with another key (one rotated out),
 * fails the check and is answered 400. Every replica reads the same key ({@code orders.cursor.key}, a Kubernetes
 * Secret), so a cursor from one replica works at another.
 * <p>
 * Without a key (a local run), one is made up at start-up, with a warning: cursors then work only at the replica
 * that gave them out, and only until it restarts; a wrong answer is a 400 "start again", never another caller's
 * page, so this is an inconvenience and not a hole, the way the gateway treats a missing signing key.
 */
@Startup
@ApplicationScoped
public class CursorSigner {

    private static final Logger LOG = Logger.getLogger(CursorSigner.class);
    private static final String HMAC = "HmacSHA256";
    /** Below 256 bits an HMAC-SHA256 key is weaker than it needs to be. */
    static final int MIN_KEY_LENGTH = 32;

    private final SecretKeySpec key;

    @Inject
    public CursorSigner(OrderConfig config) {
        this(config.cursor().key());
    }

    /** For tests: a second replica, or one with a rotated key. */
    public CursorSigner(Optional<String> configured) {
        byte[] bytes;
        if (configured.isPresent()) {
            bytes = configured.get().getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_KEY_LENGTH) {
                throw new IllegalStateException("orders.cursor.key must be at least " + MIN_KEY_LENGTH + " bytes");
            }
        } else {
            LOG.warn("orders.cursor.key is not set: pagination cursors are signed with a key made up at start-up, so "
                    + "they work only at this replica and until it restarts. Set the same key at every replica.");
            bytes = new byte[MIN_KEY_LENGTH];
            new SecureRandom().nextBytes(bytes);
        }
        this.key = new SecretKeySpec(bytes, HMAC);
    }

    public String sign(OrderCursor cursor) {
        String payload = cursor.encode();
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac(payload));
    }

    /** The cursor, if this key signed exactly this text; empty for anything else. */
    public Optional<OrderCursor> verify(String signed) {
        int dot = signed.lastIndexOf('.');
        if (dot <= 0 || dot == signed.length() - 1) {
            return Optional.empty();
        }
        String payload = signed.substring(0, dot);
        byte[] given;
        try {
            given = Base64.getUrlDecoder().decode(signed.substring(dot + 1));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        // A constant-time comparison: the time taken says nothing about how much of a forgery was right.
        if (!MessageDigest.isEqual(mac(payload), given)) {
            return Optional.empty();
        }
        return OrderCursor.decode(payload);
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(HMAC); // not thread-safe: one per call, cheap next to the query it pages
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
