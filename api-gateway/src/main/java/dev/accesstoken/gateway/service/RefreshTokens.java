package dev.accesstoken.gateway.service;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.chassis.security.TokenDigest;
import dev.accesstoken.gateway.config.GatewayConfig;

/**
 * Refresh tokens with rotation and reuse detection (RFC 9700, section 4.14.2). A login starts a family; each
 * refresh marks the presented token used and issues the next one of the family. A used token presented again
 * means two parties hold the family, so the whole family is revoked. Tokens are 256 random bits, stored only
 * as SHA-256. Every change is a single SQL statement, so replicas racing on one token cannot both win.
 */
@ApplicationScoped
public class RefreshTokens {

    /** Per bean, made at run time: a static one would be made, and seeded, while the native image is built. */
    private final SecureRandom random = new SecureRandom();

    public record Issued(String token, Instant expiresAt) {
    }

    /** The outcome of presenting a refresh token: the next token, or why there is none. */
    public sealed interface Rotation {
        record Rotated(String username, Issued next) implements Rotation {
        }

        /** Unknown, expired, or its family revoked. */
        record Invalid() implements Rotation {
        }

        /** Already used: its family is revoked now. */
        record Reused(String username, UUID family) implements Rotation {
        }
    }

    private final DataSource db;
    private final GatewayConfig.RefreshTokens config;

    public RefreshTokens(DataSource db, GatewayConfig config) {
        this.db = db;
        this.config = config.refreshTokens();
    }

    public Issued startFamily(String username) {
        String token = newToken();
        String sql = """
                WITH family AS (
                    INSERT INTO refresh_family (id, username, created_at, expires_at)
                    VALUES (?, ?, now(), now() + make_interval(secs => ?)) RETURNING id, expires_at)
                INSERT INTO refresh_token (token_hash, family_id, expires_at)
                SELECT ?, id, expires_at FROM family RETURNING expires_at""";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, UUID.randomUUID());
            s.setString(2, username);
            s.setDouble(3, config.sessionLifespan().toSeconds());
            s.setString(4, TokenDigest.sha256(token));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new Issued(token, r.getTimestamp(1).toInstant());
            }
        } catch (SQLException e) {
            throw new StorageFailure(e);
        }
    }

    public Rotation rotate(String presented) {
        String next = newToken();
        // Marks the presented token used and adds the next one, only if it was unused, unexpired and its
        // family alive; the next token expires with the family (sessions are absolute, not sliding).
        String rotate = """
                WITH used AS (
                    UPDATE refresh_token t SET used_at = now()
                    FROM refresh_family f
                    WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > now()
                      AND f.id = t.family_id AND f.revoked_at IS NULL
                    RETURNING t.family_id, t.expires_at, f.username),
                added AS (
                    INSERT INTO refresh_token (token_hash, family_id, expires_at)
                    SELECT ?, family_id, expires_at FROM used RETURNING expires_at)
                SELECT used.username, added.expires_at FROM used, added""";
        String revokeOnReuse = """
                UPDATE refresh_family f SET revoked_at = now(), revoked_reason = 'reuse'
                FROM refresh_token t
                WHERE t.token_hash = ? AND t.used_at IS NOT NULL AND f.id = t.family_id AND f.revoked_at IS NULL
                RETURNING f.id, f.username""";
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(rotate)) {
                s.setString(1, TokenDigest.sha256(presented));
                s.setString(2, TokenDigest.sha256(next));
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return new Rotation.Rotated(r.getString(1), new Issued(next, r.getTimestamp(2).toInstant()));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement(revokeOnReuse)) {
                s.setString(1, TokenDigest.sha256(presented));
                try (ResultSet r = s.executeQuery()) {
                    if (r.next()) {
                        return new Rotation.Reused(r.getString(2), r.getObject(1, UUID.class));
                    }
                }
            }
            return new Rotation.Invalid();
        } catch (SQLException e) {
            throw new StorageFailure(e);
        }
    }

    /** Ends the session the token belongs to; its user, or empty if there was no live one. */
    public Optional<String> revokeFamily(String presented, String reason) {
        String sql = """
                UPDATE refresh_family f SET revoked_at = now(), revoked_reason = ?
                FROM refresh_token t
                WHERE t.token_hash = ? AND f.id = t.family_id AND f.revoked_at IS NULL
                RETURNING f.username""";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, reason);
            s.setString(2, TokenDigest.sha256(presented));
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StorageFailure(e);
        }
    }

    private String newToken() {
        byte[] bits = new byte[32];
        random.nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }
}
