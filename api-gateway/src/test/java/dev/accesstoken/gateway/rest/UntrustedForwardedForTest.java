package dev.accesstoken.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;


import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import dev.accesstoken.gateway.GatewayTestResources;

/** X-Forwarded-For from a peer that is not a trusted proxy is ignored: inventing addresses buys no attempts. */
@QuarkusTest
@TestProfile(UntrustedForwardedForTest.ProxyElsewhere.class)
@GatewayTestResources
class UntrustedForwardedForTest {

    public static class ProxyElsewhere extends ForwardedForProfile {
        public ProxyElsewhere() {
            super("192.0.2.1",
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
