package dev.accesstoken.customer.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import dev.accesstoken.chassis.model.Problem;

/**
 * customer-service's OpenAPI document ({@code /q/openapi}): an internal API, which order-service and the gateway call
 * with the user's token, and order-service's reconciler with a service token. Read at build time; an
 * {@link Application} because that is where SmallRye OpenAPI reads the definition, and it overrides nothing, so every
 * resource stays deployed.
 */
@OpenAPIDefinition(
        info = @Info(title = "customer-service", version = "1.0.0", description = """
                Internal API of the Access Token pattern's reference implementation, behind order-service and \
                api-gateway. Every call carries an access token, which this service verifies itself (issuer, \
                audience customer-service, signature against the gateway's JWKS) before checking the role and the \
                ownership. Every error is RFC 9457 application/problem+json."""),
        components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)))
@SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "The user's access token as it was passed on (or exchanged), or, for "
                + "/reservations, a service token of the client_credentials grant")
public class ApiDocument extends Application {

    public static final String BEARER = "bearer";
}
