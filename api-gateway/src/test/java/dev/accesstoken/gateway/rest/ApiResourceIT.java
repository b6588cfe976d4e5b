package dev.accesstoken.gateway.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import org.junit.jupiter.api.BeforeEach;

import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ApiResourceTest} against the built artifact: the jar, or the native executable with -Dnative. */
@QuarkusIntegrationTest
class ApiResourceIT extends ApiResourceTest {

    private static boolean warm;

    /**
     * The first call through a freshly launched JVM (class loading, JIT, the first token verification and
     * REST client call) can take seconds on a busy two-core machine, which alone would break the 5 s bound
     * of {@link #slowOrderServiceIs504WithinFiveSeconds()}. One call first, as e2e-tests does; the
     * fakes are reset afterwards, so no test sees it.
     */
    @BeforeEach
    void warmUpOnce() {
        if (warm) {
            return;
        }
        orderService.stubFor(get(urlPathEqualTo("/orders")).willReturn(okJson("[]")));
        as(Tokens.user("alice").sign()).get("/api/orders").then().statusCode(200);
        orderService.resetAll();
        customerService.resetAll();
        warm = true;
    }
}
