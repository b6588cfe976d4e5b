package dev.accesstoken.order.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link IdempotencyKeyTest} against the built artifact. */
@QuarkusIntegrationTest
class IdempotencyKeyIT extends IdempotencyKeyTest {
}
