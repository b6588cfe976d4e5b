package dev.accesstoken.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.security.ClientSecrets;
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
    void aClientSecretHashThatIsNotSha256HexStopsStartUpAndNamesTheClientButNotTheHash() {
        for (String bad : new String[] { "s3cret", BcryptUtil.bcryptHash("r3ports", 4), "AB".repeat(32), "ab".repeat(31) }) {
            GatewayConfig config = new Config(Map.of(), Map.of("reports", new ClientEntry(bad, "order-service")), 300);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ClientSecrets(config), bad);
            assertTrue(e.getMessage().contains("gateway.clients.reports.secret-hash"), e.getMessage());
            assertFalse(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void aClientSecretIsComparedByItsSha256() {
        String secret = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        String hash = ClientSecrets.sha256Hex(secret);
        // Known answer: the SHA-256 of the demo secret, as application.properties and generate-secrets.sh --demo hold it.
        assertEquals("db25c15f3611c175be093b5a12c7d7c2e667f969a49babda4db34b5b0a21635e",
                ClientSecrets.sha256Hex("order-service-secret"));
        GatewayConfig config = new Config(Map.of(), Map.of("reports", new ClientEntry(hash, "order-service")), 120);
        ClientSecrets secrets = new ClientSecrets(config);
        assertTrue(secrets.matches(secret, hash));
        // The hash itself is no secret that authenticates, nor is a secret that differs in its last character.
        assertFalse(secrets.matches(hash, hash));
        assertFalse(secrets.matches(secret.substring(0, 63) + "9", hash));
        assertFalse(secrets.matches(secret + "0", hash));
        assertFalse(secrets.matches("", hash));
        // Unknown client: never matches, not even the secret whose hash is the decoy's all-zero bytes.
        assertFalse(secrets.matches(secret, null));
    }

    @Test
    void clientSecretsCostNoBcrypt() {
        GatewayConfig config = new Config(Map.of(),
                Map.of("reports", new ClientEntry(ClientSecrets.sha256Hex("r3ports"), "order-service")), 120);
        ClientSecrets secrets = new ClientSecrets(config);
        // 20,000 refusals: a cost-10 bcrypt each would take minutes; SHA-256 takes milliseconds. Wide margin.
        long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            assertFalse(secrets.matches("guess-" + i, ClientSecrets.sha256Hex("r3ports")));
        }
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "20,000 refusals took over 20 s");
    }

    @Test
    void aServiceGetsATokenOnlyWithItsOwnSecret() {
        GatewayConfig config = new Config(Map.of(),
                Map.of("reports", new ClientEntry(ClientSecrets.sha256Hex("r3ports"), "order-service")), 120);
        ClientCredentialsService clients = new ClientCredentialsService(config, new ClientSecrets(config), ISSUER);
        assertEquals(120, clients.token("reports", "r3ports").orElseThrow().expiresIn());
        assertTrue(clients.token("reports", "R3ports").isEmpty());
        assertTrue(clients.token("carol", "r3ports").isEmpty());
    }
}
