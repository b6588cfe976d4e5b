package dev.accesstoken.order.rest;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.accesstoken.order.OrderServiceTestResources;
import dev.accesstoken.testsupport.OpenApiContract;
import io.quarkus.test.junit.QuarkusTest;

/** order-service's OpenAPI document describes every endpoint of the code, with the codes each one really answers. */
@QuarkusTest
@OrderServiceTestResources
class OpenApiDocumentTest {

    /** 404 of a missing customer and 503/504 of customer-service relayed; 503 of a lost database; 409/422 from the Idempotency-Key. */
    static final Map<String, Set<Integer>> RESPONSES = Map.ofEntries(
            entry("POST /orders", Set.of(200, 201, 400, 401, 403, 404, 409, 422, 503, 504)),
            entry("GET /orders", Set.of(200, 400, 401, 403, 503)),
            entry("GET /orders/{id}", Set.of(200, 401, 403, 404, 503, 504)),
            entry("GET /orders/trace", Set.of(200, 401, 503, 504)));

    static final List<OpenApiContract.Endpoint> ENDPOINTS = OpenApiContract.endpoints(OrderResource.class);

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
        assertTrue(document.parameters("POST /orders").containsKey("Idempotency-Key"));
        assertTrue(document.responseHeaders("GET /orders", 200).has("Link"));
    }
}
