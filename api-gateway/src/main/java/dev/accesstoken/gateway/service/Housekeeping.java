package dev.accesstoken.gateway.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.accesstoken.chassis.client.DatabaseFailures;
import dev.accesstoken.gateway.config.GatewayConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * Prunes what no request can use any more: throttle counts past their forget-after with no block running, and
 * sessions past their end (a family's refresh tokens go with it). Every replica runs it; the deletes are
 * idempotent, and rows another transaction holds are skipped until the next pass rather than waited for.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final DataSource db;
    private final GatewayConfig.LoginThrottle throttle;

    public Housekeeping(DataSource db, GatewayConfig config) {
        this.db = db;
        this.throttle = config.loginThrottle();
    }

    @Scheduled(identity = "housekeeping", every = "${gateway.housekeeping.every}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        try {
            prune();
        } catch (SQLException e) {
            if (!DatabaseFailures.isUnavailable(e)) {
                LOG.error("Pruning failed", e); // not an outage: a bug or a schema that changed
                return;
            }
            // Readiness reports it already; the next pass tries again, without a stack trace every pass.
            LOG.warnf("No pruning in this pass: %s", DatabaseFailures.reason(e));
        }
    }

    /** Returns how many throttle rows and sessions it deleted. */
    public int prune() throws SQLException {
        String counts = """
                DELETE FROM login_throttle WHERE throttle_key IN (
                    SELECT throttle_key FROM login_throttle
                    WHERE last_failure < statement_timestamp() - make_interval(secs => ?)
                      AND blocked_until < statement_timestamp()
                    LIMIT 10000 FOR UPDATE SKIP LOCKED)""";
        String sessions = """
                DELETE FROM refresh_family WHERE id IN (
                    SELECT id FROM refresh_family WHERE expires_at < statement_timestamp()
                    LIMIT 10000 FOR UPDATE SKIP LOCKED)""";
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(counts);
                PreparedStatement f = c.prepareStatement(sessions)) {
            s.setDouble(1, throttle.forgetAfter().toMillis() / 1000.0);
            int pruned = s.executeUpdate() + f.executeUpdate();
            if (pruned > 0) {
                LOG.debugf("pruned %d expired throttle counts and sessions", pruned);
            }
            return pruned;
        }
    }
}
