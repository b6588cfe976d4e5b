package dev.accesstoken.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.security.SecretHashes;
import dev.accesstoken.gateway.security.SigningKeys;
import dev.accesstoken.gateway.security.TokenIssuer;
import io.quarkus.elytron.security.common.BcryptUtil;

/** Secret hashes and client credentials; logins need the database: LoginThrottleTest, RefreshTokenTest. */
class SecretHashesTest {

    static final TokenIssuer ISSUER = new TokenIssuer(new SigningKeys(Optional.empty(), Optional.empty()),
            "https://api-gateway", Set.of("order-service"), 900);

    record Config(Map<String, User> users, Map<String, Client> clients, long clientTokenLifespan)
            implements GatewayConfig {
        @Override
        public LoginThrottle loginThrottle() {
            throw new UnsupportedOperationException("not needed here: see LoginThrottleTest");
        }

        @Override
        public RefreshTokens refreshTokens() {
            throw new UnsupportedOperationException("not needed here: see RefreshTokenTest");
        }

        @Override
        public Exchange exchange() {
            throw new UnsupportedOperationException("not needed here: see TokenExchangeTest");
        }

        @Override
        public Signing signing() {
            throw new UnsupportedOperationException("not needed here: see SigningKeysTest");
        }

        @Override
        public PasswordChecks passwordChecks() {
            throw new UnsupportedOperationException("not needed here: see PasswordBulkheadTest");
        }

        @Override
        public Housekeeping housekeeping() {
            throw new UnsupportedOperationException("not needed here");
        }
    }

    record UserEntry(String passwordHash, Set<String> roles) implements GatewayConfig.User {
    }

    record ClientEntry(String secretHash, String audience) implements GatewayConfig.Client {
    }

    static GatewayConfig users(String username, String hash) {
        return new Config(Map.of(username, new UserEntry(hash, Set.of("user"))), Map.of(), 300);
    }

    @Test
    void aHashThatIsNotBcryptStopsStartUpAndNamesTheUserButNotTheHash() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SecretHashes(users("carol", "plain-text-password")));
        assertTrue(e.getMessage().contains("gateway.users.carol.password-hash"), e.getMessage());
        assertTrue(!e.getMessage().contains("plain-text-password"), e.getMessage());
    }

    @Test
    void aClientSecretHashThatIsNotBcryptStopsStartUpToo() {
        GatewayConfig config = new Config(Map.of(), Map.of("reports", new ClientEntry("s3cret", "order-service")), 300);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SecretHashes(config));
        assertTrue(e.getMessage().contains("gateway.clients.reports.secret-hash"), e.getMessage());
        assertTrue(!e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void aServiceGetsATokenOnlyWithItsOwnSecret() {
        GatewayConfig config = new Config(Map.of(),
                Map.of("reports", new ClientEntry(BcryptUtil.bcryptHash("r3ports", 4), "order-service")), 120);
        ClientCredentialsService clients = new ClientCredentialsService(config, new SecretHashes(config), ISSUER);
        assertEquals(120, clients.token("reports", "r3ports").orElseThrow().expiresIn());
        assertTrue(clients.token("reports", "R3ports").isEmpty());
        assertTrue(clients.token("carol", "r3ports").isEmpty());
    }
}
