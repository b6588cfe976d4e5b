package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import dev.accesstoken.testsupport.RequiredTools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/**
 * k8s/overlays/podman, which k8s/podman/run.sh plays on podman 4.3: the JVM build with one replica,
 * fixed pod addresses, the services on 127.0.0.1 hostPorts, and the databases on the local PostgreSQL
 * build. What a cluster render must satisfy still holds where podman does not change it.
 */
class PodmanOverlayTest {

    static final String LOCAL_POSTGRES = "localhost/access-token/postgres:17";

    private static Manifests manifests() {
        return Manifests.parse(Kustomize.render("overlays/podman"));
    }

    private static List<ManifestChecks.Workload> workloads(Manifests m) {
        return ManifestChecks.workloads(m);
    }

    @Test
    void keepsTheChecksOfTheJvmBuildThatPodmanDoesNotChange() {
        Manifests m = manifests();
        Expected jvm = Overlay.JVM.expected;
        List<String> problems = new java.util.ArrayList<>();
        problems.addAll(ManifestChecks.references(m));
        problems.addAll(ManifestChecks.serviceSelectors(m));
        problems.addAll(ManifestChecks.networkPolicies(m, jvm.flows()));
        problems.addAll(ManifestChecks.secretAccess(m, jvm.secrets()));
        // The local build runs as the official image's postgres user, uid/gid 999.
        problems.addAll(ManifestChecks.securityContexts(m, jvm.runAsUser()));
        problems.addAll(ManifestChecks.images(m, jvm.imageTag(), LOCAL_POSTGRES));
        problems.addAll(ManifestChecks.resources(m));
        problems.addAll(ManifestChecks.databases(m));
        problems.addAll(ManifestChecks.probes(m));
        problems.addAll(ManifestChecks.forwardedHeaders(m));
        problems.addAll(ManifestChecks.metrics(m));
        problems.addAll(ManifestChecks.managementPortPrivate(m));
        problems.addAll(ManifestChecks.tracesAndLogs(m, jvm.flows()));
        assertEquals(List.of(), problems);
    }

    /** No Ingress in podman: clients reach the gateway directly, so it believes no X-Forwarded-For. */
    @Test
    void gatewayTrustsNoForwardedHeadersWithoutAnIngress() {
        Manifests m = manifests();
        Map<String, String> env = RenderedManifestsTest.environment(m, "api-gateway");
        assertEquals("false", env.get(ManifestChecks.PROXY_FORWARDING));
        // Everything else the gateway gets is the JVM build's.
        Map<String, String> jvm = new TreeMap<>(RenderedManifestsTest.environment(Overlay.JVM.manifests(), "api-gateway"));
        assertEquals("true", jvm.put(ManifestChecks.PROXY_FORWARDING, "false"));
        // The walkthrough logs in with the demo users (generate-secrets.sh --demo), which prod alone refuses.
        assertEquals(null, jvm.put("QUARKUS_PROFILE", "prod,demo"));
        assertEquals(jvm, env);
    }

    /** The demo profile is the podman walkthrough's alone: order-service too, and no cluster overlay. */
    @Test
    void onlyThePodmanWalkthroughRunsTheDemoProfile() {
        Map<String, String> orders = RenderedManifestsTest.environment(manifests(), "order-service");
        assertEquals("prod,demo", orders.get("QUARKUS_PROFILE"));
        Map<String, String> jvm = new TreeMap<>(RenderedManifestsTest.environment(Overlay.JVM.manifests(), "order-service"));
        assertEquals(null, jvm.put("QUARKUS_PROFILE", "prod,demo"));
        assertEquals(jvm, orders);
        assertEquals(null, RenderedManifestsTest.environment(manifests(), "customer-service").get("QUARKUS_PROFILE"));
        for (Overlay overlay : Overlay.values()) {
            for (String service : List.of("api-gateway", "order-service", "customer-service")) {
                assertEquals(null, RenderedManifestsTest.environment(overlay.manifests(), service).get("QUARKUS_PROFILE"),
                        overlay + " " + service);
            }
        }
    }

    @Test
    void oneReplicaEach() {
        Manifests m = manifests();
        m.all(Deployment.class).forEach(d -> assertEquals(1, d.getSpec().getReplicas(), Manifests.describe(d)));
        m.all(StatefulSet.class).forEach(s -> assertEquals(1, s.getSpec().getReplicas(), Manifests.describe(s)));
        assertEquals(Set.of("gateway-db", "order-db", "customer-db"),
                m.all(StatefulSet.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet()));
    }

