package dev.accesstoken.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.security.SigningKeys;
import dev.accesstoken.gateway.security.TokenIssuer;
import io.quarkus.elytron.security.common.BcryptUtil;

class LoginServiceTest {

    static final TokenIssuer ISSUER = new TokenIssuer(new SigningKeys(Optional.empty(), Optional.empty()),
            "https://api-gateway", Set.of("order-service"), 900);

    static GatewayConfig users(String username, String hash) {
        GatewayConfig.User user = new GatewayConfig.User() {
            public String passwordHash() {
                return hash;
            }

            public Set<String> roles() {
                return Set.of("user");
            }
        };
        return () -> Map.of(username, user);
    }

    @Test
    void aRightPasswordGetsATokenAndAWrongOneOrAnUnknownUserDoesNot() {
        LoginService logins = new LoginService(users("carol", BcryptUtil.bcryptHash("s3cret", 4)), ISSUER);
        assertEquals("Bearer", logins.login("carol", "s3cret").orElseThrow().tokenType());
        assertTrue(logins.login("carol", "S3cret").isEmpty());
        assertTrue(logins.login("dave", "s3cret").isEmpty());
    }

    @Test
    void aHashThatIsNotBcryptStopsStartUpAndNamesTheUserButNotTheHash() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new LoginService(users("carol", "plain-text-password"), ISSUER));
        assertTrue(e.getMessage().contains("gateway.users.carol.password-hash"), e.getMessage());
        assertTrue(!e.getMessage().contains("plain-text-password"), e.getMessage());
    }
}
