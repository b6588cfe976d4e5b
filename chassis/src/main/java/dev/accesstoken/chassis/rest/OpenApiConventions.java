package dev.accesstoken.chassis.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.examples.Example;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;
import org.jboss.jandex.MethodInfo;

import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.DependsOn.Dependency;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What every operation of every service shares, written once in the OpenAPI document as {@link ProblemMappers} and
 * {@link RequestIds} apply it once at run time. From each resource method's annotations: the bearer requirement,
 * 401 (with its {@code WWW-Authenticate} challenge) where {@code @RolesAllowed} or {@code @Authenticated} asks for a
 * token, 403 where {@code @RolesAllowed} checks roles, 503 and 504 where {@link DependsOn} names another service or
 * the database, 400 where Bean Validation checks a parameter. Each comes with an example of what
 * {@link ProblemMappers} really answers. Then, on every operation:
 * an error response that declares no content is {@code application/problem+json} with the {@code Problem} schema,
 * every response carries {@code X-Request-Id}, and every operation accepts one.
 * <p>
 * An endpoint declares only its own codes (400, 404, 409, 422, 429...); a code it declares itself wins over the one
 * added here. The bearer scheme comes from {@code quarkus.smallrye-openapi.security-scheme*}, the {@code Problem}
 * schema from the record's {@code @Schema}.
 * <p>
 * Runs at build time only, with the Jandex index Quarkus hands a build filter: the document is final when the
 * application is packaged, and nothing of this class is used at run time (nor needs reflection in a native image).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiConventions implements OASFilter {

    public static final String PROBLEM_SCHEMA = "Problem";
    static final String REQUEST_ID = RequestIds.HEADER;

    // What ProblemMappers answers, word for word (OpenApiConventionsTest holds the two together).
    static final String INVALID = "The request is not valid";
    static final String NOT_JSON = "The request body is not valid JSON: parsing failed at line 1, column 2";
    static final String NO_TOKEN = "A bearer token is required";
    static final String REFUSED_TOKEN = "The bearer token was refused: expired";
    static final String ROLE_REFUSED = "Your role does not allow this";
    static final String DOWNSTREAM_UNAVAILABLE = "A service this request depends on is unavailable";
    static final String DOWNSTREAM_TIMEOUT = "A service this request depends on did not answer in time";
    static final String DATABASE_UNAVAILABLE = "A database this service depends on is unavailable";
    static final int DATABASE_RETRY_AFTER = 5;

    private static final DotName PATH = DotName.createSimple("jakarta.ws.rs.Path");
    private static final List<String> HTTP_METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final DotName ROLES_ALLOWED = DotName.createSimple("jakarta.annotation.security.RolesAllowed");
    private static final DotName PERMIT_ALL = DotName.createSimple("jakarta.annotation.security.PermitAll");
    private static final DotName DENY_ALL = DotName.createSimple("jakarta.annotation.security.DenyAll");
    private static final DotName AUTHENTICATED = DotName.createSimple("io.quarkus.security.Authenticated");
    private static final DotName DEPENDS_ON = DotName.createSimple(DependsOn.class.getName());
    private static final DotName VALID = DotName.createSimple("jakarta.validation.Valid");

    /**
     * What the code says of one resource method: whether it needs a token, the roles it checks (null: none), what it
     * depends on, whether Bean Validation checks its parameters, and whether one of them is a validated JSON body.
     */
    record Facts(boolean tokenRequired, Set<String> roles, Set<Dependency> dependencies, boolean validated,
            boolean validBody) {
    }

    /** {@code "GET /api/orders"} → its facts, for every resource method of the index. */
    private final Map<String, Facts> endpoints;

    public OpenApiConventions(IndexView index) {
        this.endpoints = endpoints(index);
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        if (components.getSchemas() == null || !components.getSchemas().containsKey(PROBLEM_SCHEMA)) {
            throw new IllegalStateException("The OpenAPI document has no Problem schema: is the chassis's Problem record "
                    + "in the Jandex index?");
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
        for (Map.Entry<String, PathItem> path : openAPI.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> operation : path.getValue().getOperations().entrySet()) {
                Facts facts = endpoints.get(operation.getKey().name() + " " + path.getKey());
                if (facts != null) {
                    addWhatTheCodeSays(operation.getValue(), facts, components);
                }
                apply(operation.getValue());
            }
        }
    }

    // --- From the code ---

    static Map<String, Facts> endpoints(IndexView index) {
        Map<String, Facts> endpoints = new HashMap<>();
        for (AnnotationInstance path : index.getAnnotations(PATH)) {
            if (path.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo resource = path.target().asClass();
            if (resource.isInterface() || java.lang.reflect.Modifier.isAbstract(resource.flags())) {
                continue;
            }
            for (MethodInfo method : resource.methods()) {
                String http = HTTP_METHODS.stream()
                        .filter(name -> method.hasDeclaredAnnotation(DotName.createSimple("jakarta.ws.rs." + name)))
                        .findFirst().orElse(null);
                if (http == null) {
                    continue;
                }
                AnnotationInstance sub = method.declaredAnnotation(PATH);
                endpoints.put(http + " " + path(path.value().asString(), sub == null ? "" : sub.value().asString()),
                        facts(resource, method));
            }
        }
        return endpoints;
    }

    /** {@code /api} + {@code /orders/{id: [0-9]+}} → {@code /api/orders/{id}}, as OpenAPI writes a path template. */
    static String path(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        if (joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
    }

    /** The closest annotation wins, the method's over its class's, as Quarkus Security and {@link DependsOn} read them. */
    private static Facts facts(ClassInfo resource, MethodInfo method) {
        boolean tokenRequired = false;
        Set<String> roles = null;
        for (AnnotationTarget element : List.<AnnotationTarget> of(method, resource)) {
            if (element.hasDeclaredAnnotation(PERMIT_ALL)) {
                break;
            }
            AnnotationInstance rolesAllowed = element.declaredAnnotation(ROLES_ALLOWED);
            if (rolesAllowed != null || element.hasDeclaredAnnotation(DENY_ALL)) {
                tokenRequired = true;
                roles = new TreeSet<>(rolesAllowed == null ? List.of() : List.of(rolesAllowed.value().asStringArray()));
                break;
            }
            if (element.hasDeclaredAnnotation(AUTHENTICATED)) {
                tokenRequired = true;
                break;
            }
        }
        Set<Dependency> dependencies = EnumSet.noneOf(Dependency.class);
        for (AnnotationTarget element : List.<AnnotationTarget> of(method, resource)) {
            AnnotationInstance dependsOn = element.declaredAnnotation(DEPENDS_ON);
            if (dependsOn != null) {
                for (String name : dependsOn.value().asEnumArray()) {
                    dependencies.add(Dependency.valueOf(name));
                }
                break;
            }
        }
        boolean validated = false;
        boolean validBody = false;
        for (AnnotationInstance annotation : method.annotations()) {
            if (annotation.target().kind() == AnnotationTarget.Kind.METHOD_PARAMETER
                    && annotation.name().toString().startsWith("jakarta.validation.")) {
                validated = true;
                validBody |= annotation.name().equals(VALID);
            }
        }
        return new Facts(tokenRequired, roles, dependencies, validated, validBody);
    }

    private static void addWhatTheCodeSays(Operation operation, Facts facts, Components components) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        if (facts.validated()) {
            Example invalid = example(400, "invalid", INVALID);
            addUnlessDeclared(responses, 400, OASFactory.createAPIResponse()
                    .description("Bean Validation refused a parameter" + (facts.validBody() ? " or the body" : "")
                            + ": violations names each invalid field and says why" + (facts.validBody() ? "; or the body is not JSON" : ""))
                    .content(facts.validBody() ? problem(invalid, example(400, "not JSON", NOT_JSON)) : problem(invalid)));
        }
        if (facts.tokenRequired()) {
            if (operation.getSecurity() == null) {
                operation.addSecurityRequirement(OASFactory.createSecurityRequirement().addScheme(bearerScheme(components)));
            }
            addUnlessDeclared(responses, 401, OASFactory.createAPIResponse()
                    .description("No bearer token, or one that is not valid")
                    .content(problem(example(401, "no token", NO_TOKEN), example(401, "refused token", REFUSED_TOKEN))));
        }
        if (facts.roles() != null) {
            String needs = facts.roles().isEmpty() ? "No role may call this"
                    : facts.roles().size() == 1 ? "Refused: this needs the role " + facts.roles().iterator().next()
                    : "Refused: this needs one of the roles " + String.join(", ", facts.roles());
            addUnlessDeclared(responses, 403, OASFactory.createAPIResponse().description(needs)
                    .content(problem(example(403, "role refused", ROLE_REFUSED)))
                    .addHeader(HttpHeaders.WWW_AUTHENTICATE, OASFactory.createHeader()
                            .description("Bearer realm=\"<service>\", error=\"insufficient_scope\"")
                            .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING))));
        }
        boolean downstream = facts.dependencies().contains(Dependency.DOWNSTREAM);
        boolean database = facts.dependencies().contains(Dependency.DATABASE);
        if (downstream || database) {
            List<Example> examples = new ArrayList<>();
            if (downstream) {
                examples.add(example(503, "service unavailable", DOWNSTREAM_UNAVAILABLE));
            }
            if (database) {
                examples.add(example(503, "database unavailable", DATABASE_UNAVAILABLE));
            }
            APIResponse unavailable = OASFactory.createAPIResponse()
                    .description(downstream && database ? "A service this one calls, or its own database, is unavailable"
                            : downstream ? "A service this one calls is unavailable" : "Its database is unavailable")
                    .content(problem(examples.toArray(Example[]::new)));
            if (database) {
                unavailable.addHeader(HttpHeaders.RETRY_AFTER, OASFactory.createHeader()
                        .description("Seconds to wait" + (downstream ? ", when the database is unavailable" : "") + ": "
                                + DATABASE_RETRY_AFTER)
                        .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
            }
            addUnlessDeclared(responses, 503, unavailable);
        }
        if (downstream) {
            addUnlessDeclared(responses, 504, OASFactory.createAPIResponse()
                    .description("A service this one calls did not answer in time")
                    .content(problem(example(504, "service timed out", DOWNSTREAM_TIMEOUT))));
        }
        // In the order of their codes, wherever they came from.
        Map<String, APIResponse> sorted = new LinkedHashMap<>();
        responses.getAPIResponses().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing((String code) -> !code.matches("\\d{3}"))
                        .thenComparing(Comparator.naturalOrder())))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        responses.setAPIResponses(sorted);
    }

    /**
     * An endpoint's own declaration of a code wins: its description and its examples stay. The convention's examples
     * and headers are added beside them (a lost credit decision's orderId is one more real answer, not the only one),
     * unless it declared content other than problem+json.
     */
    private static void addUnlessDeclared(APIResponses responses, int status, APIResponse convention) {
        APIResponse declared = responses.getAPIResponse(String.valueOf(status));
        if (declared == null) {
            responses.addAPIResponse(String.valueOf(status), convention);
            return;
        }
        if (declared.getContent() == null || declared.getContent().getMediaTypes() == null
                || declared.getContent().getMediaTypes().isEmpty()) {
            declared.setContent(problem());
        }
        MediaType own = declared.getContent().getMediaType(Problem.MEDIA_TYPE);
        if (own == null || own.getExample() != null) {
            return;
        }
        convention.getContent().getMediaType(Problem.MEDIA_TYPE).getExamples().forEach((name, example) -> {
            if (own.getExamples() == null || !own.getExamples().containsKey(name)) {
                own.addExample(name, example);
            }
        });
        if (convention.getHeaders() != null) {
            convention.getHeaders().forEach((name, header) -> {
                if (!hasHeader(declared, name)) {
                    declared.addHeader(name, header);
                }
            });
        }
    }

    /** The document's one HTTP bearer scheme: {@code quarkus.smallrye-openapi.security-scheme=jwt} declares it. */
    private static String bearerScheme(Components components) {
        List<String> bearer = components.getSecuritySchemes() == null ? List.of()
                : components.getSecuritySchemes().entrySet().stream()
                        .filter(s -> s.getValue().getType() == SecurityScheme.Type.HTTP
                                && "bearer".equalsIgnoreCase(s.getValue().getScheme()))
                        .map(Map.Entry::getKey).toList();
        if (bearer.size() != 1) {
            throw new IllegalStateException("Endpoints need a token, but the OpenAPI document has " + bearer.size()
                    + " HTTP bearer schemes: set quarkus.smallrye-openapi.security-scheme=jwt");
        }
        return bearer.get(0);
    }

    private static Example example(int status, String name, String detail) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("type", "about:blank");
        value.put("title", Problem.of(status, detail).title());
        value.put("status", status);
        value.put("detail", detail);
        return OASFactory.createExample().summary(name).value(value);
    }

    private static Content problem(Example... examples) {
        MediaType problem = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA));
        for (Example example : examples) {
            problem.addExample(example.getSummary(), example);
        }
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problem);
    }

    // --- On every operation ---

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
        MediaType problem = response.getContent().getMediaType(Problem.MEDIA_TYPE);
        if (problem.getExample() == null && (problem.getExamples() == null || problem.getExamples().isEmpty())) {
            Map<String, Object> example = new LinkedHashMap<>();
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