    @Test
    void everyPodResolvesEveryWorkloadToADistinctAddressInOneSubnet() {
        Manifests m = manifests();
        Set<String> names = workloads(m).stream().map(ManifestChecks.Workload::name).collect(Collectors.toSet());
        Map<String, String> first = null;
        for (ManifestChecks.Workload w : workloads(m)) {
            Map<String, String> aliases = new TreeMap<>();
            for (HostAlias alias : w.spec().getHostAliases()) {
                alias.getHostnames().forEach(h -> aliases.put(h, alias.getIp()));
            }
            assertEquals(names, aliases.keySet(), w + " hostAliases");
            assertEquals(names.size(), new HashSet<>(aliases.values()).size(), w + ": two names share an address " + aliases);
            assertEquals(1, aliases.values().stream().map(ip -> ip.substring(0, ip.lastIndexOf('.'))).distinct().count(),
                    w + ": not one /24 " + aliases);
            if (first == null) {
                first = aliases;
            }
            assertEquals(first, aliases, w + " resolves the names otherwise than the other pods");
        }
    }

    @Test
    void servicesPublishOnLoopbackOnlyAndDatabasesNothing() {
        Manifests m = manifests();
        Map<String, Integer> hostPorts = new TreeMap<>();
        for (ManifestChecks.Workload w : workloads(m)) {
            for (Container c : w.spec().getContainers()) {
                for (ContainerPort p : c.getPorts()) {
                    if (p.getHostPort() != null) {
                        assertFalse(w.database(), w + " publishes its port on the host");
                        assertEquals("127.0.0.1", p.getHostIP(), w + " publishes beyond loopback");
                        hostPorts.put(w.name() + "/" + p.getName(), p.getHostPort());
                    }
                }
            }
        }
        // The API port, and the management port that run.sh probes (health) and scrapes (metrics).
        assertEquals(Map.of("api-gateway/http", 28080, "order-service/http", 28081, "customer-service/http", 28082,
                "api-gateway/management", 29080, "order-service/management", 29081, "customer-service/management", 29082),
                hostPorts);
    }

