package dev.accesstoken.gateway.rest;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile in which the gateway believes X-Forwarded-For from one proxy only, as behind the Ingress. With
 * {@code 127.0.0.1} (the test client) each test can speak from client addresses of its own; with any other address
 * the header must be ignored. Subclasses add what their test sets besides.
 */
abstract class ForwardedForProfile implements QuarkusTestProfile {

    private final Map<String, String> overrides = new HashMap<>();

    ForwardedForProfile(String trustedProxy, String... moreKeysAndValues) {
        overrides.put("quarkus.http.proxy.proxy-address-forwarding", "true");
        overrides.put("quarkus.http.proxy.allow-x-forwarded", "true");
        overrides.put("quarkus.http.proxy.trusted-proxies", trustedProxy);
        for (int i = 0; i < moreKeysAndValues.length; i += 2) {
            overrides.put(moreKeysAndValues[i], moreKeysAndValues[i + 1]);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.copyOf(overrides);
    }
}
