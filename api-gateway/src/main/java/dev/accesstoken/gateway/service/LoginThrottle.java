package dev.accesstoken.gateway.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;

/**
 * Slows password guessing: after a few failures for a username, or more from one client address, every
 * further attempt waits twice as long as the one before (up to a cap). The counts live in the gateway's
 * database, so every replica sees the same ones. A blocked attempt is refused before bcrypt runs and
 * counts for nothing; an unknown username is counted exactly like a known one.
 */
@ApplicationScoped
public class LoginThrottle {

    private final DataSource db;
    private final GatewayConfig.LoginThrottle config;

    public LoginThrottle(DataSource db, GatewayConfig config) {
        this.db = db;
        this.config = config.loginThrottle();
    }

    /** How long the caller must still wait, if the username or the address is blocked. */
    public Optional<Duration> waitFor(String username, String address) {
        String sql = """
                SELECT EXTRACT(EPOCH FROM max(blocked_until) - now()) FROM login_throttle
                WHERE throttle_key IN (?, ?) AND blocked_until > now()""";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, userKey(username));
            s.setString(2, addressKey(address));
            try (ResultSet r = s.executeQuery()) {
                double seconds = r.next() ? r.getDouble(1) : 0;
                return seconds > 0 ? Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw Storage.unavailable(e);
        }
    }

    public void failed(String username, String address) {
        count(userKey(username), config.userFreeFailures());
        count(addressKey(address), config.addressFreeFailures());
    }

    /** The username starts again from zero; the address does not, or one own account would reset it. */
    public void succeeded(String username) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("DELETE FROM login_throttle WHERE throttle_key = ?")) {
            s.setString(1, userKey(username));
            s.executeUpdate();
        } catch (SQLException e) {
            throw Storage.unavailable(e);
        }
    }

    /** The wait after the n-th failure: none for the free ones, then base, 2 x base, 4 x base ... up to the cap. */
    Duration delayAfter(int failures, int free) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - free - 1, 30);
        Duration delay = config.baseDelay().multipliedBy(1L << doublings);
        return delay.compareTo(config.maxDelay()) > 0 ? config.maxDelay() : delay;
    }

    private void count(String key, int free) {
        String upsert = """
                INSERT INTO login_throttle AS t (throttle_key, failures, last_failure, blocked_until)
                VALUES (?, 1, now(), now())
                ON CONFLICT (throttle_key) DO UPDATE SET
                    failures = CASE WHEN t.last_failure < now() - make_interval(secs => ?) THEN 1 ELSE t.failures + 1 END,
                    last_failure = now()
                RETURNING failures""";
        String block = """
                UPDATE login_throttle SET blocked_until = GREATEST(blocked_until, now() + make_interval(secs => ?))
                WHERE throttle_key = ?""";
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(upsert)) {
            s.setString(1, key);
            s.setDouble(2, config.forgetAfter().toMillis() / 1000.0);
            int failures;
            try (ResultSet r = s.executeQuery()) {
                r.next();
                failures = r.getInt(1);
            }
            Duration delay = delayAfter(failures, free);
            if (!delay.isZero()) {
                try (PreparedStatement b = c.prepareStatement(block)) {
                    b.setDouble(1, delay.toMillis() / 1000.0);
                    b.setString(2, key);
                    b.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw Storage.unavailable(e);
        }
    }

    private static String userKey(String username) {
        return "user:" + username;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
