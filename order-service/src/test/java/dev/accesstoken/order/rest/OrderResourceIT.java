package dev.accesstoken.order.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link OrderResourceTest} against the built artifact: the jar, or the native executable with -Dnative. */
@QuarkusIntegrationTest
class OrderResourceIT extends OrderResourceTest {
}