    /** k8s/podman/prepare.py, run on this render: what podman 4.3 gets to play. */
    @Test
    void prepareTurnsStatefulSetsIntoClaimsAndDeploymentsAndPublishesNoDatabasePort() throws IOException {
        RequiredTools.require(pythonWithYaml(), "python3 with PyYAML (k8s/podman/prepare.py)",
                "apt-get install -y python3 python3-yaml");
        Path dir = Files.createTempDirectory("podman-prepare-");
        try {
            Path rendered = dir.resolve("rendered.yaml");
            Files.writeString(rendered, Kustomize.render("overlays/podman"));
            Path script = Kustomize.sourceDir().resolve("podman/prepare.py");
            Kustomize.run(List.of("python3", script.toString(), rendered.toString(), dir.toString()));

            Manifests db = Manifests.parse(Files.readString(dir.resolve("play-db.yaml")));
            Manifests services = Manifests.parse(Files.readString(dir.resolve("play.yaml")));
            assertEquals(Set.of("data-gateway-db-0", "data-order-db-0", "data-customer-db-0"), names(db.all(PersistentVolumeClaim.class)));
            assertEquals(Set.of("gateway-db", "order-db", "customer-db"), names(db.all(Deployment.class)));
            assertEquals(List.of(), db.all(StatefulSet.class));
            assertEquals(List.of(), services.all(StatefulSet.class));
            assertEquals(Set.of("api-gateway", "order-service", "customer-service"), names(services.all(Deployment.class)));
            for (Deployment d : db.all(Deployment.class)) {
                var pod = d.getSpec().getTemplate().getSpec();
                String claim = "data-" + d.getMetadata().getName() + "-0";
                assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals("data")
                        && v.getPersistentVolumeClaim() != null && claim.equals(v.getPersistentVolumeClaim().getClaimName())),
                        Manifests.describe(d) + " does not mount " + claim);
                // podman 4.3 would publish a containerPort on every host address.
                pod.getContainers().forEach(c -> assertEquals(List.of(), c.getPorts(), Manifests.describe(d)));
                assertEquals(LOCAL_POSTGRES, pod.getContainers().get(0).getImage());
                // The init that creates the runtime role, played with the database (postgres-entrypoint.sh runs it).
                var init = pod.getContainers().get(0).getVolumeMounts().stream()
                        .filter(m -> m.getMountPath().equals("/docker-entrypoint-initdb.d")).findFirst().orElseThrow();
                var initSource = pod.getVolumes().stream().filter(v -> v.getName().equals(init.getName()))
                        .findFirst().orElseThrow().getConfigMap();
                // podman 4.3 dereferences an unset optional.
                assertEquals(Boolean.FALSE, initSource.getOptional(), Manifests.describe(d));
                String configMap = initSource.getName();
                assertTrue(db.get(io.fabric8.kubernetes.api.model.ConfigMap.class, configMap).getData().keySet()
                        .containsAll(Set.of("app-role.sh", "app-role.psql")), Manifests.describe(d) + " init " + configMap);
            }
            Map<String, String> env = envFile(Files.readString(dir.resolve("env")));
            List<String> databases = List.of(env.get("DATABASES").split(" "));
            assertEquals(Set.of("gateway-db", "order-db", "customer-db"), Set.copyOf(databases), env.toString());
            assertEquals(3, databases.size(), env.toString());
            assertEquals(List.of("api-gateway", "order-service", "customer-service").stream().sorted().toList(),
                    List.of(env.get("DEPLOYMENTS").split(" ")).stream().sorted().toList(), env.toString());
            assertEquals(LOCAL_POSTGRES, env.get("DB_IMAGES"), env.toString());
            // run.sh waits for readiness on the management port's hostPort, and calls the API on the other.
            assertEquals("28080", env.get("HOSTPORT_api_gateway"), env.toString());
            assertEquals("29080", env.get("MANAGEMENT_HOSTPORT_api_gateway"), env.toString());
            assertEquals("29082", env.get("MANAGEMENT_HOSTPORT_customer_service"), env.toString());
            // Each database is played at the address the hostAliases give its name, in DATABASES order.
            Map<String, String> aliases = new TreeMap<>();
            workloads(manifests()).get(0).spec().getHostAliases().forEach(a -> a.getHostnames().forEach(h -> aliases.put(h, a.getIp())));
            assertEquals(databases.stream().map(aliases::get).toList(), List.of(env.get("DB_PLAY_IPS").split(" ")), env.toString());
            databases.forEach(d -> assertEquals(aliases.get(d), env.get("IP_" + d.replace('-', '_')), d));
            // Every Secret a pod reads by secretKeyRef or volume, the three database credentials included; not the Ingress's.
            assertEquals(Set.of("jwt-signing-key", "gateway-users", "order-service-client", "gateway-db-credentials",
                    "order-db-credentials", "customer-db-credentials", "order-cursor-key"), Set.of(env.get("SECRETS").split(" ")), env.toString());
            for (String name : env.get("SECRETS").split(" ")) {
                assertTrue(Files.isRegularFile(dir.resolve("secrets").resolve(name + ".json")), name);
            }
            // A database's credentials as podman 4.3 reads a secretKeyRef Secret: {key: base64}.
            String json = Files.readString(dir.resolve("secrets").resolve("gateway-db-credentials.json"));
            Map<?, ?> credentials = Manifests.SERIALIZATION.unmarshal(json, Map.class);
            assertEquals(Set.of("username", "password", "app-username", "app-password"), credentials.keySet(), "gateway-db-credentials.json");
            assertEquals("api_gateway_app", new String(java.util.Base64.getDecoder().decode((String) credentials.get("app-username"))));
            assertEquals("api_gateway", new String(java.util.Base64.getDecoder().decode((String) credentials.get("username"))));
        } finally {
            Kustomize.deleteRecursively(dir);
        }
    }

    /** The NAME=value lines prepare.py writes for run.sh, shell quoting undone. */
    private static Map<String, String> envFile(String text) {
        Map<String, String> env = new TreeMap<>();
        text.lines().filter(l -> l.contains("=")).forEach(l -> {
            String value = l.substring(l.indexOf('=') + 1);
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(l.substring(0, l.indexOf('=')), value);
        });
        return env;
    }

    private static Set<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).collect(Collectors.toSet());
    }

    private static boolean pythonWithYaml() {
        try {
            Kustomize.run(List.of("python3", "-c", "import yaml"));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
