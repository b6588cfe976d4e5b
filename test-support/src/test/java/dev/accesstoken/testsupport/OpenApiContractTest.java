package dev.accesstoken.testsupport;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import io.quarkus.security.Authenticated;

/** The contract checks fail when the document leaves something out, and pass when it does not. */
class OpenApiContractTest {

    @Path("things/")
    @RolesAllowed("user")
    static class Things {
        @GET
        public String list() {
            return "";
        }

        @GET
        @Path("/{id: [0-9]+}")
        @PermitAll
        public String one() {
            return "";
        }

        @POST
        @Authenticated
        public void add() {
        }

        public void notAnEndpoint() {
        }
    }

    static final List<OpenApiContract.Endpoint> ENDPOINTS = OpenApiContract.endpoints(List.of(Things.class));
    static final Map<String, Set<Integer>> CODES = Map.of(
            "GET /things", Set.of(200, 401, 403),
            "GET /things/{id}", Set.of(200, 404),
            "POST /things", Set.of(204, 401));

    static final String PROBLEM = """
            {"content":{"application/problem+json":{"schema":{"$ref":"#/components/schemas/Problem"}}},
             "headers":{"X-Request-Id":{"$ref":"#/components/headers/X-Request-Id"}}}""";
    static final String OK = """
            {"content":{"application/json":{"schema":{"type":"string","example":"a"}}},
             "headers":{"X-Request-Id":{"$ref":"#/components/headers/X-Request-Id"}}}""";
    static final String COMPLETE = """
            {"openapi":"3.1.0",
             "components":{"schemas":{"Problem":{"type":"object","properties":{"type":{},"title":{},"status":{},"detail":{}}}},
               "headers":{"X-Request-Id":{"schema":{"type":"string"}}},
               "securitySchemes":{"bearer":{"type":"http","scheme":"bearer","bearerFormat":"JWT"}}},
             "paths":{
               "/things":{
                 "get":{"security":[{"bearer":[]}],"responses":{"200":OK,"401":PROBLEM,"403":PROBLEM}},
                 "post":{"security":[{"bearer":[]}],"responses":{"204":{"headers":{"X-Request-Id":{}}},"401":PROBLEM}}},
               "/things/{id}":{
                 "get":{"responses":{"200":OK,"404":PROBLEM}}}}}
            """.replace("PROBLEM", PROBLEM).replace("OK", OK);

    @Test
    void findsTheResourceMethodsWithTheirPathTemplatesAndSecurity() {
        assertEquals(List.of(
                new OpenApiContract.Endpoint("GET", "/things", true),
                new OpenApiContract.Endpoint("GET", "/things/{id}", false),
                new OpenApiContract.Endpoint("POST", "/things", true)), ENDPOINTS);
    }

    @Test
    void aCompleteDocumentPasses() {
        OpenApiContract contract = OpenApiContract.of(COMPLETE);
        contract.assertDocumentsExactly(ENDPOINTS);
        contract.assertResponseCodes(ENDPOINTS, CODES);
        contract.assertErrorsAreProblems(Set.of());
        contract.assertBearerOnSecuredOnly(ENDPOINTS);
        contract.assertEveryResponseHasHeader("X-Request-Id");
        contract.assertJsonBodiesHaveExamples();
    }

    @Test
    void anUndocumentedEndpointFails() {
        OpenApiContract contract = OpenApiContract.of(COMPLETE.replace("\"post\":", "\"put\":"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> contract.assertDocumentsExactly(ENDPOINTS));
        assertThat(e.getMessage(), containsString("missing from the OpenAPI document: [POST /things]"));
        assertThat(e.getMessage(), containsString("not in the code: [PUT /things]"));
    }

    @Test
    void aMissingResponseCodeFails() {
        OpenApiContract contract = OpenApiContract.of(COMPLETE.replace(",\"403\":" + PROBLEM, ""));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> contract.assertResponseCodes(ENDPOINTS, CODES));
        assertThat(e.getMessage(), containsString("GET /things: missing [403]"));
    }

    @Test
    void anEndpointWithoutARowInTheTableFails() {
        OpenApiContract contract = OpenApiContract.of(COMPLETE);
        assertThrows(AssertionFailedError.class, () -> contract.assertResponseCodes(ENDPOINTS,
                Map.of("GET /things", Set.of(200, 401, 403), "GET /things/{id}", Set.of(200, 404))));
    }

    @Test
    void anErrorExampleOfAnotherStatusFails() {
        // Every error response's example names its own status: 404's example under 404 passes, under 403 it fails.
        String withExamples = COMPLETE.replaceAll("\"(\\d{3})\":\\{\"content\":\\{\"application/problem\\+json\":\\{",
                "\"$1\":{\"content\":{\"application/problem+json\":{\"example\":{\"status\":$1},");
        OpenApiContract.of(withExamples).assertErrorExamplesHaveTheirStatus();
        OpenApiContract wrong = OpenApiContract.of(withExamples.replace("{\"status\":403}", "{\"status\":404}"));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, wrong::assertErrorExamplesHaveTheirStatus);
        assertThat(e.getMessage(), containsString(" 403: example {\"status\":404}"));
        // No example at all: Swagger UI would show the schema's, of some other status.
        assertThrows(AssertionFailedError.class, OpenApiContract.of(COMPLETE)::assertErrorExamplesHaveTheirStatus);
    }

    @Test
    void anErrorThatIsNotProblemJsonFails() {
        OpenApiContract contract = OpenApiContract.of(COMPLETE.replace("\"404\":" + PROBLEM,
                "\"404\":" + PROBLEM.replace("application/problem+json", "application/json")));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> contract.assertErrorsAreProblems(Set.of()));
        assertThat(e.getMessage(), containsString("GET /things/{id} 404"));
        contract.assertErrorsAreProblems(Set.of("GET /things/{id} 404")); // a declared exception
    }

    @Test
    void aSecuredOperationWithoutTheBearerSchemeFailsAndSoDoesAPublicOneWithIt() {
        OpenApiContract unsecured = OpenApiContract.of(COMPLETE.replaceFirst("\"security\":\\[\\{\"bearer\":\\[]}],", ""));
        assertThrows(AssertionFailedError.class, () -> unsecured.assertBearerOnSecuredOnly(ENDPOINTS));
        OpenApiContract optional = OpenApiContract.of(COMPLETE.replaceFirst("\\[\\{\"bearer\":\\[]}]", "[{\"bearer\":[]},{}]"));
        assertThrows(AssertionFailedError.class, () -> optional.assertBearerOnSecuredOnly(ENDPOINTS));
        OpenApiContract overexposed = OpenApiContract.of(COMPLETE.replace("\"get\":{\"responses\"",
                "\"get\":{\"security\":[{\"bearer\":[]}],\"responses\""));
        assertThrows(AssertionFailedError.class, () -> overexposed.assertBearerOnSecuredOnly(ENDPOINTS));
    }

    @Test
    void aJsonBodyWithoutAnExampleFails() {
        OpenApiContract contract = OpenApiContract.of(COMPLETE.replace(",\"example\":\"a\"", ""));
        assertThrows(AssertionFailedError.class, contract::assertJsonBodiesHaveExamples);
    }
}
