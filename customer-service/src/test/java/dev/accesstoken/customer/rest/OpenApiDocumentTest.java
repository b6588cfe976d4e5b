package dev.accesstoken.customer.rest;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.accesstoken.customer.CustomerServiceTestResources;
import dev.accesstoken.testsupport.OpenApiContract;
import dev.accesstoken.testsupport.Tokens;
import io.quarkus.test.junit.QuarkusTest;

/** customer-service's OpenAPI document describes every endpoint of the code, with the codes each one really answers. */
@QuarkusTest
@CustomerServiceTestResources
class OpenApiDocumentTest {

    /** 404 for another user's customer as for a missing one; 409 for an orderId reserved with another amount; 503 whenever its database is lost. */
    static final Map<String, Set<Integer>> RESPONSES = Map.ofEntries(
            entry("GET /customers/me", Set.of(200, 401, 403, 404, 503)),
            entry("GET /customers/{id}", Set.of(200, 401, 403, 404, 503)),
            entry("GET /customers", Set.of(200, 401, 403, 503)),
            entry("POST /customers/{id}/reservations", Set.of(200, 400, 401, 403, 404, 409, 503)),
            entry("GET /customers/trace", Set.of(200, 401, 403)),
            entry("GET /reservations/{orderId}", Set.of(200, 400, 401, 403, 404, 503)),
            entry("POST /reservations/{orderId}/settlement", Set.of(200, 400, 401, 403, 503)));

    static final List<OpenApiContract.Endpoint> ENDPOINTS = OpenApiContract.endpoints(CustomerResource.class);

    @Test
    void everyEndpointIsDocumentedWithItsResponseCodes() {
        assertEquals(RESPONSES.keySet(), Set.copyOf(ENDPOINTS.stream().map(OpenApiContract.Endpoint::operation).toList()));
        OpenApiContract document = OpenApiContract.fetch();
        document.assertDocumentsExactly(ENDPOINTS);
        document.assertResponseCodes(ENDPOINTS, RESPONSES);
    }

    @Test
    void everyErrorIsProblemJsonAndEveryOperationNeedsTheBearerToken() {
        OpenApiContract document = OpenApiContract.fetch();
        document.assertErrorsAreProblems(Set.of());
        document.assertErrorExamplesHaveTheirStatus();
        document.assertBearerOnSecuredOnly(ENDPOINTS);
        assertTrue(ENDPOINTS.stream().allMatch(OpenApiContract.Endpoint::secured), "an internal service has no public endpoint");
        document.assertEveryResponseHasHeader("X-Request-Id");
    }

    /** The 401 and 403 the chassis documents are, word for word, what this service answers. */
    @Test
    void theDocumentedRefusalsAreTheRealAnswers() {
        OpenApiContract document = OpenApiContract.fetch();
        document.assertExampleIsTheAnswer("GET /customers", 401, "no token", given().get("/customers"));
        document.assertExampleIsTheAnswer("GET /customers", 403, "role refused",
                given().header("Authorization", Tokens.bearer(Tokens.user("alice").sign())).get("/customers"));
    }
}
