package dev.accesstoken.gateway.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
class LimitsIT extends LimitsTest {
}
