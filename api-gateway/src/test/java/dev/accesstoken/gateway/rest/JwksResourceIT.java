package dev.accesstoken.gateway.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link JwksResourceTest} against the built artifact: the jar, or the native executable with -Dnative. */
@QuarkusIntegrationTest
class JwksResourceIT extends JwksResourceTest {
}
