package dev.accesstoken.customer.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link CustomerResourceTest} against the built artifact: the jar, or the native executable with -Dnative. */
@QuarkusIntegrationTest
class CustomerResourceIT extends CustomerResourceTest {
}
