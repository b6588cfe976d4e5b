package dev.accesstoken.customer.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.accesstoken.chassis.security.VerifiedTokenCache;
import dev.accesstoken.customer.CustomerServiceTestResources;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** The chassis's verified-token cache is the JWTCallerPrincipalFactory SmallRye JWT uses in this service. */
@QuarkusTest
@CustomerServiceTestResources
class VerifiedTokenCacheWiringTest {

    @Inject
    VerifiedTokenCache cache;

    @Test
    void theSecondRequestWithATokenIsACacheHit() {
        String token = Tokens.user("alice").sign();
        long hitsBefore = cache.stats().hitCount();
        given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then().statusCode(200);
        given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then().statusCode(200);
        assertEquals(hitsBefore + 1, cache.stats().hitCount());
        assertTrue(cache.size() > 0);
    }

    /** The chassis's CachedTokenIdentityProvider answers a cached token before SmallRye's worker-thread path. */
    @Test
    void theSecondRequestWithATokenIsAnsweredWithoutIo() {
        String token = Tokens.user("alice").sign();
        given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then().statusCode(200);
        long before = cache.servedWithoutIoCount();
        given().header("Authorization", Tokens.bearer(token)).get("/customers/me").then().statusCode(200);
        assertEquals(before + 1, cache.servedWithoutIoCount());
    }

    @Test
    void aForgedTokenIsStillRefusedOnceTheGenuineOneIsCached() {
        String genuine = Tokens.user("bob").sign();
        given().header("Authorization", Tokens.bearer(genuine)).get("/customers/me").then().statusCode(200);
        given().header("Authorization", Tokens.bearer(Tokens.tamperedToAdmin("bob"))).get("/customers").then()
                .statusCode(401);
    }
}
