package dev.accesstoken.gateway.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AuthResourceTest} against the built artifact: the jar, or the native executable with -Dnative. */
@QuarkusIntegrationTest
class AuthResourceIT extends AuthResourceTest {
}
