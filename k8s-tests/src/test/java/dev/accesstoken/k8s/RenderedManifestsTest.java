package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real renders: strictly valid, passing every check, and wired as the services expect. */
class RenderedManifestsTest {

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void rendersEveryObjectStrictly(Overlay overlay) {
        Map<String, Long> kinds = overlay.manifests().objects().stream()
                .collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new, Collectors.counting()));
        // ConfigMaps: access-token, observability, one per service, database-init, and api-gateway-trusted-proxies
        // (generate-secrets.sh).
        Map<String, Long> expected = new TreeMap<>(Map.of(
                "Namespace", 1L, "ConfigMap", 7L, "Secret", 8L, "Deployment", 3L, "StatefulSet", 3L, "Service", 6L,
                "Ingress", 1L, "PodDisruptionBudget", 3L, "HorizontalPodAutoscaler", 3L,
                "NetworkPolicy", 8L));
        if (overlay == Overlay.MONITORING) {
            // A headless metrics Service per service, and the ServiceMonitor that selects them.
            expected.put("Service", 9L);
            expected.put("ServiceMonitor", 1L);
        }
        assertEquals(expected, kinds);
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void passesEveryCheck(Overlay overlay) {
        List<String> problems = ManifestChecks.all(overlay.manifests(), overlay.expected);
        assertTrue(problems.isEmpty(), () -> overlay + ":\n" + String.join("\n", problems));
    }

    /** The monitoring overlay is the native build, scraped by its ServiceMonitor instead of by annotation. */
    @Test
    void monitoringOverlayScrapesThroughItsServiceMonitorOnly() {
        Manifests m = Overlay.MONITORING.manifests();
        ServiceMonitor monitor = m.get(ServiceMonitor.class, "access-token");
        assertEquals(List.of("management"), monitor.getSpec().getEndpoints().stream().map(ServiceMonitor.Endpoint::getPort).toList());
        assertEquals(List.of(ManifestChecks.METRICS_PATH), monitor.getSpec().getEndpoints().stream().map(ServiceMonitor.Endpoint::getPath).toList());
        for (Deployment d : m.all(Deployment.class)) {
            assertEquals("false", d.getSpec().getTemplate().getMetadata().getAnnotations().get(ManifestChecks.SCRAPE), d.getMetadata().getName());
            var metricsService = m.get(io.fabric8.kubernetes.api.model.Service.class, d.getMetadata().getName() + "-metrics");
            assertEquals("None", metricsService.getSpec().getClusterIP());
        }
        for (Deployment d : Overlay.NATIVE.manifests().all(Deployment.class)) {
            assertEquals(Map.of(ManifestChecks.SCRAPE, "true", ManifestChecks.SCRAPE_PORT, "9000", ManifestChecks.SCRAPE_PATH, "/q/metrics"),
                    d.getSpec().getTemplate().getMetadata().getAnnotations(), d.getMetadata().getName());
        }
    }

    @Test
    void topLevelDeploysTheNativeBuild() {
        assertEquals(Overlay.NATIVE.yaml(), Overlay.TOP_LEVEL.yaml());
    }

    @Test
    void jvmGetsMoreResourcesThanNative() {
        for (Deployment d : Overlay.NATIVE.manifests().all(Deployment.class)) {
            var jvm = container(Overlay.JVM.manifests(), d.getMetadata().getName()).getResources();
            var nativ = d.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
            for (String resource : List.of("cpu", "memory")) {
                assertTrue(bigger(jvm.getRequests().get(resource), nativ.getRequests().get(resource))
                                && bigger(jvm.getLimits().get(resource), nativ.getLimits().get(resource)),
                        d.getMetadata().getName() + " " + resource + ": jvm " + jvm + " native " + nativ);
            }
        }
    }

    /**
     * The JVM pods run with the heap and GC their image's AOT cache was trained with: ARG JAVA_OPTS_TRAINED in each
     * Dockerfile.jvm, used by the training run and by the image's JAVA_OPTS, and set by no manifest, so the two
     * cannot drift apart. Heap, metaspace, code cache and direct memory are all bounded, and fit under the limit.
     */
    @Test
    void jvmPodsRunTheFlagsTheirAotCacheWasTrainedWith() throws IOException {
        Path root = Kustomize.sourceDir().getParent();
        for (Deployment d : Overlay.JVM.manifests().all(Deployment.class)) {
            String name = d.getMetadata().getName();
            Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals(List.of(), c.getEnv().stream().map(EnvVar::getName).filter(JVM_OPTIONS::contains).toList(), name);
            List<String> dockerfile = Files.readAllLines(root.resolve(name).resolve("src/main/docker/Dockerfile.jvm"));
            List<String> trained = dockerfile.stream().map(TRAINED::matcher).filter(Matcher::matches)
                    .map(m -> m.group(1)).toList();
            assertEquals(1, trained.size(), name + ": one ARG JAVA_OPTS_TRAINED=\"...\" line, " + trained);
            List<String> flags = List.of(trained.get(0).trim().split("\\s+"));
            assertTrue(flags.contains("-XX:+UseSerialGC"), name + ": " + flags);
            assertTrue(dockerfile.stream().anyMatch(l -> l.startsWith("RUN java $JAVA_OPTS_TRAINED -XX:AOTCacheOutput=")),
                    name + ": the training run uses them");
            assertTrue(dockerfile.stream().anyMatch(l -> l.startsWith("ENV JAVA_OPTS=\"-XX:AOTCache=/deployments/app.aot ${JAVA_OPTS_TRAINED} ")),
                    name + ": the image runs with them");
            long bounded = 0;
            for (String bound : List.of("-Xmx", "-XX:MaxMetaspaceSize=", "-XX:ReservedCodeCacheSize=", "-XX:MaxDirectMemorySize=")) {
                String value = flags.stream().filter(f -> f.startsWith(bound)).reduce((a, b) -> b)
                        .orElseThrow(() -> new AssertionError(name + ": no " + bound + " in " + flags)).substring(bound.length());
                bounded += bytes(value);
            }
            // The rest (thread stacks, GC and JIT structures, the AOT cache's mapped classes) needs room as well.
            long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
            assertTrue(bounded + (64L << 20) <= limit, name + ": " + flags + " need " + (bounded >> 20) + " MiB, limit " + c.getResources());
        }
        for (Overlay overlay : Overlay.values()) {
            for (Deployment d : overlay.manifests().all(Deployment.class)) {
                assertTrue(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                        .noneMatch(e -> JVM_OPTIONS.contains(e.getName())), overlay + " " + d.getMetadata().getName());
            }
        }
    }

    /** Where a manifest could give the JVM options of its own. */
    private static final Set<String> JVM_OPTIONS = Set.of("JAVA_OPTS", "JAVA_OPTS_APPEND", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");
    private static final Pattern TRAINED = Pattern.compile("ARG JAVA_OPTS_TRAINED=\"([^\"]+)\"");

    /** A JVM size: bytes, or with k, m or g. */
    private static long bytes(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        int shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        return Long.parseLong(shift == 0 ? size : size.substring(0, size.length() - 1)) << shift;
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void environmentMatchesTheServicesContract(Overlay overlay) {
        Manifests m = overlay.manifests();
        Map<String, String> gateway = new TreeMap<>(Map.ofEntries(
                Map.entry("SMALLRYE_JWT_SIGN_KEY_LOCATION", "/var/run/secrets/jwt/private-key.pem"),
                Map.entry("GATEWAY_SIGNING_PREVIOUS_KEYS_LOCATION", "/var/run/secrets/jwt/previous-public-keys.pem"),
                Map.entry("SMALLRYE_JWT_NEW_TOKEN_ISSUER", "https://api-gateway"),
                Map.entry("SMALLRYE_JWT_NEW_TOKEN_AUDIENCE", "order-service,customer-service"),
                Map.entry("SMALLRYE_JWT_NEW_TOKEN_LIFESPAN", "300"),
                Map.entry("MP_JWT_VERIFY_ISSUER", "https://api-gateway"),
                Map.entry("ACCESS_TOKEN_PROPAGATION", "forward"),
                Map.entry("MP_JWT_VERIFY_AUDIENCES", "order-service"),
                Map.entry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "http://localhost:8080/.well-known/jwks.json"),
                Map.entry("QUARKUS_REST_CLIENT_ORDER_SERVICE_URL", "http://order-service:8081"),
                Map.entry("QUARKUS_REST_CLIENT_ORDER_SERVICE_CONNECT_TIMEOUT", "500"),
                Map.entry("QUARKUS_REST_CLIENT_ORDER_SERVICE_READ_TIMEOUT", "3000"),
                Map.entry("QUARKUS_REST_CLIENT_CUSTOMER_SERVICE_URL", "http://customer-service:8082"),
                Map.entry("QUARKUS_REST_CLIENT_CUSTOMER_SERVICE_CONNECT_TIMEOUT", "500"),
                Map.entry("QUARKUS_REST_CLIENT_CUSTOMER_SERVICE_READ_TIMEOUT", "1000"),
                Map.entry("GATEWAY_USERS_ALICE_PASSWORD_HASH", "secret gateway-users/alice-password-hash"),
                Map.entry("GATEWAY_USERS_BOB_PASSWORD_HASH", "secret gateway-users/bob-password-hash"),
                Map.entry("GATEWAY_USERS_ADMIN_PASSWORD_HASH", "secret gateway-users/admin-password-hash"),
                Map.entry("GATEWAY_USERS_ALICE_ROLES", "user"),
                Map.entry("GATEWAY_USERS_BOB_ROLES", "user"),
                Map.entry("GATEWAY_USERS_ADMIN_ROLES", "admin"),
                Map.entry("GATEWAY_CLIENTS_ORDER_SERVICE_SECRET_HASH", "secret order-service-client/client-secret-hash"),
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://gateway-db:5432/gateway"),
                // The application as the runtime role (DML only), Flyway as the owner.
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "secret gateway-db-credentials/app-username"),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "secret gateway-db-credentials/app-password"),
                Map.entry("QUARKUS_FLYWAY_USERNAME", "secret gateway-db-credentials/username"),
                Map.entry("QUARKUS_FLYWAY_PASSWORD", "secret gateway-db-credentials/password"),
                // The client address behind the Ingress: X-Forwarded-For, from the trusted proxies only.
                Map.entry("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true"),
                Map.entry("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true"),
                // No default: what the deployment gave generate-secrets.sh (TRUSTED_PROXIES), via its own ConfigMap.
                Map.entry("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", Kustomize.TRUSTED_PROXIES),
                // Swagger UI off in a cluster unless an overlay turns it on.
                Map.entry("QUARKUS_SWAGGER_UI_ENABLED", "false")));
        gateway.putAll(OBSERVABILITY);
        assertEquals(gateway, environment(m, "api-gateway"));
        Map<String, String> orders = new TreeMap<>(Map.ofEntries(
                Map.entry("MP_JWT_VERIFY_ISSUER", "https://api-gateway"),
                Map.entry("ACCESS_TOKEN_PROPAGATION", "forward"),
                Map.entry("MP_JWT_VERIFY_AUDIENCES", "order-service"),
                Map.entry("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "http://api-gateway:8080/.well-known/jwks.json"),
                Map.entry("QUARKUS_REST_CLIENT_CUSTOMER_SERVICE_URL", "http://customer-service:8082"),
                Map.entry("QUARKUS_REST_CLIENT_CUSTOMER_SERVICE_CONNECT_TIMEOUT", "500"),
                Map.entry("QUARKUS_REST_CLIENT_CUSTOMER_SERVICE_READ_TIMEOUT", "1000"),
                Map.entry("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://order-db:5432/orders"),
                // The application as the runtime role (DML only), Flyway as the owner.
                Map.entry("QUARKUS_DATASOURCE_USERNAME", "secret order-db-credentials/app-username"),
                Map.entry("QUARKUS_DATASOURCE_PASSWORD", "secret order-db-credentials/app-password"),
                Map.entry("QUARKUS_FLYWAY_USERNAME", "secret order-db-credentials/username"),
                Map.entry("QUARKUS_FLYWAY_PASSWORD", "secret order-db-credentials/password"),
                Map.entry("QUARKUS_OIDC_CLIENT_AUTH_SERVER_URL", "http://api-gateway:8080"),
                Map.entry("QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET", "secret order-service-client/client-secret")));
        orders.put("ORDERS_CURSOR_KEY", "secret order-cursor-key/key");
        orders.putAll(OBSERVABILITY);
        assertEquals(orders, environment(m, "order-service"));
        Map<String, String> customers = new TreeMap<>(Map.of(
                "ACCESS_TOKEN_PROPAGATION", "forward",
                "MP_JWT_VERIFY_ISSUER", "https://api-gateway",
                "MP_JWT_VERIFY_AUDIENCES", "customer-service",
                "MP_JWT_VERIFY_PUBLICKEY_LOCATION", "http://api-gateway:8080/.well-known/jwks.json",
                "QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://customer-db:5432/customers",
                "QUARKUS_DATASOURCE_USERNAME", "secret customer-db-credentials/app-username",
                "QUARKUS_DATASOURCE_PASSWORD", "secret customer-db-credentials/app-password",
                "QUARKUS_FLYWAY_USERNAME", "secret customer-db-credentials/username",
                "QUARKUS_FLYWAY_PASSWORD", "secret customer-db-credentials/password"));
        customers.putAll(OBSERVABILITY);
        assertEquals(customers, environment(m, "customer-service"));
    }

    private static String readInit(String file) {
        try {
            return java.nio.file.Files.readString(Kustomize.sourceDir().resolve("base/db-init").resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The same for every service: management port, traces to the optional collector, JSON logs. */
    private static final Map<String, String> OBSERVABILITY = Map.of(
            "QUARKUS_MANAGEMENT_PORT", "9000",
            "QUARKUS_OTEL_SDK_DISABLED", "false",
            "QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.monitoring:4317",
            "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void databasesAreTheOfficialPostgresWithTheirOwnCredentials(Overlay overlay) {
        Manifests m = overlay.manifests();
        Map<String, Map<String, String>> expected = Map.of(
                "gateway-db", Map.of(
                        "POSTGRES_USER", "secret gateway-db-credentials/username",
                        "POSTGRES_PASSWORD", "secret gateway-db-credentials/password",
                        "APP_DB_USERNAME", "secret gateway-db-credentials/app-username",
                        "APP_DB_PASSWORD", "secret gateway-db-credentials/app-password",
                        "POSTGRES_DB", "gateway",
                        "PGDATA", "/var/lib/postgresql/data/pgdata"),
                "order-db", Map.of(
                        "POSTGRES_USER", "secret order-db-credentials/username",
                        "POSTGRES_PASSWORD", "secret order-db-credentials/password",
                        "APP_DB_USERNAME", "secret order-db-credentials/app-username",
                        "APP_DB_PASSWORD", "secret order-db-credentials/app-password",
                        "POSTGRES_DB", "orders",
                        "PGDATA", "/var/lib/postgresql/data/pgdata"),
                "customer-db", Map.of(
                        "POSTGRES_USER", "secret customer-db-credentials/username",
                        "POSTGRES_PASSWORD", "secret customer-db-credentials/password",
                        "APP_DB_USERNAME", "secret customer-db-credentials/app-username",
                        "APP_DB_PASSWORD", "secret customer-db-credentials/app-password",
                        "POSTGRES_DB", "customers",
                        "PGDATA", "/var/lib/postgresql/data/pgdata"));
        for (StatefulSet s : m.all(StatefulSet.class)) {
            String name = s.getMetadata().getName();
            Container c = s.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertEquals(expected.get(name), environment(m, c), name);
            assertEquals(Overlay.DATABASE_IMAGE, c.getImage(), name);
            assertEquals(1, c.getPorts().size(), name);
            assertEquals(5432, c.getPorts().get(0).getContainerPort(), name);
            assertEquals("/var/lib/postgresql/data", c.getVolumeMounts().stream()
                    .filter(v -> v.getName().equals("data")).findFirst().orElseThrow().getMountPath(), name);
            // The init that creates the runtime role: the files of k8s/base/db-init as they are.
            var init = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals("/docker-entrypoint-initdb.d"))
                    .findFirst().orElseThrow();
            assertTrue(init.getReadOnly(), name);
            String configMap = s.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getName().equals(init.getName()))
                    .findFirst().orElseThrow().getConfigMap().getName();
            Map<String, String> files = m.get(io.fabric8.kubernetes.api.model.ConfigMap.class, configMap).getData();
            for (String file : List.of("app-role.sh", "app-role.psql")) {
                assertEquals(readInit(file), files.get(file), name + " " + file);
            }
            var claim = s.getSpec().getVolumeClaimTemplates().get(0);
            assertEquals(new Quantity("1Gi"), claim.getSpec().getResources().getRequests().get("storage"), name);
            // Deleting or scaling the StatefulSet keeps the data.
            assertEquals("Retain", s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted(), name);
            assertEquals("Retain", s.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled(), name);
        }
        assertEquals(expected.keySet(), m.all(StatefulSet.class).stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet()));
    }

    /**
     * The three databases are one design: StatefulSet, Service and NetworkPolicy differ in the names
     * (database, Secret, database name, the one service admitted) only, so that each gets the probes,
     * securityContext, resources, storage and isolation of the others.
     */
    @ParameterizedTest
    @EnumSource(Overlay.class)
    void everyDatabaseIsBuiltLikeTheOthers(Overlay overlay) {
        Manifests m = overlay.manifests();
        String reference = databaseShape(m, "order-db", "orders", "order-service");
        assertEquals(reference, databaseShape(m, "customer-db", "customers", "customer-service"));
        assertEquals(reference, databaseShape(m, "gateway-db", "gateway", "api-gateway"));
        assertTrue(reference.contains("\"DATABASE\"") && reference.contains("\"SERVICE\"") && reference.contains("DB-credentials"), reference);
    }

    private static String databaseShape(Manifests m, String db, String database, String service) {
        String json = Manifests.SERIALIZATION.asJson(m.get(StatefulSet.class, db))
                + Manifests.SERIALIZATION.asJson(m.get(io.fabric8.kubernetes.api.model.Service.class, db))
                + Manifests.SERIALIZATION.asJson(m.get(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class, db));
        return json.replace(db, "DB").replace("\"" + database + "\"", "\"DATABASE\"").replace("\"" + service + "\"", "\"SERVICE\"");
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void servicesListenOnTheContractPorts(Overlay overlay) {
        Map<String, Integer> ports = new TreeMap<>();
        for (Deployment d : overlay.manifests().all(Deployment.class)) {
            var declared = container(overlay.manifests(), d.getMetadata().getName()).getPorts();
            assertEquals(List.of("http", "management"), declared.stream().map(p -> p.getName()).toList());
            ports.put(d.getMetadata().getName(), declared.get(0).getContainerPort());
            // Health and metrics: the same management port for every service.
            assertEquals(9000, declared.get(1).getContainerPort());
        }
        assertEquals(Map.of("api-gateway", 8080, "order-service", 8081, "customer-service", 8082), ports);
    }

    @Test
    void gatewayMountsTheSigningKeyReadOnly() {
        var gateway = Overlay.NATIVE.manifests().get(Deployment.class, "api-gateway").getSpec().getTemplate().getSpec();
        var mount = gateway.getContainers().get(0).getVolumeMounts().stream()
                .filter(v -> v.getMountPath().equals("/var/run/secrets/jwt")).findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, mount.getReadOnly());
        var volume = gateway.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertEquals("jwt-signing-key", volume.getSecret().getSecretName());
    }

    @ParameterizedTest
    @EnumSource(Overlay.class)
    void ingressServesTheGatewayOverHttpsOnly(Overlay overlay) {
        Manifests m = overlay.manifests();
        Ingress ingress = m.get(Ingress.class, "api-gateway");
        assertEquals(1, ingress.getSpec().getTls().size());
        IngressTLS tls = ingress.getSpec().getTls().get(0);
        assertEquals(List.of("access-token.local"), tls.getHosts());
        assertEquals("api-gateway-tls", tls.getSecretName());
        assertEquals(List.of("access-token.local"), ingress.getSpec().getRules().stream().map(IngressRule::getHost).toList());
        assertEquals(Map.of(ManifestChecks.FORCE_SSL_REDIRECT, "true"), ingress.getMetadata().getAnnotations());
        Secret secret = m.get(Secret.class, "api-gateway-tls");
        assertEquals("kubernetes.io/tls", secret.getType());
        assertEquals(Set.of("tls.crt", "tls.key"), secret.getData().keySet());
    }

    /** The environment a container gets: values, ConfigMap values resolved, Secret references named. */
    static Map<String, String> environment(Manifests m, String deployment) {
        return environment(m, container(m, deployment));
    }

    static Map<String, String> environment(Manifests m, Container c) {
        Map<String, String> env = new TreeMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                env.putAll(m.get(ConfigMap.class, from.getConfigMapRef().getName()).getData());
            }
        }
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), e.getValue());
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                env.put(e.getName(), m.get(ConfigMap.class, ref.getName()).getData().get(ref.getKey()));
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                env.put(e.getName(), "secret " + ref.getName() + "/" + ref.getKey());
            }
        }
        return env;
    }

    static Container container(Manifests m, String deployment) {
        return m.get(Deployment.class, deployment).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static boolean bigger(Quantity a, Quantity b) {
        return a.getNumericalAmount().compareTo(b.getNumericalAmount()) > 0;
    }
}
