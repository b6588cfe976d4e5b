package dev.accesstoken.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.Postgres;
import dev.accesstoken.testsupport.PostgresResource.InjectDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** The tables stop growing: what no request can use any more is deleted, and nothing else. */
@QuarkusTest
@GatewayTestResources
class HousekeepingTest {

    @InjectDatabase
    Postgres.Database database;

    @Inject
    Housekeeping housekeeping;

    @Test
    void expiredThrottleCountsAndSessionsArePrunedAndLiveOnesKept() throws Exception {
        database.execute("""
                INSERT INTO login_throttle (throttle_key, failures, last_failure, blocked_until) VALUES
                ('test:forgotten', 9, now() - interval '2 hours', now() - interval '1 hour'),
                ('test:recent', 9, now() - interval '10 minutes', now() - interval '5 minutes'),
                ('test:still-blocked', 9, now() - interval '2 hours', now() + interval '10 minutes')""");
        database.execute("""
                INSERT INTO refresh_family (id, username, created_at, expires_at) VALUES
                ('00000000-0000-0000-0000-00000000000a', 'test-ended', now() - interval '9 hours', now() - interval '1 hour'),
                ('00000000-0000-0000-0000-00000000000b', 'test-live', now(), now() + interval '8 hours')""");
        database.execute("""
                INSERT INTO refresh_token (token_hash, family_id, expires_at) VALUES
                ('test-ended-token', '00000000-0000-0000-0000-00000000000a', now() - interval '1 hour'),
                ('test-live-token', '00000000-0000-0000-0000-00000000000b', now() + interval '8 hours')""");

        housekeeping.prune();

        assertEquals("test:recent,test:still-blocked", database.queryString(
                "SELECT string_agg(throttle_key, ',' ORDER BY throttle_key) FROM login_throttle WHERE throttle_key LIKE 'test:%'"));
        assertEquals("test-live", database.queryString(
                "SELECT string_agg(username, ',') FROM refresh_family WHERE username LIKE 'test-%'"));
        assertEquals("test-live-token", database.queryString(
                "SELECT string_agg(token_hash, ',') FROM refresh_token WHERE token_hash LIKE 'test-%'"));
    }
}
