package dev.accesstoken.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import dev.accesstoken.gateway.GatewayTestResources;

/** X-Forwarded-For from a peer that is not a trusted proxy is ignored: inventing addresses buys no attempts. */
@QuarkusTest
@TestProfile(UntrustedForwardedForTest.ProxyElsewhere.class)
@GatewayTestResources
class UntrustedForwardedForTest {

    public static class ProxyElsewhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "192.0.2.1",
                    "gateway.login-throttle.address-free-failures", "3");
        }
    }

    @Test
    void spoofedAddressesAllCountAgainstTheRealPeer() {
        for (int i = 1; i <= 4; i++) {
            assertEquals(401, LoginThrottleTest.attempt("198.51.100." + i, "spray-" + i, "wrong").statusCode());
        }
        LoginThrottleTest.assertThrottled(LoginThrottleTest.attempt("198.51.100.99", "alice", "alice"));
    }
}
