package dev.accesstoken.gateway.rest;

import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DATABASE;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.DependsOn;
import dev.accesstoken.gateway.metrics.LoginMeters;
import dev.accesstoken.gateway.model.LoginRequest;
import dev.accesstoken.gateway.model.OAuthError;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.service.ClientCredentialsService;
import dev.accesstoken.gateway.service.LoginService;
import dev.accesstoken.gateway.service.LoginService.Outcome;
import dev.accesstoken.gateway.service.LoginThrottle;
import dev.accesstoken.gateway.service.TokenExchangeService;
import io.vertx.core.http.HttpServerRequest;

/**
 * Where access tokens are issued: to users by password (throttled) and by refresh token (rotated), and to
 * services by client credentials. Logout ends a user's session.
 */
@Path("/auth")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "auth", description = "Tokens: log in, refresh, exchange, log out")
@SecurityScheme(securitySchemeName = AuthResource.CLIENT_BASIC, type = SecuritySchemeType.HTTP, scheme = "basic",
        description = "A service client's id and secret (client_credentials and token-exchange grants of POST /auth/token)")
@DependsOn(DATABASE) // sessions and the login throttle
public class AuthResource {

    static final String CLIENT_BASIC = "client-basic";

    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String REFRESH_TOKEN = "refresh_token";

    @Inject
    LoginService logins;

    @Inject
    ClientCredentialsService clients;

    @Inject
    TokenExchangeService exchanges;

    @Inject
    LoginThrottle throttle;

    @Inject
    LoginMeters meters;

