package dev.accesstoken.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.Postgres;
import dev.accesstoken.testsupport.PostgresResource.InjectDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Refresh tokens: rotation, reuse detection (RFC 9700, 4.14.2), logout, expiry, and what is stored. */
@QuarkusTest
@GatewayTestResources
class RefreshTokenTest {

    @InjectDatabase
    Postgres.Database database;

    static JsonPath login(String user) {
        return given().contentType(ContentType.JSON).body(Map.of("username", user, "password", user))
                .post("/auth/login").then().statusCode(200)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("refresh_token", matchesPattern("[A-Za-z0-9_-]{43}"))
                .body("refresh_expires_in", greaterThan(8 * 3600 - 60))
                .body("refresh_expires_in", lessThanOrEqualTo(8 * 3600))
                .extract().jsonPath();
    }

    static ValidatableResponse refresh(String refreshToken) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("refresh_token", refreshToken).post("/auth/token").then();
    }

    static void refused(String refreshToken) {
        refresh(refreshToken).statusCode(400).header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_grant"));
    }

    @Test
    void aRefreshGivesANewAccessTokenAndTheNextRefreshTokenAndTheUsedOneStopsWorking() throws Exception {
        JsonPath first = login("bob");
        JsonPath second = refresh(first.getString("refresh_token")).statusCode(200)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(300))
                .body("refresh_token", not(equalTo(first.getString("refresh_token"))))
                .extract().jsonPath();
        var claims = AuthResourceTest.verify(second.getString("access_token"));
        assertEquals("bob", claims.getSubject());
        assertEquals(List.of("user"), claims.getStringListClaimValue("groups"));
        // The next one works once more; the used first one does not.
        refresh(second.getString("refresh_token")).statusCode(200);
        refused(first.getString("refresh_token"));
    }

    @Test
    void reusingARotatedTokenRevokesTheWholeFamilyTheThiefsCopyIncluded() {
        String stolen = login("alice").getString("refresh_token");
        // The thief refreshes first; then the user presents the same (now used) token.
        String thiefs = refresh(stolen).statusCode(200).extract().path("refresh_token");
        refused(stolen);
        refused(thiefs);
        assertEquals("reuse", database.queryString(
                "SELECT revoked_reason FROM refresh_family f JOIN refresh_token t ON t.family_id = f.id WHERE t.used_at IS NULL "
                        + "AND f.revoked_at IS NOT NULL AND f.username = 'alice' ORDER BY f.created_at DESC LIMIT 1"));
        // Other sessions of the same user are untouched.
        refresh(login("alice").getString("refresh_token")).statusCode(200);
    }

    @Test
    void logoutEndsTheSessionAndSaysNothingAboutUnknownTokens() {
        JsonPath session = login("bob");
        String next = refresh(session.getString("refresh_token")).statusCode(200).extract().path("refresh_token");
        given().contentType(ContentType.URLENC).formParam("refresh_token", session.getString("refresh_token"))
                .post("/auth/logout").then().statusCode(204);
        refused(next);
        given().contentType(ContentType.URLENC).formParam("refresh_token", "no-such-token")
                .post("/auth/logout").then().statusCode(204);
        given().contentType(ContentType.URLENC).post("/auth/logout").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void anExpiredSessionCannotBeRefreshed() {
        String token = login("bob").getString("refresh_token");
        database.execute("UPDATE refresh_token SET expires_at = now() - interval '1 second' WHERE used_at IS NULL "
                + "AND family_id = (SELECT id FROM refresh_family WHERE username = 'bob' ORDER BY created_at DESC LIMIT 1)");
        refused(token);
    }

    @Test
    void unknownOrMissingRefreshTokensAreRefused() {
        refused("x".repeat(43));
        given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token").post("/auth/token").then()
                .statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void onlyAHashOfEachRefreshTokenIsStored() {
        String token = login("admin").getString("refresh_token");
        List<String> stored = database.queryStrings("SELECT token_hash FROM refresh_token");
        assertFalse(stored.contains(token));
        assertFalse(stored.stream().anyMatch(h -> h.contains(token)));
        assertEquals(1, stored.stream().filter(h -> h.equals(sha256(token))).count());
        assertNotEquals(0, stored.size());
    }

    static String sha256(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
