package dev.accesstoken.chassis.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.accesstoken.chassis.config.AccessTokenConfig;
import dev.accesstoken.chassis.security.VerifiedTokenCache;
import dev.accesstoken.testsupport.TestKeys;
import dev.accesstoken.testsupport.Tokens;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;

/** The audit's reason for a refused token, from the exceptions SmallRye's real verification throws. */
class RefusalReasonTest {

    WireMockServer gateway;
    final VerifiedTokenCache verifier = new VerifiedTokenCache(new AccessTokenConfig.TokenCache() {
        public boolean enabled() {
            return false;
        }

        public long maxSize() {
            return 1;
        }

        public Duration maxAge() {
            return Duration.ofMinutes(1);
        }

        public Duration keyRecheck() {
            return Duration.ofSeconds(30);
        }
    });

    @BeforeEach
    void startGateway() {
        gateway = new WireMockServer(options().dynamicPort());
        gateway.start();
        gateway.stubFor(get("/.well-known/jwks.json").willReturn(okJson(TestKeys.trusted().jwks())));
    }

    @AfterEach
    void stopGateway() {
        gateway.stop();
    }

    String reason(String token) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(gateway.baseUrl() + "/.well-known/jwks.json", Tokens.ISSUER);
        context.setExpectedAudience(Set.of("order-service"));
        context.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
        context.setForcedJwksRefreshInterval(0);
        ParseException e = assertThrows(ParseException.class, () -> verifier.parse(token, context));
        return ProblemMappers.refusal(e).phrase();
    }

    @Test
    void eachRefusalNamesItsReason() {
        assertEquals("expired", reason(Tokens.user("alice").expired().sign()));
        assertEquals("not yet valid", reason(Tokens.user("alice").notYetValid().sign()));
        assertEquals("wrong audience", reason(Tokens.user("alice").audience("customer-service").sign()));
        assertEquals("wrong issuer", reason(Tokens.user("alice").issuer("https://elsewhere").sign()));
        assertEquals("bad signature", reason(Tokens.tamperedToAdmin("alice")));
        assertEquals("unknown kid or unsigned", reason(Tokens.user("alice").signedByStranger().sign()));
        assertEquals("unknown kid or unsigned", reason(Tokens.user("alice").unsigned()));
        assertEquals("malformed or unverifiable", reason("not-a-jwt"));
        // HS256 keyed with the public key (key confusion): refused, whatever the reason says.
        assertTrue(Set.of("algorithm not allowed", "unknown kid or unsigned", "bad signature", "malformed or unverifiable")
                .contains(reason(Tokens.user("alice").hmacWithThePublicKey())));
    }

    @Test
    void aReasonNeverQuotesTheToken() {
        String token = Tokens.user("alice").expired().sign();
        assertTrue(!reason(token).contains(token.substring(0, 20)));
    }
}
