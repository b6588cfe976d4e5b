package dev.accesstoken.gateway.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.restassured.RestAssured.given;
import static java.util.Map.entry;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import dev.accesstoken.gateway.GatewayTestResources;
import dev.accesstoken.testsupport.OpenApiContract;
import dev.accesstoken.testsupport.Tokens;
import dev.accesstoken.testsupport.WireMockResource.InjectWireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The gateway's OpenAPI document describes every endpoint the code has, with the response codes each one really
 * answers, and Swagger UI, served beside it, authorizes with a token from /auth/login.
 */
@QuarkusTest
@GatewayTestResources
class OpenApiDocumentTest {

    /**
     * What each operation answers, from the code and its tests: 401/403 from the chassis's mappers, 404/409/422 and
     * the 503/504 of a lost credit decision relayed from order-service, 503/504 when a service behind is down or
     * slow, 429 from the login throttle, 503 when the gateway's own database is gone.
     */
    static final Map<String, Set<Integer>> RESPONSES = Map.ofEntries(
            entry("POST /auth/login", Set.of(200, 400, 401, 429, 503)),
            entry("POST /auth/token", Set.of(200, 400, 401, 429, 503)),
            entry("POST /auth/logout", Set.of(204, 400, 503)),
            entry("GET /.well-known/jwks.json", Set.of(200)),
            entry("POST /api/orders", Set.of(200, 201, 400, 401, 403, 404, 409, 422, 503, 504)),
            entry("GET /api/orders", Set.of(200, 400, 401, 403, 503, 504)),
            entry("GET /api/orders/{id}", Set.of(200, 401, 403, 404, 503, 504)),
            entry("GET /api/customers/me", Set.of(200, 401, 403, 404, 503, 504)),
            entry("GET /api/trace", Set.of(200, 401, 503, 504)));

    /** The token endpoint's errors are RFC 6749 JSON, because OAuth clients read them; every other error is a problem. */
    static final Set<String> OAUTH_ERRORS = Set.of("POST /auth/token 400", "POST /auth/token 401", "POST /auth/token 429");

    static final List<OpenApiContract.Endpoint> ENDPOINTS = OpenApiContract.endpoints(ApiResource.class);

    @InjectWireMock("order-service")
    WireMockServer orderService;

    @Test
    void theEndpointsFoundInTheCodeAreTheOnesWeExpect() {
        // Guards the reflection itself: if it found nothing, or lost a resource, every other check would be hollow.
        assertEquals(RESPONSES.keySet(), Set.copyOf(ENDPOINTS.stream().map(OpenApiContract.Endpoint::operation).toList()));
    }

    @Test
    void everyEndpointIsDocumentedAndNothingElse() {
        OpenApiContract.fetch().assertDocumentsExactly(ENDPOINTS);
    }

    @Test
    void everyOperationDeclaresTheCodesItReallyAnswers() {
        OpenApiContract.fetch().assertResponseCodes(ENDPOINTS, RESPONSES);
    }

    @Test
    void everyErrorIsProblemJsonButTheOAuthErrorsOfTheTokenEndpoint() {
        OpenApiContract document = OpenApiContract.fetch();
        document.assertErrorsAreProblems(OAUTH_ERRORS);
        document.assertErrorExamplesHaveTheirStatus();
        for (String error : OAUTH_ERRORS) {
            String[] parts = error.split(" ");
            JsonNode content = document.resolve(document.operation(parts[0] + " " + parts[1]).path("responses").path(parts[2]))
                    .path("content");
            assertEquals("#/components/schemas/OAuthError", content.path("application/json").path("schema").path("$ref").asText(),
                    error);
        }
        Set<String> members = new java.util.TreeSet<>();
        document.document().at("/components/schemas/OAuthError/properties").fieldNames().forEachRemaining(members::add);
        assertEquals(Set.of("error", "error_description"), members);
    }

    @Test
    void theSecuredOperationsNeedTheBearerTokenAndLoginAndTheKeysDoNot() {
        OpenApiContract document = OpenApiContract.fetch();
        document.assertBearerOnSecuredOnly(ENDPOINTS);
        for (String open : List.of("POST /auth/login", "GET /.well-known/jwks.json", "POST /auth/logout")) {
            assertFalse(document.operation(open).has("security"), open + " must need no credentials");
        }
        assertFalse(document.document().has("security"), "no document-wide requirement");
        // The token endpoint: HTTP Basic for the service grants, or nothing for refresh_token.
        assertEquals("[{\"client-basic\":[]},{}]", document.operation("POST /auth/token").path("security").toString());
    }

