package dev.accesstoken.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;

/**
 * Slows password and client-secret guessing (docs/login-throttle.md). Every attempt counts against three keys:
 * the name per client network (the strict limit: a few free failures), the name alone (a much higher cap, against
 * guessing spread over many networks) and the client address (against one address trying many names). Past a
 * key's free failures every further attempt waits twice as long as the one before, up to a cap.
 * <p>
 * An attempt is reserved before the secret is checked: under a lock per key, one transaction reads whether any
 * key is blocked and, if none is, counts the attempt as a failure. So concurrent attempts can never check more
 * secrets than the free ones plus one, and a success takes its count back afterwards. The counts live in the
 * gateway's database, so every replica sees the same ones. Names are kept as SHA-256 digests: a password typed
 * into the username field is never stored.
 */
@ApplicationScoped
public class LoginThrottle {

    /** One counter and how many failures it lets through before the backoff starts. */
    record Key(String name, int freeFailures) {
    }

    /**
     * The keys one attempt counts against, in lock order. {@code forgotten} on success (the name proved itself),
     * {@code refunded} on success (the address only gets its attempt back: one own account must not reset it).
     */
    public record Attempt(List<Key> forgotten, List<Key> refunded) {
        List<Key> all() {
            return Stream.concat(forgotten.stream(), refunded.stream()).sorted(Comparator.comparing(Key::name)).toList();
        }
    }

    private final DataSource db;
    private final GatewayConfig.LoginThrottle config;

    public LoginThrottle(DataSource db, GatewayConfig config) {
        this.db = db;
        this.config = config.loginThrottle();
    }

    /** A user's password login from this client address. */
    public Attempt login(String username, String address) {
        return attempt("user", username, address);
    }

    /** A service's client authentication (client_credentials, token-exchange) from this client address. */
    public Attempt client(String clientId, String address) {
        return attempt("client", clientId, address);
    }

    private Attempt attempt(String kind, String name, String address) {
        String digest = digest(name);
        return new Attempt(
                List.of(new Key(kind + "-net:" + digest + "@" + ClientNetworks.network(address), config.userFreeFailures()),
                        new Key(kind + ":" + digest, config.userGlobalFreeFailures())),
                List.of(new Key("address:" + ClientNetworks.address(address), config.addressFreeFailures())));
    }

    /**
     * Counts the attempt, unless a key is blocked: then nothing is counted and the wait is returned. Empty means
     * the secret may be checked, once.
     */
    public Optional<Duration> reserve(Attempt attempt) {
        List<Key> keys = attempt.all();
        String blocked = """
                SELECT EXTRACT(EPOCH FROM max(blocked_until) - statement_timestamp()) FROM login_throttle
                WHERE throttle_key = ANY (?) AND blocked_until > statement_timestamp()""";
        String count = """
                INSERT INTO login_throttle AS t (throttle_key, failures, last_failure, blocked_until)
                SELECT k, 1, statement_timestamp(), statement_timestamp() FROM unnest(?::text[]) AS k
                ON CONFLICT (throttle_key) DO UPDATE SET
                    failures = CASE WHEN t.last_failure < statement_timestamp() - make_interval(secs => ?) THEN 1
                                    ELSE t.failures + 1 END,
                    last_failure = statement_timestamp()
                RETURNING throttle_key, failures""";
        String block = """
                UPDATE login_throttle AS t SET blocked_until = statement_timestamp() + make_interval(secs => u.secs)
                FROM unnest(?::text[], ?::float8[]) AS u(k, secs) WHERE t.throttle_key = u.k""";
        // Most attempts of a flood are blocked: they are answered from one read, without a lock or a transaction.
        try (Connection c = db.getConnection()) {
            Optional<Duration> wait = waitFor(c, blocked, keys);
            if (wait.isPresent()) {
                return wait;
            }
        } catch (SQLException e) {
            throw new StorageFailure(e);
        }
        return inTransaction(keys, c -> {
            Optional<Duration> waitNow = waitFor(c, blocked, keys); // again, under the locks: this one decides
            if (waitNow.isPresent()) {
                return waitNow;
            }
            Map<String, Integer> failures = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement(count)) {
                s.setArray(1, names(c, keys));
                s.setDouble(2, config.forgetAfter().toMillis() / 1000.0);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        failures.put(r.getString(1), r.getInt(2));
                    }
                }
            }
            List<String> blockedKeys = new ArrayList<>();
            List<Double> delays = new ArrayList<>();
            for (Key key : keys) {
                Duration delay = delayAfter(failures.get(key.name()), key.freeFailures());
                if (!delay.isZero()) {
                    blockedKeys.add(key.name());
                    delays.add(delay.toMillis() / 1000.0);
                }
            }
            if (!blockedKeys.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement(block)) {
                    s.setArray(1, c.createArrayOf("text", blockedKeys.toArray()));
                    s.setArray(2, c.createArrayOf("float8", delays.toArray()));
                    s.executeUpdate();
                }
            }
            return Optional.empty();
        });
    }

    private static Optional<Duration> waitFor(Connection c, String blocked, List<Key> keys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(blocked)) {
            s.setArray(1, names(c, keys));
            try (ResultSet r = s.executeQuery()) {
                double seconds = r.next() ? r.getDouble(1) : 0;
                return seconds > 0 ? Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000))) : Optional.empty();
            }
        }
    }

    /** The secret was right: its name starts again from zero, the address gets this attempt back. */
    public void succeeded(Attempt attempt) {
        inTransaction(attempt.all(), c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM login_throttle WHERE throttle_key = ANY (?)")) {
                s.setArray(1, names(c, attempt.forgotten()));
                s.executeUpdate();
            }
            refund(c, attempt.refunded());
            return null;
        });
    }

    /** The secret was never checked (no capacity): every key gets this attempt back. */
    public void release(Attempt attempt) {
        inTransaction(attempt.all(), c -> {
            refund(c, attempt.all());
            return null;
        });
    }

    /**
     * One failure fewer. A block this attempt's own count started ends with it; a key still past its free
     * failures keeps its block, which may be another attempt's.
     */
    private static void refund(Connection c, List<Key> keys) throws SQLException {
        String drop = "DELETE FROM login_throttle WHERE throttle_key = ? AND failures <= 1";
        String decrement = """
                UPDATE login_throttle SET failures = failures - 1,
                    blocked_until = CASE WHEN failures - 1 <= ? THEN LEAST(blocked_until, statement_timestamp())
                                         ELSE blocked_until END
                WHERE throttle_key = ?""";
        for (Key key : keys) {
            try (PreparedStatement d = c.prepareStatement(drop)) {
                d.setString(1, key.name());
                d.executeUpdate();
            }
            try (PreparedStatement u = c.prepareStatement(decrement)) {
                u.setInt(1, key.freeFailures());
                u.setString(2, key.name());
                u.executeUpdate();
            }
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

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * One transaction holding a lock per key, taken in name order by every caller so that two attempts sharing
     * keys (an address, a name) wait for each other instead of deadlocking. Advisory locks work for keys with no
     * row yet; a hash collision only makes two keys wait for each other.
     */
    private <T> T inTransaction(List<Key> keys, Work<T> work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (Key key : keys) {
                    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                        lock.setString(1, key.name());
                        lock.execute();
                    }
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StorageFailure(e);
        }
    }

    private static Array names(Connection c, List<Key> keys) throws SQLException {
        return c.createArrayOf("text", keys.stream().map(Key::name).toArray());
    }

    /** The first 16 hex digits of the name's SHA-256: how an unknown name is audited. */
    public static String shortDigest(String name) {
        return digest(name).substring(0, 16);
    }

    private static String digest(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
