package dev.accesstoken.gateway;

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
 * What a gateway {@code @QuarkusTest} runs against: the test key pair, a fresh PostgreSQL database, and WireMock
 * standing in for order-service and customer-service. Scoped to the classes that carry it (not global, as
 * {@code @QuarkusTestResource} is). Every class gets both WireMock servers, even one that never calls downstream:
 * a different set of resources would cost a restart of the application, two idle servers cost nothing.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(JwtTestResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(value = WireMockResource.class, initArgs = @ResourceArg(name = "client", value = "order-service"))
@WithTestResource(value = WireMockResource.class, initArgs = @ResourceArg(name = "client", value = "customer-service"))
public @interface GatewayTestResources {
}
