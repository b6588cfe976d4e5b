package dev.accesstoken.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Set;

import jakarta.inject.Inject;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import dev.accesstoken.gateway.GatewayTestResources;

/**
 * The issued token, parsed the way every service parses it (SmallRye JWT with the MicroProfile JWT config).
 * Needs CDI injection, so it is a {@code @QuarkusTest} only; {@link AuthResourceTest} holds the black-box part.
 */
@QuarkusTest
@GatewayTestResources
class IssuedTokenParserTest {

    @Inject
    JWTParser parser;

    @ParameterizedTest
    @CsvSource({ "alice,user", "bob,user", "admin,admin" })
    void theIssuedTokenPassesTheServicesOwnVerification(String username, String role) throws Exception {
        JsonWebToken jwt = parser.parse(AuthResourceTest.login(username, username));
        assertEquals("https://api-gateway", jwt.getIssuer());
        assertEquals(username, jwt.getSubject());
        assertEquals(username, jwt.getName());
        assertEquals(Set.of(role), jwt.getGroups());
        assertEquals(Set.of("order-service", "customer-service"), jwt.getAudience());
        assertEquals(300, jwt.getExpirationTime() - jwt.getIssuedAtTime());
        assertNotEquals(null, jwt.getTokenID());
    }
}
