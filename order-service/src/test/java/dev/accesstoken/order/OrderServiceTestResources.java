package dev.accesstoken.order;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.accesstoken.testsupport.JwtTestResource;
import dev.accesstoken.testsupport.PostgresResource;
import dev.accesstoken.testsupport.WireMockResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;

/**
 * What an order-service {@code @QuarkusTest} runs against: the test key pair, a fresh PostgreSQL database, and
 * WireMock standing in for customer-service and for the gateway's token endpoint (exchange mode). Scoped to the
 * classes that carry it (not global, as {@code @QuarkusTestResource} is), so a test with resources of its own gets
 * only those; classes with this same set share one start of the application.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(JwtTestResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = WireMockResource.class, initArgs = @ResourceArg(name = "client", value = "customer-service"))
@WithTestResource(value = WireMockResource.class, initArgs = {
        @ResourceArg(name = "client", value = "gateway"),
        @ResourceArg(name = "property", value = "quarkus.oidc-client.auth-server-url") })
public @interface OrderServiceTestResources {
}
