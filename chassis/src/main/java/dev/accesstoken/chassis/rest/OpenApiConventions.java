package dev.accesstoken.chassis.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import dev.accesstoken.chassis.model.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What every operation of every service shares, written once in the OpenAPI document as {@link ProblemMappers} and
 * {@link RequestIds} apply it once at run time: an error response that declares no content of its own is
 * {@code application/problem+json} with the {@code Problem} schema, a 401 carries its {@code WWW-Authenticate}
 * challenge, every response carries {@code X-Request-Id}, and every operation accepts one.
 * <p>
 * The {@code Problem} schema comes from the record's annotations; a service declares it once, in its
 * {@code @OpenAPIDefinition}: {@code components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class))}.
 * <p>
 * Runs at build time only: the document is final when the application is packaged, and nothing of this class is
 * used at run time (nor needs reflection in a native image).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiConventions implements OASFilter {

    public static final String PROBLEM_SCHEMA = "Problem";
    static final String REQUEST_ID = RequestIds.HEADER;

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        if (components.getSchemas() == null || !components.getSchemas().containsKey(PROBLEM_SCHEMA)) {
            throw new IllegalStateException("The OpenAPI document has no Problem schema: declare it in the @OpenAPIDefinition, "
                    + "components = @Components(schemas = @Schema(name = \"Problem\", implementation = Problem.class))");
        }
        components.addHeader(REQUEST_ID, OASFactory.createHeader()
                .description("The id of this request's call chain, in every log line it caused at every hop: the caller's "
                        + REQUEST_ID + " when it sent a plausible one (8 to 64 of A-Z a-z 0-9 . _ -), a new UUID otherwise")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        components.addParameter(REQUEST_ID, OASFactory.createParameter()
                .name(REQUEST_ID).in(Parameter.In.HEADER).required(false)
                .description("Optional: an id to find this request by in the logs of every service it reaches; "
                        + "one is made up when it is missing or implausible")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).pattern("^[A-Za-z0-9._-]{8,64}$")));

        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                apply(operation);
            }
        }
    }

    private static void apply(Operation operation) {
        List<Parameter> parameters = operation.getParameters() == null ? new ArrayList<>() : operation.getParameters();
        if (parameters.stream().noneMatch(p -> REQUEST_ID.equalsIgnoreCase(p.getName()) || refersTo(p.getRef(), REQUEST_ID))) {
            operation.addParameter(OASFactory.createParameter().ref(REQUEST_ID));
        }
        if (operation.getResponses() == null || operation.getResponses().getAPIResponses() == null) {
            return;
        }
        for (Map.Entry<String, APIResponse> entry : operation.getResponses().getAPIResponses().entrySet()) {
            APIResponse response = entry.getValue();
            if (response.getRef() != null) {
                continue; // a shared response: described where it is defined
            }
            if (isError(entry.getKey()) && (response.getContent() == null || response.getContent().getMediaTypes().isEmpty())) {
                response.setContent(problem());
            }
            if (isError(entry.getKey())) {
                exampleOfItsOwnStatus(Integer.parseInt(entry.getKey()), response);
            }
            // Only where a token is the credential: login's 401 carries no challenge (RFC 6750 is for bearer tokens).
            boolean secured = operation.getSecurity() != null && !operation.getSecurity().isEmpty();
            if ("401".equals(entry.getKey()) && secured && !hasHeader(response, HttpHeaders.WWW_AUTHENTICATE)) {
                response.addHeader(HttpHeaders.WWW_AUTHENTICATE, OASFactory.createHeader()
                        .description("Bearer realm=\"<service>\" when no token was sent; with error=\"invalid_token\", "
                                + "error_description=\"<reason>\" (expired, not yet valid, bad signature, unknown kid or unsigned, "
                                + "wrong issuer, wrong audience, algorithm not allowed, malformed or unverifiable) for a refused one")
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
            }
            if (!hasHeader(response, REQUEST_ID)) {
                response.addHeader(REQUEST_ID, OASFactory.createHeader().ref(REQUEST_ID));
            }
        }
    }

    /**
     * A problem+json response shows an example of its own status, with its description as the detail: without one,
     * Swagger UI shows the Problem schema's single example (a 404) under every code.
     */
    private static void exampleOfItsOwnStatus(int status, APIResponse response) {
        if (response.getContent() == null || response.getContent().getMediaType(Problem.MEDIA_TYPE) == null) {
            return; // not a problem (the OAuth errors of the token endpoint)
        }
        org.eclipse.microprofile.openapi.models.media.MediaType problem = response.getContent().getMediaType(Problem.MEDIA_TYPE);
        if (problem.getExample() == null && (problem.getExamples() == null || problem.getExamples().isEmpty())) {
            Map<String, Object> example = new java.util.LinkedHashMap<>();
            example.put("type", "about:blank");
            example.put("title", Problem.of(status, "").title());
            example.put("status", status);
            example.put("detail", response.getDescription() != null ? response.getDescription() : Problem.of(status, "").title());
            problem.setExample(example);
        }
    }

    private static Content problem() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA)));
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
    }

    private static boolean hasHeader(APIResponse response, String name) {
        Map<String, Header> headers = response.getHeaders();
        return headers != null && headers.keySet().stream().anyMatch(name::equalsIgnoreCase);
    }

    private static boolean refersTo(String ref, String name) {
        return ref != null && (ref.equals(name) || ref.endsWith("/" + name));
    }
}