    @Test
    void theHeadersAreDocumentedWhereTheyApply() {
        OpenApiContract document = OpenApiContract.fetch();
        document.assertEveryResponseHasHeader("X-Request-Id");
        assertTrue(document.parameters("POST /api/orders").containsKey("Idempotency-Key"));
        assertEquals("header", document.parameters("POST /api/orders").get("Idempotency-Key").path("in").asText());
        // A placeholder, not a key: Swagger UI's "Try it out" must not send a key a README example already used.
        assertEquals("<a UUID you choose>", document.parameters("POST /api/orders").get("Idempotency-Key").path("example").asText());
        assertTrue(document.parameters("GET /api/trace").containsKey("X-Request-Id"));
        assertTrue(document.responseHeaders("POST /auth/login", 429).has("Retry-After"));
        assertTrue(document.responseHeaders("GET /api/orders", 200).has("Link"));
        assertTrue(document.responseHeaders("POST /api/orders", 201).has("Location"));
        assertTrue(document.responseHeaders("POST /api/orders", 200).has("Content-Location"));
        assertTrue(document.responseHeaders("GET /api/orders/{id}", 401).has("WWW-Authenticate"));
        assertTrue(document.responseHeaders("POST /auth/token", 401).has("WWW-Authenticate"));
        // Login takes a password, not a bearer token: its 401 has no challenge, in the document as in reality.
        assertTrue(!document.responseHeaders("POST /auth/login", 401).has("WWW-Authenticate"));
    }

    @Test
    void requestAndResponseBodiesHaveSchemasWithExamples() {
        OpenApiContract document = OpenApiContract.fetch();
        document.assertJsonBodiesHaveExamples();
        assertEquals("#/components/schemas/LoginRequest", document.operation("POST /auth/login")
                .at("/requestBody/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/TokenResponse", document.operation("POST /auth/login")
                .at("/responses/200/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/OrderRequest", document.operation("POST /api/orders")
                .at("/requestBody/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/Order", document.operation("POST /api/orders")
                .at("/responses/201/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/OrderDetails", document.operation("GET /api/orders/{id}")
                .at("/responses/200/content/application~1json/schema/$ref").asText());
        assertEquals("#/components/schemas/Customer", document.operation("GET /api/customers/me")
                .at("/responses/200/content/application~1json/schema/$ref").asText());
        // A lost credit decision names the order: the example shows the orderId extension member.
        assertTrue(document.operation("POST /api/orders").at("/responses/503/content/application~1problem+json/examples")
                .toString().contains("orderId"));
    }

    /** The 400, 401 and 403 the chassis documents are, word for word, what the gateway answers. */
    @Test
    void theDocumentedRefusalsAreTheRealAnswers() {
        OpenApiContract document = OpenApiContract.fetch();
        document.assertExampleIsTheAnswer("POST /auth/login", 400, "not JSON",
                given().contentType(ContentType.JSON).body("{x").post("/auth/login"));
        document.assertExampleIsTheAnswer("POST /auth/login", 400, "invalid",
                given().contentType(ContentType.JSON).body(Map.of("username", "alice")).post("/auth/login"));
        document.assertExampleIsTheAnswer("GET /api/trace", 401, "no token", given().get("/api/trace"));
        document.assertExampleIsTheAnswer("GET /api/trace", 401, "refused token",
                given().header("Authorization", Tokens.bearer(Tokens.user("alice").expired().sign())).get("/api/trace"));
        document.assertExampleIsTheAnswer("POST /api/orders", 403, "role refused",
                given().header("Authorization", Tokens.bearer(Tokens.admin().sign())).contentType(ContentType.JSON)
                        .body(Map.of("amount", 10, "description", "an admin places no orders")).post("/api/orders"));
    }

    @Test
    void theDocumentAndSwaggerUiNeedNoTokenAndIgnoreABadOne() {
        // deny-unannotated-endpoints closes JAX-RS endpoints only; these are not JAX-RS, and proactive auth is off.
        given().get("/q/openapi?format=json").then().statusCode(200).contentType(ContentType.JSON);
        given().get("/q/openapi").then().statusCode(200).body(startsWith("---"));
        given().header("Authorization", "Bearer not-a-token").get("/q/openapi?format=json").then().statusCode(200);
        given().header("Authorization", "Bearer not-a-token").get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void swaggerUiIsServedAndReadsThisDocument() {
        given().get("/q/swagger-ui/").then()
                .statusCode(200)
                .contentType(ContentType.HTML)
                .body(containsString("swagger-ui"))
                .body(containsString("/q/openapi"));
        given().get("/").then().statusCode(200).body(containsString("href=\"/q/swagger-ui/\""));
    }

    /**
     * Swagger UI's Authorize, for an HTTP bearer scheme, takes the bare token and sends {@code Authorization: Bearer
     * <token>}: the access_token of a login, so sent, opens a secured operation.
     */
    @Test
    void authorizeWithTheTokenOfALoginOpensTheSecuredOperations() {
        OpenApiContract document = OpenApiContract.fetch();
        String scheme = document.bearerScheme();
        JsonNode bearer = document.document().at("/components/securitySchemes/" + scheme);
        assertEquals("http", bearer.path("type").asText());
        assertEquals("bearer", bearer.path("scheme").asText());
        assertEquals("[{\"" + scheme + "\":[]}]", document.operation("GET /api/trace").path("security").toString());

        String token = given().contentType(ContentType.JSON).body(Map.of("username", "alice", "password", "alice"))
                .post("/auth/login").then().statusCode(200).extract().path("access_token");
        orderService.stubFor(get("/orders/trace").willReturn(okJson("{}")));
        given().get("/api/trace").then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/api/trace").then()
                .statusCode(200)
                .body("api-gateway.username", equalTo("alice"));
    }
}
