package dev.accesstoken.gateway.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link TokenEndpointTest} against the built artifact. */
@QuarkusIntegrationTest
class TokenEndpointIT extends TokenEndpointTest {
}
