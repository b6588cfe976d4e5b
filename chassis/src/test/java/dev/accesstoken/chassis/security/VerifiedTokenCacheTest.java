package dev.accesstoken.chassis.security;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.accesstoken.chassis.config.AccessTokenConfig;
import dev.accesstoken.testsupport.TestKeys;
import dev.accesstoken.testsupport.Tokens;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The cache against SmallRye's real verification, with the JWKS served over HTTP as the gateway serves it.
 * Each test tries what the cache must never allow: serve a token it would refuse without the cache.
 */
class VerifiedTokenCacheTest {

    WireMockServer gateway;

    static AccessTokenConfig.TokenCache config(boolean enabled) {
        return new AccessTokenConfig.TokenCache() {
            public boolean enabled() {
                return enabled;
            }

            public long maxSize() {
                return 100;
            }

            public Duration maxAge() {
                return Duration.ofMinutes(5);
            }

            public Duration keyRecheck() {
                return Duration.ofSeconds(30);
            }
        };
    }

    /** What a service configures with mp.jwt.verify.*, for one audience. */
    JWTAuthContextInfo context(String audience) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(gateway.baseUrl() + "/.well-known/jwks.json",
                Tokens.ISSUER);
        context.setExpectedAudience(Set.of(audience));
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        context.setClockSkew(0);
        context.setForcedJwksRefreshInterval(0);
        return context;
    }

    void publish(TestKeys key) {
        // max-age=1: the JWKS resolver fetches it again after a second, as it would after its refresh interval.
        gateway.stubFor(get("/.well-known/jwks.json").willReturn(okJson(key.jwks()).withHeader("Cache-Control",
                "max-age=1")));
    }

    @BeforeEach
    void startGateway() {
        gateway = new WireMockServer(options().dynamicPort());
        gateway.start();
        publish(TestKeys.trusted());
    }

    @AfterEach
    void stopGateway() {
        gateway.stop();
    }

    @Test
    void theSameTokenIsVerifiedOnceAndThenServedFromTheCache() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").sign();
        assertEquals("alice", cache.parse(token, orderService).getName());
        assertEquals("alice", cache.parse(token, orderService).getName());
        assertEquals(1, cache.stats().hitCount());
        assertEquals(1, cache.size());
    }

    @Test
    void anExpiredCachedTokenIsRefused() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").lifetime(Duration.ofSeconds(2)).sign();
        cache.parse(token, orderService);
        Thread.sleep(3100);
        assertThrows(ParseException.class, () -> cache.parse(token, orderService));
        assertEquals(0, cache.size(), "the expired entry is gone");
    }

    /** SmallRye takes the expiration grace over the clock skew: so must a hit. */
    @Test
    void theExpirationGraceWinsOverTheClockSkewOnAHit() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        orderService.setClockSkew(60);
        orderService.setExpGracePeriodSecs(1);
        String token = Tokens.user("alice").lifetime(Duration.ofSeconds(2)).sign();
        cache.parse(token, orderService);
        Thread.sleep(4100); // past exp + the 1 s grace, well within the 60 s skew
        assertThrows(ParseException.class, () -> new VerifiedTokenCache(config(false)).parse(token, orderService),
                "SmallRye itself refuses it");
        assertThrows(ParseException.class, () -> cache.parse(token, orderService));
    }

    /** mp.jwt.verify.token.age: a token older than that is refused, cached or not. */
    @Test
    void theTokenAgeIsCheckedOnAHit() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        orderService.setTokenAge(2L);
        String token = Tokens.user("alice").sign();
        cache.parse(token, orderService);
        Thread.sleep(3100);
        assertThrows(ParseException.class, () -> new VerifiedTokenCache(config(false)).parse(token, orderService),
                "SmallRye itself refuses it");
        assertThrows(ParseException.class, () -> cache.parse(token, orderService));
    }

    @Test
    void aTokenWhoseKeyWasTakenOutOfTheJwksIsRefusedAfterTheRefresh() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").sign();
        cache.parse(token, orderService);

        publish(TestKeys.stranger()); // the trusted key is rotated out
        Thread.sleep(1500);
        assertThrows(ParseException.class, () -> cache.parse(token, orderService));
    }

    @Test
    void aTokenWithOneChangedByteMissesTheCacheAndIsRefused() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").sign();
        cache.parse(token, orderService);
        // One character inside the signature changed (not the last one, whose low bits base64url ignores).
        int at = token.lastIndexOf('.') + 10;
        String forged = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
        assertThrows(ParseException.class, () -> cache.parse(forged, orderService));
        assertEquals(0, cache.stats().hitCount());
    }

    @Test
    void issuerAndAudienceAreStillEnforcedPerService() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        String forOrders = Tokens.user("alice").audience("order-service").sign();
        cache.parse(forOrders, context("order-service"));
        // Another service's verification context (its own audience) is never served an entry verified for another.
        assertThrows(ParseException.class, () -> cache.parse(forOrders, context("customer-service")));
        String otherIssuer = Tokens.user("alice").issuer("https://elsewhere").audience("order-service").sign();
        assertThrows(ParseException.class, () -> cache.parse(otherIssuer, context("order-service")));
    }

    @Test
    void aFailureIsNeverCached() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String strangers = Tokens.user("alice").signedByStranger().sign();
        assertThrows(ParseException.class, () -> cache.parse(strangers, orderService));
        assertEquals(0, cache.size());
    }

    @Test
    void switchedOffEveryRequestIsVerified() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(false));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").sign();
        cache.parse(token, orderService);
        cache.parse(token, orderService);
        assertEquals(0, cache.size());
        assertEquals(0, cache.stats().hitCount());
    }

    /** The event-loop path: a hit, and only a hit whose key the JWKS path confirmed lately. */
    @Test
    void aVerifiedTokenIsServedWithoutIoOnlyInItsOwnContext() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").audience("order-service").sign();
        assertNull(cache.servedWithoutIo(token, orderService), "never seen: the worker-thread path verifies it");
        cache.parse(token, orderService);
        assertEquals("alice", cache.servedWithoutIo(token, orderService).getName());
        assertEquals(1, cache.stats().hitCount(), "counted as a hit");
        assertNull(cache.servedWithoutIo(token, context("order-service")), "another verification context");
        String forged = Tokens.user("alice").audience("order-service").signedByStranger().sign();
        assertNull(cache.servedWithoutIo(forged, orderService));
    }

    @Test
    void aKeyNotConfirmedWithinTheRecheckIsAskedForAgainOffTheEventLoop() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").sign();
        cache.parse(token, orderService);
        long now = System.currentTimeMillis();
        assertNotNull(cache.servedWithoutIo(token, orderService, now + 29_000));
        assertNull(cache.servedWithoutIo(token, orderService, now + 31_000), "past key-recheck (30 s)");

        publish(TestKeys.stranger()); // the trusted key is rotated out
        Thread.sleep(1500);
        assertThrows(ParseException.class, () -> cache.parse(token, orderService), "the JWKS path refuses it");
        assertNull(cache.servedWithoutIo(token, orderService), "and the event-loop path no longer serves it");
    }

    @Test
    void anExpiredTokenIsNeverServedWithoutIo() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(true));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").lifetime(Duration.ofSeconds(60)).sign();
        cache.parse(token, orderService);
        long now = System.currentTimeMillis();
        assertNotNull(cache.servedWithoutIo(token, orderService, now));
        assertNull(cache.servedWithoutIo(token, orderService, now + 61_000));
    }

    @Test
    void switchedOffNothingIsServedWithoutIo() throws Exception {
        VerifiedTokenCache cache = new VerifiedTokenCache(config(false));
        JWTAuthContextInfo orderService = context("order-service");
        String token = Tokens.user("alice").sign();
        cache.parse(token, orderService);
        assertNull(cache.servedWithoutIo(token, orderService));
    }
}