    /**
     * Runs on a worker thread (a blocking signature), since bcrypt is deliberately slow. The client address is
     * the TCP peer's, or the one X-Forwarded-For names when the peer is a trusted proxy
     * ({@code quarkus.http.proxy.*}).
     */
    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log in: an access token and a refresh token", description = "Failed logins are throttled per "
            + "username and client network, per username and per client address, with an exponential backoff (429 and "
            + "Retry-After; docs/login-throttle.md). Passwords are at most 72 bytes of UTF-8 (what bcrypt reads).")
    @APIResponse(responseCode = "200", description = "Logged in: the access token (Swagger UI's Authorize takes its "
            + "access_token) and the refresh token that starts the session",
            headers = @Header(name = HttpHeaders.CACHE_CONTROL, description = "no-store: no cache may keep a token",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "Unknown user or wrong password: one answer for both")
    @APIResponse(responseCode = "429", description = "Too many failed logins for this username (from this network, or "
            + "from everywhere) or from this address",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before the next attempt",
                    schema = @Schema(type = SchemaType.INTEGER)))
    @APIResponse(responseCode = "503", description = "The gateway is checking as many passwords as it may "
            + "(gateway.password-checks.max-concurrent), or its database is unavailable for a moment; try again shortly",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before the next attempt",
                    schema = @Schema(type = SchemaType.INTEGER)))
    public Response login(@Valid @NotNull LoginRequest request, @Context HttpServerRequest http) {
        Outcome outcome = logins.login(request.username(), request.password(), http.remoteAddress().hostAddress());
        if (outcome instanceof Outcome.Throttled throttled) {
            long seconds = Math.max(1, (throttled.retryAfter().toMillis() + 999) / 1000);
            return noStore(Problem.of(429, "Too many failed logins; try again in " + seconds + " s").toResponse())
                    .header(HttpHeaders.RETRY_AFTER, seconds).build();
        }
        if (outcome instanceof Outcome.Busy) {
            return noStore(Problem.of(503, "Too many logins at once; try again in a moment").toResponse())
                    .header(HttpHeaders.RETRY_AFTER, 1).build();
        }
        if (outcome instanceof Outcome.LoggedIn loggedIn) {
            return noStore(Response.ok(loggedIn.tokens())).build();
        }
        // One answer for an unknown user and a wrong password, so neither is revealed. No Bearer challenge:
        // login takes a username and password, not a bearer token.
        return noStore(Problem.of(401, "Invalid username or password").toResponse()).build();
    }

    /** Ends the session of the refresh token (its whole family). 204 whether or not there was one. */
    @POST
    @Path("/logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Log out: revoke the session of a refresh token", description = "The access tokens already "
            + "issued live on until they expire: at most smallrye.jwt.new-token.lifespan (300 s) plus the services' clock "
            + "skew, mp.jwt.verify.clock.skew (30 s).")
    @APIResponse(responseCode = "204", description = "The session (every refresh token of that login) is revoked; "
            + "the same answer for an unknown token")
    @APIResponse(responseCode = "400", description = "No refresh_token")
    public Response logout(@FormParam(REFRESH_TOKEN) @Schema(description = "Required: the refresh token of the "
            + "session to end") String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            return noStore(Problem.of(400, "refresh_token is required").toResponse()).build();
        }
        logins.logout(refreshToken);
        return noStore(Response.noContent()).build();
    }

    /**
     * The OAuth 2.0 token endpoint (RFC 6749): {@code grant_type=client_credentials} for services, the client
     * authenticated with HTTP Basic (section 4.4); {@code grant_type=refresh_token} for users, the refresh token
     * being the credential (section 6), rotated on every use. Errors are OAuth errors (section 5.2), not
     * problem+json, because OAuth clients such as quarkus-oidc-client read them.
     */
    @POST
    @Path("/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "OAuth 2.0 token endpoint: refresh_token, client_credentials, token-exchange",
            description = "refresh_token (users; no client authentication): the next access token and refresh token; the "
                    + "presented refresh token stops working, and presenting a used one revokes the whole session. "
                    + "client_credentials (services; HTTP Basic): a token with the groups [service] and the client's one "
                    + "audience. urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693; services; HTTP Basic): the "
                    + "subject token's user, for the client's one audience, with act.sub = the client id. Errors are "
                    + "RFC 6749 JSON ({\"error\", \"error_description\"}), not problem+json.")
    @SecurityRequirementsSet // the refresh_token grant: the refresh token is the credential
    @SecurityRequirement(name = CLIENT_BASIC) // client_credentials and token-exchange
    @APIResponse(responseCode = "200", description = "A new access token (and, for refresh_token, the next refresh token)",
            headers = @Header(name = HttpHeaders.CACHE_CONTROL, description = "no-store: no cache may keep a token",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "400", description = "invalid_request (a missing parameter, or a subject token that is not "
            + "a valid user's access token issued to this client), invalid_grant (an unknown, expired, used or revoked "
            + "refresh token), unsupported_grant_type, invalid_target (an audience the client may not have)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(responseCode = "401", description = "invalid_client: no HTTP Basic client authentication, an unknown "
            + "client or a wrong secret (client_credentials and token-exchange)",
            headers = @Header(name = HttpHeaders.WWW_AUTHENTICATE, description = "Basic realm=\"api-gateway\"",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
    @APIResponse(responseCode = "429", description = "temporarily_unavailable: too many failed client authentications "
            + "for this client id (from this network, or from everywhere) or from this address (client_credentials and "
            + "token-exchange)",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait before the next attempt",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
    public Response token(
            @FormParam("grant_type") @Schema(description = "Required", enumeration = { REFRESH_TOKEN, CLIENT_CREDENTIALS,
                    TokenExchangeService.GRANT_TYPE }, example = REFRESH_TOKEN) String grantType,
            @FormParam(REFRESH_TOKEN) @Schema(description = "refresh_token grant: the refresh token") String refreshToken,
            @FormParam("subject_token") @Schema(description = "token-exchange: the user's access token") String subjectToken,
            @FormParam("subject_token_type") @Schema(description = "token-exchange: the type of subject_token",
                    enumeration = TokenResponse.ACCESS_TOKEN_TYPE) String subjectTokenType,
            @FormParam("audience") @Schema(description = "token-exchange: the one audience the client may ask for",
                    example = "customer-service") String audience,
            @HeaderParam(HttpHeaders.AUTHORIZATION) @Parameter(hidden = true) String authorization,
            @Context HttpServerRequest http) {
        if (REFRESH_TOKEN.equals(grantType)) {
            if (refreshToken == null || refreshToken.isBlank()) {
                return error(400, "invalid_request", "refresh_token is required");
            }
            return logins.refresh(refreshToken)
                    .map(token -> noStore(Response.ok(token)).build())
                    .orElseGet(() -> error(400, "invalid_grant", "The refresh token is invalid, expired, used or revoked"));
        }
        Optional<String[]> credentials = basicCredentials(authorization);
        if (credentials.isEmpty()) {
            return invalidClient("Authenticate the client with HTTP Basic");
        }
        if (grantType == null || grantType.isBlank()) {
            return error(400, "invalid_request", "grant_type is required");
        }
        String[] idAndSecret = credentials.get();
        boolean exchange = TokenExchangeService.GRANT_TYPE.equals(grantType);
        if (!exchange && !CLIENT_CREDENTIALS.equals(grantType)) {
            return error(400, "unsupported_grant_type", "Supported: client_credentials, refresh_token, " + TokenExchangeService.GRANT_TYPE);
        }
        // Counted before the secret is checked, like a login: a flood of guesses meets 429s, not the secret check.
        LoginThrottle.Attempt attempt = throttle.client(idAndSecret[0], http.remoteAddress().hostAddress());
        Optional<Duration> wait = throttle.reserve(attempt);
        if (wait.isPresent()) {
            meters.clientThrottled();
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            return noStore(Response.status(429).entity(new OAuthError("temporarily_unavailable",
                    "Too many failed client authentications; try again in " + seconds + " s")))
                    .header(HttpHeaders.RETRY_AFTER, seconds).build();
        }
        if (exchange) {
            TokenExchangeService.Outcome outcome = exchanges.exchange(idAndSecret[0], idAndSecret[1], subjectToken,
                    subjectTokenType, audience);
            if (outcome instanceof TokenExchangeService.Outcome.Refused refused && "invalid_client".equals(refused.error())) {
                meters.clientFailed();
                return invalidClient(refused.description());
            }
            clientAuthenticated(attempt); // any other answer comes after the client proved its secret
            if (outcome instanceof TokenExchangeService.Outcome.Issued issued) {
                return noStore(Response.ok(issued.token())).build();
            }
            TokenExchangeService.Outcome.Refused refused = (TokenExchangeService.Outcome.Refused) outcome;
            return error(400, refused.error(), refused.description());
        }
        Optional<TokenResponse> token = clients.token(idAndSecret[0], idAndSecret[1]);
        if (token.isEmpty()) {
            meters.clientFailed();
            return invalidClient("Unknown client or wrong secret");
        }
        clientAuthenticated(attempt);
        return noStore(Response.ok(token.get())).build();
    }

    private void clientAuthenticated(LoginThrottle.Attempt attempt) {
        throttle.succeeded(attempt);
        meters.clientSucceeded();
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
        return response.header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache");
    }
}
