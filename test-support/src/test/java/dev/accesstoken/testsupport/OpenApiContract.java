package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.Authenticated;
import io.restassured.RestAssured;

/**
 * Holds a service's OpenAPI document to its code. The endpoints come from the compiled JAX-RS resources (by
 * reflection), never from the document itself, so an endpoint added without documentation fails; the response
 * codes come from a table the test keeps, so a code dropped from the document fails too.
 */
public final class OpenApiContract {

    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** One resource method: its HTTP method, its path as the document writes it, and whether it needs a token. */
    public record Endpoint(String method, String path, boolean secured) {
        public String operation() {
            return method + " " + path;
        }
    }

    private final JsonNode document;

    private OpenApiContract(JsonNode document) {
        this.document = document;
    }

    /** The running application's document, as Swagger UI reads it: no token needed. */
    public static OpenApiContract fetch() {
        String json = RestAssured.given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        return of(json);
    }

    public static OpenApiContract of(String json) {
        try {
            return new OpenApiContract(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    // --- The endpoints, from the code ---

    /** Every JAX-RS resource method compiled in the same classes directory as {@code anchor}. */
    public static List<Endpoint> endpoints(Class<?> anchor) {
        Path root = classesRoot(anchor);
        List<Class<?>> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String relative = root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".");
                Class<?> type = Class.forName(relative.substring(0, relative.length() - ".class".length()), false,
                        anchor.getClassLoader());
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class) && !type.isInterface()
                        && !Modifier.isAbstract(type.getModifiers())) {
                    resources.add(type);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(!resources.isEmpty(), "No JAX-RS resource found under " + root);
        return endpoints(resources);
    }

    /** The resource methods of these classes (their own public methods with an HTTP method annotation). */
    public static List<Endpoint> endpoints(Collection<Class<?>> resources) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (Class<?> resource : resources) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null || method.isSynthetic() || method.isBridge()) {
                    continue;
                }
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                endpoints.add(new Endpoint(httpMethod, path(base, sub == null ? "" : sub.value()),
                        secured(method, resource)));
            }
        }
        endpoints.sort(Comparator.comparing(Endpoint::operation));
        return endpoints;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** {@code /api} + {@code /orders/{id: [0-9]+}} → {@code /api/orders/{id}}, as OpenAPI writes a path template. */
    static String path(String base, String sub) {
        String joined = ("/" + base + "/" + sub).replaceAll("/+", "/");
        if (joined.length() > 1 && joined.endsWith("/")) {
            joined = joined.substring(0, joined.length() - 1);
        }
        return joined.replaceAll("\\{\\s*([^}:\\s]+)\\s*:[^}]*}", "{$1}");
    }

    /** Needs a token unless the closest security annotation (method, then class) is {@code @PermitAll}. */
    private static boolean secured(Method method, Class<?> resource) {
        for (AnnotatedElement element : List.of(method, resource)) {
            if (element.isAnnotationPresent(PermitAll.class)) {
                return false;
            }
            if (element.isAnnotationPresent(RolesAllowed.class) || element.isAnnotationPresent(Authenticated.class)
                    || element.isAnnotationPresent(DenyAll.class)) {
                return true;
            }
        }
        return true; // quarkus.security.jaxrs.deny-unannotated-endpoints: closed
    }

    private static Path classesRoot(Class<?> anchor) {
        String resource = anchor.getName().replace('.', '/') + ".class";
        URL url = anchor.getClassLoader().getResource(resource);
        if (url != null && "file".equals(url.getProtocol())) {
            try {
                Path file = Path.of(url.toURI());
                Path root = file;
                for (int i = 0; i < anchor.getName().split("\\.").length; i++) {
                    root = root.getParent();
                }
                return root;
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        Path fallback = Path.of("target/classes"); // the module's own, as Surefire runs in the module directory
        assertTrue(Files.isRegularFile(fallback.resolve(resource)), "Cannot find the classes directory of " + anchor);
        return fallback;
    }

    // --- The document ---

    /** {@code "GET /api/orders"} → the operation object, for every operation in the document. */
    public Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new TreeMap<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                operations.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
            }
        }));
        return operations;
    }

    public JsonNode operation(String operation) {
        JsonNode node = operations().get(operation);
        assertTrue(node != null, operation + " is not in the OpenAPI document");
        return node;
    }

    /** Follows a local {@code $ref} ({@code #/components/...}); any other node is returned as it is. */
    public JsonNode resolve(JsonNode node) {
        for (int depth = 0; node.has("$ref") && depth < 10; depth++) {
            String ref = node.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), "Not a local reference: " + ref);
            JsonNode target = document.at(ref.substring(1));
            assertTrue(!target.isMissingNode(), "Dangling reference " + ref);
            node = target;
        }
        return node;
    }

    /** The response codes of each operation, as the document declares them. */
    public Map<String, Set<Integer>> responseCodes() {
        Map<String, Set<Integer>> codes = new TreeMap<>();
        operations().forEach((name, op) -> {
            Set<Integer> set = new TreeSet<>();
            op.path("responses").fieldNames().forEachRemaining(code -> set.add(code.equals("default") ? 0 : Integer.parseInt(code)));
            codes.put(name, set);
        });
        return codes;
    }

    // --- The checks ---

    /** The document has exactly the endpoints the code has: none missing, none that does not exist. */
    public void assertDocumentsExactly(List<Endpoint> endpoints) {
        Set<String> inCode = endpoints.stream().map(Endpoint::operation).collect(Collectors.toCollection(TreeSet::new));
        Set<String> inDocument = new TreeSet<>(operations().keySet());
        Set<String> missing = new TreeSet<>(inCode);
        missing.removeAll(inDocument);
        Set<String> unknown = new TreeSet<>(inDocument);
        unknown.removeAll(inCode);
        assertTrue(missing.isEmpty() && unknown.isEmpty(),
                "Endpoints missing from the OpenAPI document: " + missing + "; in the document but not in the code: " + unknown);
    }

    /**
     * Every endpoint of the code has a row in {@code expected}, and the document declares exactly the codes of its
     * row: a new endpoint needs a row, and a code dropped from (or added to) the document fails.
     */
    public void assertResponseCodes(List<Endpoint> endpoints, Map<String, Set<Integer>> expected) {
        Set<String> inCode = endpoints.stream().map(Endpoint::operation).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(inCode, new TreeSet<>(expected.keySet()),
                "The table of expected response codes must have one row per endpoint of the code");
        Map<String, Set<Integer>> documented = responseCodes();
        List<String> wrong = new ArrayList<>();
        expected.forEach((operation, codes) -> {
            Set<Integer> actual = documented.getOrDefault(operation, Set.of());
            if (!actual.equals(new TreeSet<>(codes))) {
                Set<Integer> missing = new TreeSet<>(codes);
                missing.removeAll(actual);
                Set<Integer> extra = new TreeSet<>(actual);
                extra.removeAll(codes);
                wrong.add(operation + ": missing " + missing + ", not expected " + extra);
            }
        });
        assertTrue(wrong.isEmpty(), "Response codes differ from the expected table:\n" + String.join("\n", wrong));
    }

    /**
     * Every 4xx and 5xx response is {@code application/problem+json} with the Problem schema, and nothing else, but
     * for the {@code "POST /auth/token 400"}-style exceptions given, which must then not claim problem+json.
     */
    public void assertErrorsAreProblems(Set<String> exceptions) {
        JsonNode problem = document.at("/components/schemas/Problem");
        assertTrue(!problem.isMissingNode(), "The document has no Problem schema");
        for (String member : List.of("type", "title", "status", "detail")) {
            assertTrue(problem.path("properties").has(member), "The Problem schema has no " + member);
        }
        List<String> wrong = new ArrayList<>();
        Set<String> seenExceptions = new TreeSet<>();
        operations().forEach((operation, op) -> op.path("responses").properties().forEach(entry -> {
            if (!entry.getKey().matches("[45]\\d\\d")) {
                return;
            }
            String name = operation + " " + entry.getKey();
            JsonNode content = resolve(entry.getValue()).path("content");
            boolean isProblem = content.size() == 1 && content.has(PROBLEM_JSON)
                    && PROBLEM_REF.equals(content.path(PROBLEM_JSON).path("schema").path("$ref").asText());
            if (exceptions.contains(name)) {
                seenExceptions.add(name);
                if (content.has(PROBLEM_JSON)) {
                    wrong.add(name + " is not problem+json in reality, but documented so");
                }
            } else if (!isProblem) {
                wrong.add(name + " has content " + content.properties().stream().map(Map.Entry::getKey).toList());
            }
        }));
        assertEquals(new TreeSet<>(exceptions), seenExceptions, "Exceptions that name no documented response");
        assertTrue(wrong.isEmpty(), "Error responses that are not application/problem+json with the Problem schema:\n"
                + String.join("\n", wrong));
    }

    /** Every problem+json error response shows an example of its own status, not another code's. */
    public void assertErrorExamplesHaveTheirStatus() {
        List<String> wrong = new ArrayList<>();
        operations().forEach((operation, op) -> op.path("responses").properties().forEach(entry -> {
            JsonNode problem = resolve(entry.getValue()).path("content").path(PROBLEM_JSON);
            if (!entry.getKey().matches("[45]\\d\\d") || problem.isMissingNode()) {
                return;
            }
            int status = Integer.parseInt(entry.getKey());
            // One example, or named examples (each of which must be of this status too).
            List<JsonNode> examples = new ArrayList<>();
            if (problem.has("example")) {
                examples.add(problem.path("example"));
            }
            problem.path("examples").forEach(named -> examples.add(parsed(named.path("value"))));
            if (examples.isEmpty() || examples.stream().anyMatch(example -> example.path("status").asInt() != status)) {
                wrong.add(operation + " " + entry.getKey() + ": example " + examples.stream().map(JsonNode::toString)
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
        }));
        assertTrue(wrong.isEmpty(), "Error responses whose example is not of their status:\n" + String.join("\n", wrong));
    }

    /**
     * The named problem example of one response is what the service really answered: the same status, and the same
     * {@code type}, {@code title}, {@code status} and {@code detail}.
     */
    public void assertExampleIsTheAnswer(String operation, int status, String example, io.restassured.response.Response answer) {
        JsonNode examples = resolve(operation(operation).path("responses").path(String.valueOf(status)))
                .path("content").path(PROBLEM_JSON).path("examples");
        JsonNode documented = parsed(examples.path(example).path("value"));
        assertTrue(!documented.isMissingNode() && documented.size() > 0, operation + " " + status
                + " has no example named '" + example + "': " + examples);
        assertEquals(status, answer.statusCode(), operation + " answered " + answer.asString());
        JsonNode real = parsed(new com.fasterxml.jackson.databind.node.TextNode(answer.asString()));
        for (String member : List.of("type", "title", "status", "detail")) {
            assertEquals(real.path(member), documented.path(member), operation + " " + status + " '" + example + "': " + member);
        }
    }

    /** An example value written as a JSON string in an annotation, or already an object. */
    private static JsonNode parsed(JsonNode value) {
        try {
            return value.isTextual() ? JSON.readTree(value.asText()) : value;
        } catch (java.io.IOException notJson) {
            return value;
        }
    }

    /** The document's one HTTP bearer scheme (a JWT): what Swagger UI's Authorize button sends as {@code Bearer <token>}. */
    public String bearerScheme() {
        List<String> bearer = new ArrayList<>();
        document.path("components").path("securitySchemes").properties().forEach(scheme -> {
            JsonNode s = resolve(scheme.getValue());
            if ("http".equals(s.path("type").asText()) && "bearer".equalsIgnoreCase(s.path("scheme").asText())) {
                assertEquals("JWT", s.path("bearerFormat").asText(), "bearerFormat of " + scheme.getKey());
                bearer.add(scheme.getKey());
            }
        });
        assertEquals(1, bearer.size(), "HTTP bearer security schemes in the document: " + bearer);
        return bearer.get(0);
    }

    /**
     * Every secured endpoint requires the bearer scheme (and no other alternative that would let a caller in without
     * it); no public endpoint mentions it.
     */
    public void assertBearerOnSecuredOnly(List<Endpoint> endpoints) {
        String bearer = bearerScheme();
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            JsonNode op = operation(endpoint.operation());
            JsonNode security = op.has("security") ? op.get("security") : document.path("security");
            List<Set<String>> alternatives = new ArrayList<>();
            security.forEach(requirement -> {
                Set<String> names = new TreeSet<>();
                requirement.fieldNames().forEachRemaining(names::add);
                alternatives.add(names);
            });
            if (endpoint.secured()) {
                if (alternatives.isEmpty() || !alternatives.stream().allMatch(names -> names.contains(bearer))) {
                    wrong.add(endpoint.operation() + " needs a token, but its security is " + security);
                }
            } else if (alternatives.stream().anyMatch(names -> names.contains(bearer))) {
                wrong.add(endpoint.operation() + " is public, but its security is " + security);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** Every response of every operation declares this header (such as X-Request-Id). */
    public void assertEveryResponseHasHeader(String header) {
        List<String> missing = new ArrayList<>();
        operations().forEach((operation, op) -> op.path("responses").properties().forEach(entry -> {
            if (!resolve(entry.getValue()).path("headers").has(header)) {
                missing.add(operation + " " + entry.getKey());
            }
        }));
        assertTrue(missing.isEmpty(), "Responses without " + header + ": " + missing);
    }

    /** The headers declared on one response, resolved. */
    public JsonNode responseHeaders(String operation, int code) {
        return resolve(operation(operation).path("responses").path(String.valueOf(code))).path("headers");
    }

    /** The parameters of one operation, resolved: name → parameter. */
    public Map<String, JsonNode> parameters(String operation) {
        Map<String, JsonNode> parameters = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        operation(operation).path("parameters").forEach(p -> {
            JsonNode resolved = resolve(p);
            parameters.put(resolved.path("name").asText(), resolved);
        });
        return parameters;
    }

    /**
     * Every JSON request body and every JSON 2xx response shows an example: on the content, or on its schema, or on
     * every property of it (recursively; an enum is its own example).
     */
    public void assertJsonBodiesHaveExamples() {
        List<String> without = new ArrayList<>();
        operations().forEach((operation, op) -> {
            JsonNode request = resolve(op.path("requestBody")).path("content").path("application/json");
            if (!request.isMissingNode() && !hasExample(request)) {
                without.add(operation + " request body");
            }
            op.path("responses").properties().forEach(entry -> {
                JsonNode json = resolve(entry.getValue()).path("content").path("application/json");
                if (entry.getKey().startsWith("2") && !json.isMissingNode() && !hasExample(json)) {
                    without.add(operation + " " + entry.getKey());
                }
            });
        });
        assertTrue(without.isEmpty(), "JSON bodies without an example: " + without);
    }

    private boolean hasExample(JsonNode mediaType) {
        return mediaType.has("example") || mediaType.has("examples") && mediaType.get("examples").size() > 0
                || schemaHasExample(mediaType.path("schema"), 0);
    }

    private boolean schemaHasExample(JsonNode schema, int depth) {
        if (depth > 8 || schema.isMissingNode()) {
            return false;
        }
        if (schema.has("example") || schema.has("examples") || schema.has("enum") || schema.has("const")) {
            return true;
        }
        if (schema.has("$ref")) {
            return schemaHasExample(resolve(schema), depth + 1);
        }
        for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
            if (schema.has(combinator)) {
                for (JsonNode branch : schema.get(combinator)) {
                    if (!"null".equals(branch.path("type").asText()) && schemaHasExample(branch, depth + 1)) {
                        return true;
                    }
                }
                return false;
            }
        }
        if (schema.has("items")) {
            return schemaHasExample(schema.get("items"), depth + 1);
        }
        JsonNode properties = schema.path("properties");
        if (properties.size() == 0) {
            return false;
        }
        for (Iterator<JsonNode> it = properties.elements(); it.hasNext();) {
            if (!schemaHasExample(it.next(), depth + 1)) {
                return false;
            }
        }
        return true;
    }
}
