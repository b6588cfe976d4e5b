package dev.accesstoken.gateway.rest;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.accesstoken.chassis.model.Problem;

/**
 * The gateway's OpenAPI document ({@code /q/openapi}, Swagger UI at {@code /q/swagger-ui}): what is shared by its
 * operations. The operations themselves are described on the resources; what every error and every response has in
 * common is added by the chassis's {@code OpenApiConventions}. All of it is read at build time.
 * <p>
 * An {@link Application} because that is where SmallRye OpenAPI reads {@code @OpenAPIDefinition} and
 * {@code @SecurityScheme}; it overrides nothing, so every resource stays deployed at its own path.
 */
@OpenAPIDefinition(
        info = @Info(title = "api-gateway", version = "1.0.0", description = """
                The public API of the Access Token pattern's reference implementation. Log in at POST /auth/login, \
                then send the access_token as `Authorization: Bearer <token>` (in Swagger UI: the Authorize button). \
                The gateway checks the token and the role, and passes the same token on to order-service and \
                customer-service, which check both again. Every error is RFC 9457 application/problem+json, except \
                the OAuth errors of POST /auth/token (RFC 6749, section 5.2)."""),
        tags = {
                @Tag(name = "auth", description = "Tokens: log in, refresh, exchange, log out"),
                @Tag(name = "api", description = "Orders and customers, with the caller's token"),
                @Tag(name = "keys", description = "The public keys that verify the gateway's tokens")
        },
        components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)))
@SecurityScheme(securitySchemeName = ApiDocument.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "An access token (RS256 JWT) from POST /auth/login or POST /auth/token")
@SecurityScheme(securitySchemeName = ApiDocument.CLIENT_BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "A service client's id and secret (client_credentials and token-exchange grants of POST /auth/token)")
public class ApiDocument extends Application {

    /** The scheme of every endpoint that needs a token: Swagger UI's Authorize takes the bare token for it. */
    public static final String BEARER = "bearer";
    public static final String CLIENT_BASIC = "client-basic";

}
