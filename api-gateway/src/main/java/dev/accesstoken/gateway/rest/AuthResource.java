package dev.accesstoken.gateway.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.accesstoken.gateway.model.LoginRequest;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.service.LoginService;

/** Where access tokens are issued. */
@Path("/auth")
@PermitAll
public class AuthResource {

    @Inject
    LoginService logins;

    /** Runs on a worker thread (a blocking signature), since bcrypt is deliberately slow. */
    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public TokenResponse login(@Valid @NotNull LoginRequest request) {
        // One answer for an unknown user and a wrong password, so neither is revealed.
        return logins.login(request.username(), request.password())
                .orElseThrow(() -> new NotAuthorizedException("Invalid username or password", "Bearer"));
    }
}
