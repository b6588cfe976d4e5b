package dev.accesstoken.chassis.rest;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an endpoint needs besides itself, so that its OpenAPI operation lists the answers a failure of it gives:
 * {@link OpenApiConventions} adds the 503 (and 504) that {@link ProblemMappers} then really answers. On a method it
 * replaces one on its class. Read at build time only; nothing at run time looks at it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface DependsOn {

    Dependency[] value();

    enum Dependency {
        /** Another service, called over HTTP: 503 when it is down, 504 when it does not answer in time. */
        DOWNSTREAM,
        /** The service's own database: 503 with {@code Retry-After} when it is unavailable. */
        DATABASE
    }
}
