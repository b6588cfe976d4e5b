package dev.accesstoken.order.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import dev.accesstoken.chassis.model.Problem;

/**
 * order-service's OpenAPI document ({@code /q/openapi}): an internal API, which the gateway calls with the user's
 * token. Read at build time; an {@link Application} because that is where SmallRye OpenAPI reads the definition, and it
 * overrides nothing, so every resource stays deployed.
 */
@OpenAPIDefinition(
        info = @Info(title = "order-service", version = "1.0.0", description = """
                Internal API of the Access Token pattern's reference implementation, behind api-gateway. Every call \
                carries the user's access token, which this service verifies itself (issuer, audience order-service, \
                signature against the gateway's JWKS) before checking the role and the ownership. Every error is RFC \
                9457 application/problem+json."""),
        components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)))
@SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "The user's access token as the gateway passed it on")
public class ApiDocument extends Application {

    public static final String BEARER = "bearer";
}
