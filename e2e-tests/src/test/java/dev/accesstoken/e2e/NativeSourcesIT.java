package dev.accesstoken.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import io.restassured.path.json.JsonPath;

/**
 * What CI can prove of the native build without GraalVM: each service's {@code quarkus-maven-plugin}
 * execution {@code native-sources} (quarkus.native.sources-only=true) leaves in
 * {@code <service>/target/native-sources/} the runner jar, its libraries and the exact
 * {@code native-image.args}. These are checked here: the right entry point and output name, no escape
 * hatch that would turn a build-time failure into a run-time one, and the reflection registrations
 * that Quarkus cannot discover by itself.
 */
@DisabledIfSystemProperty(named = "e2e.artifact", matches = "native",
        disabledReason = "under -Dnative the real native build replaces the sources-only execution (native.sources.skip=true), so there are no native-sources to inspect")
class NativeSourcesIT {

    static final Path SERVICES = Path.of(System.getProperty("services.dir", ".."));
    static final String MAIN_CLASS = "io.quarkus.runner.GeneratedMain";

    /** Options that let an image build succeed by deferring errors to run time, or by not being native at all. */
    static final List<String> ESCAPE_HATCHES = List.of(
            "--allow-incomplete-classpath",
            "-H:+AllowIncompleteClasspath",
            "--report-unsupported-elements-at-runtime",
            "-H:+ReportUnsupportedElementsAtRuntime",
            "--auto-fallback",
            "--force-fallback");

    static Stream<Arguments> services() {
        return Stream.of(
                Arguments.of("api-gateway", "dev.accesstoken.gateway.model"),
                Arguments.of("order-service", "dev.accesstoken.order.model"),
                Arguments.of("customer-service", "dev.accesstoken.customer.model"));
    }

    static Path nativeSources(String service) {
        return SERVICES.resolve(service).resolve("target/native-sources").toAbsolutePath().normalize();
    }

