package dev.accesstoken.customer.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ReservationResourceTest} against the built artifact. */
@QuarkusIntegrationTest
class ReservationResourceIT extends ReservationResourceTest {
}
