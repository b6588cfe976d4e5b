package dev.accesstoken.gateway.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ConsoleResourcesTest} against the built artifact: the jar, or the native executable with -Dnative. */
@QuarkusIntegrationTest
class ConsoleResourcesIT extends ConsoleResourcesTest {
}
