package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        assertEquals(List.of(), problems);
    }

    @Test
    void oneReplicaEach() {
        Manifests m = manifests();
        m.all(Deployment.class).forEach(d -> assertEquals(1, d.getSpec().getReplicas(), Manifests.describe(d)));
        m.all(StatefulSet.class).forEach(s -> assertEquals(1, s.getSpec().getReplicas(), Manifests.describe(s)));
        assertEquals(Set.of("order-db", "customer-db"),
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
                        hostPorts.put(w.name(), p.getHostPort());
                    }
                }
            }
        }
        assertEquals(Map.of("api-gateway", 28080, "order-service", 28081, "customer-service", 28082), hostPorts);
    }

    /** k8s/podman/prepare.py, run on this render: what podman 4.3 gets to play. */
    @Test
    void prepareTurnsStatefulSetsIntoClaimsAndDeploymentsAndPublishesNoDatabasePort() throws IOException {
        assumeTrue(pythonWithYaml(), "python3 with PyYAML (Debian: python3-yaml) is not installed");
        Path dir = Files.createTempDirectory("podman-prepare-");
        try {
            Path rendered = dir.resolve("rendered.yaml");
            Files.writeString(rendered, Kustomize.render("overlays/podman"));
            Path script = Kustomize.sourceDir().resolve("podman/prepare.py");
            Kustomize.run(List.of("python3", script.toString(), rendered.toString(), dir.toString()));

            Manifests db = Manifests.parse(Files.readString(dir.resolve("play-db.yaml")));
            Manifests services = Manifests.parse(Files.readString(dir.resolve("play.yaml")));
            assertEquals(Set.of("data-order-db-0", "data-customer-db-0"), names(db.all(PersistentVolumeClaim.class)));
            assertEquals(Set.of("order-db", "customer-db"), names(db.all(Deployment.class)));
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
            }
            String env = Files.readString(dir.resolve("env"));
            assertTrue(env.contains("DATABASES='order-db customer-db'") || env.contains("DATABASES='customer-db order-db'"), env);
            assertTrue(env.contains("DB_IMAGES=" + LOCAL_POSTGRES + "\n"), env);
            assertTrue(env.lines().anyMatch(l -> l.startsWith("SECRETS=") && l.contains("order-db-credentials")
                    && l.contains("customer-db-credentials") && l.contains("order-service-client")), env);
            for (String file : List.of("order-db-credentials", "customer-db-credentials", "order-service-client")) {
                assertTrue(Files.isRegularFile(dir.resolve("secrets").resolve(file + ".json")), file);
            }
        } finally {
            Kustomize.deleteRecursively(dir);
        }
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
