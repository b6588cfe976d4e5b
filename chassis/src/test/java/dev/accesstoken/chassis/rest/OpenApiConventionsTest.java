package dev.accesstoken.chassis.rest;

import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DATABASE;
import static dev.accesstoken.chassis.rest.DependsOn.Dependency.DOWNSTREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.jboss.jandex.Index;
import org.junit.jupiter.api.Test;

import dev.accesstoken.chassis.model.Problem;
import io.quarkus.security.Authenticated;
import io.quarkus.security.UnauthorizedException;

/** The responses the filter adds follow the resource methods' annotations, and their examples are ProblemMappers' answers. */
class OpenApiConventionsTest {

    @Path("/things")
    @RolesAllowed("admin")
    @DependsOn(DATABASE)
    static class Things {
        @GET
        public String all() {
            return "";
        }

        @POST
        @Path("/{id: [0-9]+}")
        @RolesAllowed({ "user", "admin" })
        @DependsOn({ DATABASE, DOWNSTREAM })
        public String place() {
            return "";
        }

        @GET
        @Path("/trace")
        @Authenticated
        @DependsOn(DOWNSTREAM)
        public String trace() {
            return "";
        }

        @GET
        @Path("/open")
        @PermitAll
        public String open() {
            return "";
        }

        @POST
        @Path("/valid")
        @PermitAll
        public String valid(@Valid @NotNull Object body) {
            return "";
        }

        @GET
        @Path("/sized/{id}")
        @PermitAll
        public String sized(@PathParam("id") @Size(max = 64) String id) {
            return "";
        }
    }

