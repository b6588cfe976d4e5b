package dev.accesstoken.gateway.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.Cache;

import dev.accesstoken.gateway.security.SigningKeys;

/** The public keys every service fetches to verify the gateway's tokens. */
@Path("/.well-known/jwks.json")
@PermitAll
@Tag(name = "keys", description = "The public keys that verify the gateway's tokens")
public class JwksResource {

    @Inject
    SigningKeys keys;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Cache(maxAge = 300)
    @Operation(summary = "The JWK Set that verifies the gateway's tokens", description = "The signing key first, then "
            + "retired keys whose tokens may still be valid. Every token names its key in the kid header.")
    @APIResponse(responseCode = "200", description = "The public keys (RFC 7517); never a private part",
            headers = @Header(name = "Cache-Control", description = "max-age=300", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.OBJECT, requiredProperties = "keys"),
                    examples = @ExampleObject(name = "one key", value = """
                            {"keys":[{"kty":"RSA","kid":"Xb2cd9Gv0cJ4a3Yk7mFq1sNwTz6pLr8eHuVjKo5iAgE","use":"sig","alg":"RS256",\
                            "n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP",\
                            "e":"AQAB"}]}""")))
    public Map<String, Object> jwks() {
        return keys.jwks();
    }
}