    static List<String> args(String service) throws IOException {
        Path file = nativeSources(service).resolve("native-image.args");
        if (!Files.isRegularFile(file)) {
            fail(file + " is missing. It is written by the quarkus-maven-plugin execution 'native-sources' of "
                    + service + " (prepare-package phase), which is skipped with -Dnative or -Dnative.sources.skip=true."
                    + " Run ./mvnw verify from the repository root.");
        }
        return Arrays.asList(Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+"));
    }

    /** The final name the service's pom gives its artifacts: {@code <artifactId>-<version>}. */
    static String finalName(String service) throws IOException {
        Path pom = SERVICES.resolve(service).resolve("target/maven-archiver/pom.properties");
        if (!Files.isRegularFile(pom)) {
            fail(pom + " is missing: package " + service + " first (./mvnw verify from the repository root)");
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(pom)) {
            properties.load(in);
        }
        return properties.getProperty("artifactId") + "-" + properties.getProperty("version");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void buildsTheQuarkusMainIntoTheExpectedExecutable(String service, String modelPackage) throws IOException {
        List<String> args = args(service);
        String output = finalName(service) + "-runner"; // e.g. api-gateway-1.0.0-SNAPSHOT-runner
        assertTrue(output.startsWith(service + "-"), output);

        assertTrue(args.contains(output) || args.contains("-H:Name=" + output) || args.contains("-o=" + output)
                || adjacent(args, "-o", output), () -> "native-image.args names no output " + output + ": " + args);

        int jar = args.indexOf("-jar");
        assertTrue(jar >= 0 && jar + 1 < args.size(), () -> "native-image.args has no -jar <runner jar>: " + args);
        assertEquals(output + ".jar", args.get(jar + 1));
        Path runnerJar = nativeSources(service).resolve(args.get(jar + 1));
        assertTrue(Files.isRegularFile(runnerJar), () -> runnerJar + " is missing");

        // The entry point is the runner jar's Main-Class, unless -H:Class names another one.
        try (JarFile runner = new JarFile(runnerJar.toFile())) {
            Attributes manifest = runner.getManifest().getMainAttributes();
            String mainClass = args.stream().filter(a -> a.startsWith("-H:Class=")).findFirst()
                    .map(a -> a.substring("-H:Class=".length()))
                    .orElse(manifest.getValue(Attributes.Name.MAIN_CLASS));
            assertEquals(MAIN_CLASS, mainClass);
            assertTrue(runner.getEntry(MAIN_CLASS.replace('.', '/') + ".class") != null,
                    () -> MAIN_CLASS + " is not in " + runnerJar);

            // Everything on the runner's class path was copied next to it, for a builder with only this folder.
            for (String entry : manifest.getValue(Attributes.Name.CLASS_PATH).trim().split("\\s+")) {
                assertTrue(Files.isRegularFile(nativeSources(service).resolve(entry)),
                        () -> "native-sources lacks " + entry + " from the runner's Class-Path");
            }
        }
    }

    /** The heap defaults the native pods are sized for (docs/native.md): without them RSS grows with the machine. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void bakesTheMeasuredHeapBoundsIntoTheExecutable(String service, String modelPackage) throws IOException {
        List<String> args = args(service);
        assertTrue(args.contains("-R:MaxHeapSize=64m"), () -> service + ": no -R:MaxHeapSize=64m in " + args);
        assertTrue(args.contains("-R:MaxNewSize=16m"), () -> service + ": no -R:MaxNewSize=16m in " + args);
    }

    /** No stop-gap that defers a build-time class to run time: the class is fixed instead (NativeSafetyTest). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void noClassIsDeferredToRunTimeByHand(String service, String modelPackage) throws IOException {
        List<String> args = args(service);
        assertFalse(args.stream().anyMatch(a -> a.startsWith("--initialize-at-run-time=dev.accesstoken")),
                () -> service + ": a project class is initialised at run time by hand: " + args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void noEscapeHatches(String service, String modelPackage) throws IOException {
        List<String> args = args(service);
        for (String hatch : ESCAPE_HATCHES) {
            assertFalse(args.stream().anyMatch(a -> a.equals(hatch) || a.startsWith(hatch + "=")),
                    () -> service + ": native-image.args contains " + hatch + ": " + args);
        }
        // Initializing every class at build time (an empty list) is a blanket, not a decision.
        assertFalse(args.stream().anyMatch(a -> a.equals("--initialize-at-build-time")
                || a.equals("--initialize-at-build-time=")),
                () -> service + ": native-image.args initializes everything at build time: " + args);
        // A failed build stays failed, instead of quietly producing a JVM-dependent fallback image...
        assertTrue(args.contains("--no-fallback"), () -> service + ": no --no-fallback in " + args);
        // ...and a missing class is a build error, not a run-time NoClassDefFoundError.
        assertTrue(args.contains("--link-at-build-time"), () -> service + ": no --link-at-build-time in " + args);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void problemAndIdentityAreRegisteredForReflection(String service, String modelPackage) throws IOException {
        args(service);
        Path runnerJar = nativeSources(service).resolve(finalName(service) + "-runner.jar");
        List<Map<String, Object>> registrations;
        try (JarFile runner = new JarFile(runnerJar.toFile())) {
            var entry = runner.getJarEntry("META-INF/native-image/reflect-config.json");
            assertTrue(entry != null, () -> runnerJar + " has no META-INF/native-image/reflect-config.json");
            try (InputStream in = runner.getInputStream(entry)) {
                registrations = JsonPath.from(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getList("$");
            }
        }
        // Jackson needs the record's constructor, accessors and fields, in a native image as on the JVM.
        List<String> types = new java.util.ArrayList<>(List.of("dev.accesstoken.chassis.model.Problem",
                "dev.accesstoken.chassis.model.Problem$Violation", "dev.accesstoken.chassis.model.Identity"));
        if (service.equals("api-gateway")) {
            // The token endpoints answer with a Response whose entity Quarkus cannot see.
            types.addAll(List.of(modelPackage + ".TokenResponse", modelPackage + ".OAuthError"));
        }
        for (String name : types) {
            Map<String, Object> registration = registrations.stream()
                    .filter(r -> name.equals(r.getOrDefault("name", r.get("type"))))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(service + ": " + name + " is not registered for reflection;"
                            + " annotate it @RegisterForReflection"));
            for (String what : List.of("allDeclaredConstructors", "allDeclaredMethods", "allDeclaredFields")) {
                assertEquals(Boolean.TRUE, registration.get(what), () -> name + " lacks " + what + ": " + registration);
            }
        }
    }

    private static boolean adjacent(List<String> args, String option, String value) {
        int at = args.indexOf(option);
        return at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(value);
    }
}