    static OpenAPI document(String... operations) {
        OpenAPI openAPI = OASFactory.createOpenAPI().paths(OASFactory.createPaths())
                .components(OASFactory.createComponents()
                        .addSchema("Problem", OASFactory.createSchema())
                        .addSecurityScheme("bearer", OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")));
        for (String operation : operations) {
            String[] parts = operation.split(" ");
            PathItem item = openAPI.getPaths().getPathItem(parts[1]);
            if (item == null) {
                item = OASFactory.createPathItem();
                openAPI.getPaths().addPathItem(parts[1], item);
            }
            item.setOperation(PathItem.HttpMethod.valueOf(parts[0]), OASFactory.createOperation()
                    .responses(OASFactory.createAPIResponses().addAPIResponse("200", OASFactory.createAPIResponse().description("OK"))));
        }
        return openAPI;
    }

    static Set<String> codes(Operation operation) {
        return new TreeSet<>(operation.getResponses().getAPIResponses().keySet());
    }

    static Operation filtered(String method, String path) throws IOException {
        OpenAPI openAPI = document("GET /things", "POST /things/{id}", "GET /things/trace", "GET /things/open",
                "POST /things/valid", "GET /things/sized/{id}");
        new OpenApiConventions(Index.of(Things.class)).filterOpenAPI(openAPI);
        return openAPI.getPaths().getPathItem(path).getOperations().get(PathItem.HttpMethod.valueOf(method));
    }

    @Test
    void rolesGive401And403AndTheBearerRequirement() throws IOException {
        Operation all = filtered("GET", "/things");
        assertEquals(Set.of("200", "401", "403", "503"), codes(all));
        assertEquals("[bearer]", all.getSecurity().get(0).getSchemes().keySet().toString());
        assertEquals("Refused: this needs the role admin", all.getResponses().getAPIResponse("403").getDescription());
        assertTrue(all.getResponses().getAPIResponse("401").getHeaders().containsKey(HttpHeaders.WWW_AUTHENTICATE));
        // The database alone: its Retry-After, and no 504.
        assertTrue(all.getResponses().getAPIResponse("503").getHeaders().containsKey(HttpHeaders.RETRY_AFTER));
    }

    @Test
    void theMethodsAnnotationsWinOverTheClasss() throws IOException {
        Operation place = filtered("POST", "/things/{id}");
        assertEquals(Set.of("200", "401", "403", "503", "504"), codes(place));
        assertEquals("Refused: this needs one of the roles admin, user", place.getResponses().getAPIResponse("403").getDescription());
        assertEquals(Set.of("service unavailable", "database unavailable"),
                place.getResponses().getAPIResponse("503").getContent().getMediaType(Problem.MEDIA_TYPE).getExamples().keySet());
    }

    @Test
    void authenticatedGives401ButNo403() throws IOException {
        assertEquals(Set.of("200", "401", "503", "504"), codes(filtered("GET", "/things/trace")));
    }

    @Test
    void aPublicEndpointGetsNoSecurityButStillItsClasssDependencies() throws IOException {
        Operation open = filtered("GET", "/things/open");
        assertEquals(Set.of("200", "503"), codes(open));
        assertNull(open.getSecurity());
    }

    @Test
    void beanValidationGives400AndABodyMayAlsoBeNoJson() throws IOException {
        APIResponse body = filtered("POST", "/things/valid").getResponses().getAPIResponse("400");
        assertEquals(Set.of("invalid", "not JSON"), body.getContent().getMediaType(Problem.MEDIA_TYPE).getExamples().keySet());
        APIResponse path = filtered("GET", "/things/sized/{id}").getResponses().getAPIResponse("400");
        assertEquals(Set.of("invalid"), path.getContent().getMediaType(Problem.MEDIA_TYPE).getExamples().keySet());
        assertNull(filtered("GET", "/things/open").getResponses().getAPIResponse("400"));
    }

    @Test
    void aCodeTheEndpointDeclaresKeepsItsDescriptionAndGainsTheExamples() throws IOException {
        OpenAPI openAPI = document("GET /things");
        openAPI.getPaths().getPathItem("/things").getGET().getResponses()
                .addAPIResponse("503", OASFactory.createAPIResponse().description("Its own words"));
        new OpenApiConventions(Index.of(Things.class)).filterOpenAPI(openAPI);
        APIResponse unavailable = openAPI.getPaths().getPathItem("/things").getGET().getResponses().getAPIResponse("503");
        assertEquals("Its own words", unavailable.getDescription());
        assertEquals(Set.of("database unavailable"), unavailable.getContent().getMediaType(Problem.MEDIA_TYPE).getExamples().keySet());
    }

    @Test
    void aTokenWithoutABearerSchemeFailsTheBuild() throws IOException {
        OpenAPI openAPI = document("GET /things");
        openAPI.getComponents().setSecuritySchemes(Map.of());
        assertThrows(IllegalStateException.class, () -> new OpenApiConventions(Index.of(Things.class)).filterOpenAPI(openAPI));
    }

    // --- The examples are what ProblemMappers answers ---

    final ProblemMappers mappers = new ProblemMappers();

    static String detail(Response response) {
        return ((Problem) response.getEntity()).detail();
    }

    @Test
    void theExamplesAreWhatTheMappersAnswer() throws IOException {
        assertEquals(OpenApiConventions.NO_TOKEN, detail(mappers.unauthenticated(new UnauthorizedException(), null, null)));
        assertEquals(OpenApiConventions.INVALID, detail(mappers.invalid(new jakarta.validation.ConstraintViolationException(Set.of()))));

        Response database = mappers.unexpected(new RuntimeException(new SQLException("gone", "08006")));
        assertEquals(503, database.getStatus());
        assertEquals(OpenApiConventions.DATABASE_UNAVAILABLE, detail(database));
        assertEquals(String.valueOf(OpenApiConventions.DATABASE_RETRY_AFTER), database.getHeaderString(HttpHeaders.RETRY_AFTER));

        Response down = mappers.unavailable(new ProcessingException(new ConnectException("refused")));
        assertEquals(503, down.getStatus());
        assertEquals(OpenApiConventions.DOWNSTREAM_UNAVAILABLE, detail(down));

        Response slow = mappers.unavailable(new ProcessingException(new TimeoutException()));
        assertEquals(504, slow.getStatus());
        assertEquals(OpenApiConventions.DOWNSTREAM_TIMEOUT, detail(slow));

        // And the examples the document shows carry those words, with their status and title.
        Example example = filtered("POST", "/things/{id}").getResponses().getAPIResponse("504").getContent()
                .getMediaType(Problem.MEDIA_TYPE).getExamples().get("service timed out");
        assertEquals(Map.of("type", "about:blank", "title", "Gateway Timeout", "status", 504, "detail",
                OpenApiConventions.DOWNSTREAM_TIMEOUT), example.getValue());
    }
}
