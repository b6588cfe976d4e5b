package dev.accesstoken.gateway.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.accesstoken.gateway.model.LoginRequest;
import dev.accesstoken.gateway.model.OAuthError;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.service.ClientCredentialsService;
import dev.accesstoken.gateway.service.LoginService;

/** Where access tokens are issued: to users by password, and to services by client credentials. */
@Path("/auth")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    static final String CLIENT_CREDENTIALS = "client_credentials";

    @Inject
    LoginService logins;

    @Inject
    ClientCredentialsService clients;

    /** Runs on a worker thread (a blocking signature), since bcrypt is deliberately slow. */
    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(@Valid @NotNull LoginRequest request) {
        // One answer for an unknown user and a wrong password, so neither is revealed.
        TokenResponse token = logins.login(request.username(), request.password())
                .orElseThrow(() -> new NotAuthorizedException("Invalid username or password", "Bearer"));
        return noStore(Response.ok(token)).build();
    }

    /**
     * The OAuth 2.0 token endpoint for services (RFC 6749, section 4.4): {@code grant_type=client_credentials},
     * the client authenticated with HTTP Basic. Errors are OAuth errors (section 5.2), not problem+json,
     * because OAuth clients such as quarkus-oidc-client read them.
     */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response token(@FormParam("grant_type") String grantType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Optional<String[]> credentials = basicCredentials(authorization);
        if (credentials.isEmpty()) {
            return invalidClient("Authenticate the client with HTTP Basic");
        }
        if (grantType == null || grantType.isBlank()) {
            return error(400, "invalid_request", "grant_type is required");
        }
        if (!CLIENT_CREDENTIALS.equals(grantType)) {
            return error(400, "unsupported_grant_type", "Only client_credentials is supported here");
        }
        String[] idAndSecret = credentials.get();
        return clients.token(idAndSecret[0], idAndSecret[1])
                .map(token -> noStore(Response.ok(token)).build())
                .orElseGet(() -> invalidClient("Unknown client or wrong secret"));
    }

    /** {@code Basic base64(client_id:client_secret)}; empty if the header is missing or malformed. */
    static Optional<String[]> basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0 || colon == decoded.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new String[] { decoded.substring(0, colon), decoded.substring(colon + 1) });
    }

    private static Response invalidClient(String description) {
        return noStore(Response.status(401).entity(new OAuthError("invalid_client", description)))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"api-gateway\"").build();
    }

    private static Response error(int status, String error, String description) {
        return noStore(Response.status(status).entity(new OAuthError(error, description))).build();
    }

    /** RFC 6749, section 5.1: no cache may keep a token response. */
    private static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        return response.type(MediaType.APPLICATION_JSON).header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache");
    }
}
