package dev.accesstoken.customer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.accesstoken.testsupport.JwtTestResource;
import dev.accesstoken.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;

/**
 * What a customer-service {@code @QuarkusTest} runs against: the test key pair and a fresh PostgreSQL database.
 * Scoped to the classes that carry it (not global, as {@code @QuarkusTestResource} is), so a test with resources of
 * its own gets only those; classes with this same set share one start of the application.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@WithTestResource(JwtTestResource.class)
@WithTestResource(PostgresResource.class)
public @interface CustomerServiceTestResources {
}
