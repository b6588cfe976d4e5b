package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ExecActionBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TCPSocketActionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each check, fed a copy of the native render broken in one place, reports that place. (That the
 * unbroken renders pass every check is {@link RenderedManifestsTest#passesEveryCheck}.)
 */
class ManifestChecksTest {

    private static final Expected NATIVE = Overlay.NATIVE.expected;

    /** Breaks a copy of the native render, runs the check, and expects a problem containing each text. */
    private static void assertReports(Function<Manifests, List<String>> check, Consumer<Manifests> breakIt, String... texts) {
        Manifests original = Overlay.NATIVE.manifests();
        assertEquals(List.of(), check.apply(original), "the unbroken render must pass this check");
        Manifests broken = original.copy();
        breakIt.accept(broken);
        List<String> problems = check.apply(broken);
        assertFalse(problems.isEmpty(), "the check found nothing wrong");
        for (String text : texts) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(text)),
                    () -> "no problem mentions '" + text + "':\n" + String.join("\n", problems));
        }
        assertEquals(List.of(), check.apply(Overlay.NATIVE.manifests()), "the check must not change the shared render");
    }

    /** As {@link #assertReports}, for a render that lacks the objects {@code remove} matches. */
    private static void assertReportsWithout(Function<Manifests, List<String>> check, Predicate<HasMetadata> remove, String... texts) {
        Manifests original = Overlay.NATIVE.manifests();
        assertEquals(List.of(), check.apply(original), "the unbroken render must pass this check");
        Manifests broken = new Manifests(original.objects().stream().filter(remove.negate()).toList());
        assertTrue(broken.objects().size() < original.objects().size(), "nothing was removed");
        List<String> problems = check.apply(broken);
        for (String text : texts) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(text)),
                    () -> "no problem mentions '" + text + "':\n" + String.join("\n", problems));
        }
    }

    /** As {@link #assertReports}, for a render with one more object. */
    private static void assertReportsWith(Function<Manifests, List<String>> check, HasMetadata extra, String... texts) {
        Manifests original = Overlay.NATIVE.manifests();
        assertEquals(List.of(), check.apply(original), "the unbroken render must pass this check");
        List<HasMetadata> objects = new ArrayList<>(original.objects());
        objects.add(extra);
        List<String> problems = check.apply(new Manifests(objects));
        for (String text : texts) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(text)),
                    () -> "no problem mentions '" + text + "':\n" + String.join("\n", problems));
        }
    }

    private static Deployment deployment(Manifests m, String name) {
        return m.get(Deployment.class, name);
    }

    private static PodSpec pod(Manifests m, String name) {
        return deployment(m, name).getSpec().getTemplate().getSpec();
    }

    private static Container container(Manifests m, String name) {
        return pod(m, name).getContainers().get(0);
    }

    private static StatefulSet statefulSet(Manifests m, String name) {
        return m.get(StatefulSet.class, name);
    }

    private static PodSpec dbPod(Manifests m, String name) {
        return statefulSet(m, name).getSpec().getTemplate().getSpec();
    }

    private static Container dbContainer(Manifests m, String name) {
        return dbPod(m, name).getContainers().get(0);
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow();
    }

    private static String configMapName(Manifests m, String prefix) {
        return m.all(ConfigMap.class).stream().map(c -> c.getMetadata().getName())
                .filter(n -> n.startsWith(prefix)).findFirst().orElseThrow();
    }

    @Nested
    class LabelsAndNamespace {
        @Test
        void statefulSetPodTemplateWithoutAppName() {
            assertReports(ManifestChecks::labelsAndNamespace,
                    m -> statefulSet(m, "order-db").getSpec().getTemplate().getMetadata().getLabels().remove(ManifestChecks.NAME_LABEL),
                    "StatefulSet/order-db pod template labels");
        }

        @Test
        void statefulSetNamedOtherwiseThanItsLabel() {
            assertReports(ManifestChecks::labelsAndNamespace,
                    m -> statefulSet(m, "customer-db").getMetadata().getLabels().put(ManifestChecks.NAME_LABEL, "postgres"),
                    "StatefulSet/customer-db has label app.kubernetes.io/name=postgres, expected its own name");
        }

        @Test
        void objectWithoutPartOfLabel() {
            assertReports(ManifestChecks::labelsAndNamespace,
                    m -> m.get(NetworkPolicy.class, "default-deny-all").getMetadata().getLabels().remove(ManifestChecks.PART_OF_LABEL),
                    "NetworkPolicy/default-deny-all lacks label app.kubernetes.io/part-of=access-token");
        }

        @Test
        void objectInAnotherNamespace() {
            assertReports(ManifestChecks::labelsAndNamespace,
                    m -> m.get(Service.class, "order-service").getMetadata().setNamespace("default"),
                    "Service/order-service is in namespace default");
        }

        @Test
        void podTemplateWithoutAppName() {
            assertReports(ManifestChecks::labelsAndNamespace,
                    m -> deployment(m, "customer-service").getSpec().getTemplate().getMetadata().getLabels().remove(ManifestChecks.NAME_LABEL),
                    "Deployment/customer-service pod template labels");
        }
    }

    @Nested
    class ServiceSelectors {
        @Test
        void databaseServiceOnAPortTheDatabaseLacks() {
            assertReports(ManifestChecks::serviceSelectors,
                    m -> m.get(Service.class, "order-db").getSpec().getPorts().get(0).setTargetPort(new IntOrString("pg")),
                    "Service/order-db port 5432 targets pg, which no container of StatefulSet/order-db has");
        }

        @Test
        void selectorMatchingNoPods() {
            assertReports(ManifestChecks::serviceSelectors,
                    m -> m.get(Service.class, "order-service").getSpec().setSelector(Map.of(ManifestChecks.NAME_LABEL, "orders")),
                    "Service/order-service selector {app.kubernetes.io/name=orders} matches no pod template");
        }

        @Test
        void targetPortTheContainerLacks() {
            assertReports(ManifestChecks::serviceSelectors,
                    m -> m.get(Service.class, "customer-service").getSpec().getPorts().get(0).setTargetPort(new IntOrString("https")),
                    "Service/customer-service port 8082 targets https, which no container of Deployment/customer-service has");
        }

        @Test
        void missingSelector() {
            assertReports(ManifestChecks::serviceSelectors,
                    m -> m.get(Service.class, "api-gateway").getSpec().setSelector(null),
                    "Service/api-gateway has no selector");
        }
    }

    @Nested
    class References {
        @Test
        void databaseSecretKeyThatDoesNotExist() {
            assertReports(ManifestChecks::references,
                    m -> env(dbContainer(m, "order-db"), "POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef().setKey("pass"),
                    "StatefulSet/order-db container order-db env POSTGRES_PASSWORD refers to key pass of Secret order-db-credentials, which has only [app-password, app-username, password, username]");
        }

        @Test
        void databaseCredentialsMissingFromTheRender() {
            assertReportsWithout(ManifestChecks::references,
                    o -> o instanceof Secret && o.getMetadata().getName().equals("customer-db-credentials"),
                    "Deployment/customer-service container customer-service env QUARKUS_DATASOURCE_PASSWORD refers to Secret customer-db-credentials, which is not in the render",
                    "StatefulSet/customer-db container customer-db env POSTGRES_USER refers to Secret customer-db-credentials, which is not in the render");
        }

        @Test
        void gatewayDatabaseCredentialsMissingFromTheRender() {
            assertReportsWithout(ManifestChecks::references,
                    o -> o instanceof Secret && o.getMetadata().getName().equals("gateway-db-credentials"),
                    "Deployment/api-gateway container api-gateway env QUARKUS_DATASOURCE_USERNAME refers to Secret gateway-db-credentials, which is not in the render",
                    "Deployment/api-gateway container api-gateway env QUARKUS_DATASOURCE_PASSWORD refers to Secret gateway-db-credentials, which is not in the render",
                    "StatefulSet/gateway-db container gateway-db env POSTGRES_PASSWORD refers to Secret gateway-db-credentials, which is not in the render");
        }

        @Test
        void gatewayDatabaseSecretKeyThatDoesNotExist() {
            assertReports(ManifestChecks::references,
                    m -> env(container(m, "api-gateway"), "QUARKUS_DATASOURCE_USERNAME").getValueFrom().getSecretKeyRef().setKey("user"),
                    "Deployment/api-gateway container api-gateway env QUARKUS_DATASOURCE_USERNAME refers to key user of Secret gateway-db-credentials, which has only [app-password, app-username, password, username]");
        }

        @Test
        void clientSecretWithoutItsHash() {
            assertReports(ManifestChecks::references,
                    m -> m.get(Secret.class, "order-service-client").getData().remove("client-secret-hash"),
                    "Deployment/api-gateway container api-gateway env GATEWAY_CLIENTS_ORDER_SERVICE_SECRET_HASH refers to key client-secret-hash of Secret order-service-client, which has only [client-secret]");
        }

        @Test
        void mountOfAVolumeClaimTemplateThatDoesNotExist() {
            assertReports(ManifestChecks::references,
                    m -> statefulSet(m, "order-db").getSpec().getVolumeClaimTemplates().get(0).getMetadata().setName("pgdata"),
                    "StatefulSet/order-db container order-db mounts volume data, which the pod does not have");
        }

        @Test
        void secretKeyThatDoesNotExist() {
            assertReports(ManifestChecks::references,
                    m -> container(m, "api-gateway").getEnv().stream()
                            .filter(e -> e.getName().equals("GATEWAY_USERS_BOB_PASSWORD_HASH")).findFirst().orElseThrow()
                            .getValueFrom().getSecretKeyRef().setKey("bob-hash"),
                    "env GATEWAY_USERS_BOB_PASSWORD_HASH refers to key bob-hash of Secret gateway-users, which has only");
        }

        @Test
        void configMapKeyThatDoesNotExist() {
            assertReports(ManifestChecks::references,
                    m -> container(m, "order-service").getEnv().stream()
                            .filter(e -> e.getName().equals("MP_JWT_VERIFY_ISSUER")).findFirst().orElseThrow()
                            .getValueFrom().getConfigMapKeyRef().setKey("issuer"),
                    "Deployment/order-service container order-service env MP_JWT_VERIFY_ISSUER refers to key issuer of ConfigMap");
        }

        @Test
        void configMapRefThatDoesNotExist() {
            String name = configMapName(Overlay.NATIVE.manifests(), "customer-service-config");
            assertReportsWithout(ManifestChecks::references,
                    o -> o.getMetadata().getName().equals(name),
                    "Deployment/customer-service container customer-service envFrom refers to ConfigMap customer-service-config-");
        }

        @Test
        void secretVolumeThatDoesNotExist() {
            assertReports(ManifestChecks::references,
                    m -> pod(m, "api-gateway").getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow()
                            .getSecret().setSecretName("jwt-key"),
                    "Deployment/api-gateway volume jwt-signing-key refers to Secret jwt-key, which is not in the render");
        }

        @Test
        void ingressTlsSecretThatDoesNotExist() {
            assertReports(ManifestChecks::references,
                    m -> m.get(Ingress.class, "api-gateway").getSpec().getTls().get(0).setSecretName("gateway-tls"),
                    "Ingress/api-gateway tls[0] refers to Secret gateway-tls, which is not in the render");
        }

        @Test
        void ingressTlsSecretMissingFromTheRender() {
            assertReportsWithout(ManifestChecks::references,
                    o -> o instanceof Secret && o.getMetadata().getName().equals("api-gateway-tls"),
                    "Ingress/api-gateway tls[0] refers to Secret api-gateway-tls, which is not in the render");
        }

        @Test
        void ingressTlsSecretOfAnotherType() {
            assertReports(ManifestChecks::references,
                    m -> m.get(Secret.class, "api-gateway-tls").setType("Opaque"),
                    "Ingress/api-gateway tls[0] refers to Secret api-gateway-tls of type Opaque, expected kubernetes.io/tls");
        }

        @Test
        void ingressTlsSecretWithoutItsKey() {
            assertReports(ManifestChecks::references,
                    m -> m.get(Secret.class, "api-gateway-tls").getData().remove("tls.key"),
                    "Ingress/api-gateway tls[0] refers to key tls.key of Secret api-gateway-tls, which has only [tls.crt]");
        }

        @Test
        void ingressTlsWithoutSecretName() {
            assertReports(ManifestChecks::references,
                    m -> m.get(Ingress.class, "api-gateway").getSpec().getTls().get(0).setSecretName(null),
                    "Ingress/api-gateway tls[0] names no secretName");
        }

        @Test
        void mountOfAVolumeThePodLacks() {
            assertReports(ManifestChecks::references,
                    m -> pod(m, "order-service").getVolumes().clear(),
                    "Deployment/order-service container order-service mounts volume tmp, which the pod does not have");
        }
    }

    @Nested
    class Probes {
        @Test
        void databaseProbeOnTheUnixSocket() {
            assertReports(ManifestChecks::probes,
                    m -> dbContainer(m, "order-db").getReadinessProbe().getExec().setCommand(List.of("pg_isready", "--quiet")),
                    "StatefulSet/order-db container order-db readiness probe runs [pg_isready, --quiet], expected pg_isready against 127.0.0.1:5432");
        }

        @Test
        void databaseProbeOnAnotherPort() {
            assertReports(ManifestChecks::probes,
                    m -> dbContainer(m, "customer-db").getLivenessProbe().getExec()
                            .setCommand(List.of("pg_isready", "-h", "127.0.0.1", "-p", "5433")),
                    "StatefulSet/customer-db container customer-db liveness probe runs [pg_isready, -h, 127.0.0.1, -p, 5433]");
        }

        @Test
        void databaseProbeThatIsNotPgIsReady() {
            assertReports(ManifestChecks::probes,
                    m -> dbContainer(m, "customer-db").getStartupProbe().getExec().setCommand(List.of("true", "--host=127.0.0.1")),
                    "StatefulSet/customer-db container customer-db startup probe runs [true, --host=127.0.0.1]");
        }

        @Test
        void databaseTcpProbeOnAPortItLacks() {
            assertReports(ManifestChecks::probes,
                    m -> {
                        var probe = dbContainer(m, "order-db").getStartupProbe();
                        probe.setExec(null);
                        probe.setTcpSocket(new TCPSocketActionBuilder().withPort(new IntOrString(5433)).build());
                    },
                    "StatefulSet/order-db container order-db startup probe port 5433 is not a port of the container (it has [postgres/5432])");
        }

        @Test
        void databaseWithoutLivenessProbe() {
            assertReports(ManifestChecks::probes,
                    m -> dbContainer(m, "order-db").setLivenessProbe(null),
                    "StatefulSet/order-db container order-db has no liveness probe (pg_isready or TCP on its port)");
        }

        @Test
        void databaseWithAnHttpProbe() {
            assertReports(ManifestChecks::probes,
                    m -> {
                        var probe = dbContainer(m, "order-db").getReadinessProbe();
                        probe.setExec(null);
                        probe.setHttpGet(new HTTPGetActionBuilder().withPath("/").withPort(new IntOrString(5432)).build());
                    },
                    "StatefulSet/order-db container order-db has no readiness probe (pg_isready or TCP on its port)");
        }

        @Test
        void otherDatabaseProbeFormsPass() {
            Manifests m = Overlay.NATIVE.manifests().copy();
            var container = dbContainer(m, "order-db");
            container.getReadinessProbe().setExec(null);
            container.getReadinessProbe().setTcpSocket(new TCPSocketActionBuilder().withPort(new IntOrString("postgres")).build());
            container.getLivenessProbe().setExec(new ExecActionBuilder().withCommand("pg_isready", "-h", "localhost", "-p", "5432").build());
            container.getStartupProbe().setExec(new ExecActionBuilder().withCommand("pg_isready", "-hlocalhost", "-q").build());
            assertEquals(List.of(), ManifestChecks.probes(m));
        }

        @Test
        void probeOnAPortTheContainerLacks() {
            assertReports(ManifestChecks::probes,
                    m -> container(m, "order-service").getReadinessProbe().getHttpGet().setPort(new IntOrString(9999)),
                    "Deployment/order-service container order-service readiness probe port 9999 is not a port of the container");
        }

        @Test
        void probeOnAPortNameTheContainerLacks() {
            assertReports(ManifestChecks::probes,
                    m -> container(m, "api-gateway").getLivenessProbe().getHttpGet().setPort(new IntOrString("admin")),
                    "liveness probe port admin is not a port of the container (it has [http/8080, management/9000])");
        }

        /** With the management interface on, Quarkus serves health on its port only: the API port answers 404. */
        @Test
        void probeOnTheApiPort() {
            assertReports(ManifestChecks::probes,
                    m -> container(m, "order-service").getReadinessProbe().getHttpGet().setPort(new IntOrString("http")),
                    "Deployment/order-service container order-service readiness probe port http is not the management port management/9000");
        }

        @Test
        void wrongHealthPath() {
            assertReports(ManifestChecks::probes,
                    m -> container(m, "customer-service").getStartupProbe().getHttpGet().setPath("/q/health"),
                    "startup probe path is /q/health, expected /q/health/started");
        }

        @Test
        void missingProbe() {
            assertReports(ManifestChecks::probes,
                    m -> container(m, "customer-service").setLivenessProbe(null),
                    "Deployment/customer-service container customer-service has no HTTP liveness probe");
        }
    }

    @Nested
    class IngressBackends {
        private static IngressServiceBackend backend(Manifests m) {
            return m.get(Ingress.class, "api-gateway").getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService();
        }

        @Test
        void backendServiceThatDoesNotExist() {
            assertReports(ManifestChecks::ingressBackends, m -> backend(m).setName("gateway"),
                    "Ingress/api-gateway backend names Service gateway, which is not in the render");
        }

        @Test
        void backendPortTheServiceLacks() {
            assertReports(ManifestChecks::ingressBackends, m -> {
                backend(m).getPort().setName(null);
                backend(m).getPort().setNumber(80);
            }, "Ingress/api-gateway backend port", "is not a port of Service api-gateway (it has [http/8080])");
        }
    }

    @Nested
    class IngressTls {
        private static Ingress ingress(Manifests m) {
            return m.get(Ingress.class, "api-gateway");
        }

        @Test
        void ruleHostTheTlsHostsDoNotCover() {
            assertReports(ManifestChecks::ingressTls,
                    m -> ingress(m).getSpec().getRules().get(0).setHost("api.example.com"),
                    "Ingress/api-gateway rule host api.example.com is not covered by its tls hosts [access-token.local]");
        }

        @Test
        void ruleWithoutHost() {
            assertReports(ManifestChecks::ingressTls,
                    m -> ingress(m).getSpec().getRules().get(0).setHost(null),
                    "Ingress/api-gateway has a rule without host");
        }

        @Test
        void noTls() {
            assertReports(ManifestChecks::ingressTls,
                    m -> ingress(m).getSpec().getTls().clear(),
                    "Ingress/api-gateway has no tls");
        }

        @Test
        void tlsEntryWithoutHosts() {
            assertReports(ManifestChecks::ingressTls,
                    m -> ingress(m).getSpec().getTls().get(0).getHosts().clear(),
                    "Ingress/api-gateway has a tls entry (secretName api-gateway-tls) without hosts",
                    "rule host access-token.local is not covered by its tls hosts []");
        }

        @Test
        void plainHttpNotRedirected() {
            assertReports(ManifestChecks::ingressTls,
                    m -> ingress(m).getMetadata().getAnnotations().remove(ManifestChecks.FORCE_SSL_REDIRECT),
                    "Ingress/api-gateway annotation nginx.ingress.kubernetes.io/force-ssl-redirect is null, expected \"true\"");
        }

        @Test
        void wildcardsCoverOneLabel() {
            assertTrue(ManifestChecks.covers("*.example.com", "api.example.com"));
            assertTrue(ManifestChecks.covers("Access-Token.local", "access-token.local"));
            assertFalse(ManifestChecks.covers("*.example.com", "example.com"));
            assertFalse(ManifestChecks.covers("*.example.com", "a.b.example.com"));
            assertFalse(ManifestChecks.covers("access-token.local", "api.access-token.local"));
        }
    }

    @Nested
    class NetworkPolicies {
        private static List<String> check(Manifests m) {
            return ManifestChecks.networkPolicies(m, NATIVE.flows());
        }

        @Test
        void anotherServiceReachingADatabase() {
            assertReports(NetworkPolicies::check,
                    m -> {
                        m.get(NetworkPolicy.class, "order-db").getSpec().getIngress().get(0).getFrom().add(new NetworkPolicyPeerBuilder()
                                .withPodSelector(new LabelSelectorBuilder().addToMatchLabels(ManifestChecks.NAME_LABEL, "customer-service").build())
                                .build());
                        m.get(NetworkPolicy.class, "customer-service").getSpec().getEgress().add(new NetworkPolicyEgressRuleBuilder()
                                .addNewTo().withNewPodSelector().addToMatchLabels(ManifestChecks.NAME_LABEL, "order-db").endPodSelector().endTo()
                                .addNewPort().withProtocol("TCP").withPort(new IntOrString(5432)).endPort().build());
                    },
                    "NetworkPolicies allow an unexpected connection: ingress customer-service -> order-db TCP/5432",
                    "NetworkPolicies allow an unexpected connection: egress customer-service -> order-db TCP/5432");
        }

        @Test
        void databaseWithDnsEgress() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "allow-dns-egress").getSpec().setPodSelector(new LabelSelectorBuilder().build()),
                    "NetworkPolicies allow an unexpected connection: egress order-db -> namespace[kubernetes.io/metadata.name=kube-system] pods[k8s-app=kube-dns] UDP/53",
                    "NetworkPolicies allow an unexpected connection: egress customer-db -> namespace[kubernetes.io/metadata.name=kube-system] pods[k8s-app=kube-dns] TCP/53",
                    "NetworkPolicies allow an unexpected connection: egress gateway-db -> namespace[kubernetes.io/metadata.name=kube-system] pods[k8s-app=kube-dns] UDP/53");
        }

        @Test
        void anotherServiceReachingTheGatewaysDatabase() {
            assertReports(NetworkPolicies::check,
                    m -> {
                        m.get(NetworkPolicy.class, "gateway-db").getSpec().getIngress().get(0).getFrom().add(new NetworkPolicyPeerBuilder()
                                .withPodSelector(new LabelSelectorBuilder().addToMatchLabels(ManifestChecks.NAME_LABEL, "order-service").build())
                                .build());
                        m.get(NetworkPolicy.class, "order-service").getSpec().getEgress().add(new NetworkPolicyEgressRuleBuilder()
                                .addNewTo().withNewPodSelector().addToMatchLabels(ManifestChecks.NAME_LABEL, "gateway-db").endPodSelector().endTo()
                                .addNewPort().withProtocol("TCP").withPort(new IntOrString(5432)).endPort().build());
                    },
                    "NetworkPolicies allow an unexpected connection: ingress order-service -> gateway-db TCP/5432",
                    "NetworkPolicies allow an unexpected connection: egress order-service -> gateway-db TCP/5432");
        }

        @Test
        void gatewayReachingAnotherServicesDatabase() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "api-gateway").getSpec().getEgress().add(new NetworkPolicyEgressRuleBuilder()
                            .addNewTo().withNewPodSelector().addToMatchLabels(ManifestChecks.NAME_LABEL, "customer-db").endPodSelector().endTo()
                            .addNewPort().withProtocol("TCP").withPort(new IntOrString(5432)).endPort().build()),
                    "NetworkPolicies allow an unexpected connection: egress api-gateway -> customer-db TCP/5432");
        }

        @Test
        void gatewayWithoutEgressToItsDatabase() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "api-gateway").getSpec().getEgress().removeIf(rule -> rule.getTo().stream()
                            .anyMatch(peer -> peer.getPodSelector() != null
                                    && "gateway-db".equals(peer.getPodSelector().getMatchLabels().get(ManifestChecks.NAME_LABEL)))),
                    "NetworkPolicies do not allow the expected connection: egress api-gateway -> gateway-db TCP/5432",
                    "NetworkPolicies allow ingress api-gateway -> gateway-db TCP/5432 but not its egress end");
        }

        @Test
        void gatewayDatabaseWithoutItsOwnPolicy() {
            assertReportsWithout(NetworkPolicies::check,
                    o -> o instanceof NetworkPolicy p && p.getMetadata().getName().equals("gateway-db"),
                    "NetworkPolicies do not allow the expected connection: ingress api-gateway -> gateway-db TCP/5432",
                    "NetworkPolicies allow egress api-gateway -> gateway-db TCP/5432 but not its ingress end");
        }

        @Test
        void databaseWithEgressAnywhere() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "order-db").getSpec().getEgress().add(new NetworkPolicyEgressRuleBuilder().build()),
                    "NetworkPolicies allow an unexpected connection: egress order-db -> * *");
        }

        @Test
        void serviceWithoutEgressToItsDatabase() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "order-service").getSpec().getEgress().removeIf(rule -> rule.getTo().stream()
                            .anyMatch(peer -> peer.getPodSelector() != null
                                    && "order-db".equals(peer.getPodSelector().getMatchLabels().get(ManifestChecks.NAME_LABEL)))),
                    "NetworkPolicies do not allow the expected connection: egress order-service -> order-db TCP/5432",
                    "NetworkPolicies allow ingress order-service -> order-db TCP/5432 but not its egress end");
        }

        @Test
        void orderServiceCannotReachTheGatewayForItsToken() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "api-gateway").getSpec().getIngress().get(1).getFrom().remove(0),
                    "NetworkPolicies do not allow the expected connection: ingress order-service -> api-gateway TCP/8080",
                    "NetworkPolicies allow egress order-service -> api-gateway TCP/8080 but not its ingress end");
        }

        @Test
        void databaseWithoutAnyPolicy() {
            assertReportsWithout(NetworkPolicies::check,
                    o -> o instanceof NetworkPolicy p && List.of("default-deny-all", "customer-db").contains(p.getMetadata().getName()),
                    "No NetworkPolicy restricts ingress to the pods of StatefulSet/customer-db: all ingress is open",
                    "No NetworkPolicy restricts egress from the pods of StatefulSet/customer-db: all egress is open");
        }

        @Test
        void extraEgressIsReported() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "customer-service").getSpec().getEgress()
                            .add(new NetworkPolicyEgressRuleBuilder().addNewPort().withProtocol("TCP")
                                    .withPort(new IntOrString(443)).endPort().build()),
                    "NetworkPolicies allow an unexpected connection: egress customer-service -> * TCP/443");
        }

        @Test
        void missingIngressIsReportedWithItsDanglingEgress() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "customer-service").getSpec().getIngress().get(0).getFrom().remove(1),
                    "NetworkPolicies do not allow the expected connection: ingress order-service -> customer-service TCP/8082",
                    "NetworkPolicies allow egress order-service -> customer-service TCP/8082 but not its ingress end");
        }

        @Test
        void wrongPortIsReported() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "order-service").getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString(8080)),
                    "unexpected connection: ingress api-gateway -> order-service TCP/8080",
                    "do not allow the expected connection: ingress api-gateway -> order-service TCP/8081");
        }

        @Test
        void ingressFromAnyNamespaceIsReported() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "api-gateway").getSpec().getIngress().get(0).getFrom().get(0)
                            .getNamespaceSelector().setMatchLabels(Map.of()),
                    "unexpected connection: ingress namespace[{}] -> api-gateway TCP/8080");
        }

        @Test
        void podSelectorSelectingNothing() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "order-service").getSpec().getPodSelector()
                            .setMatchLabels(Map.of(ManifestChecks.NAME_LABEL, "orders")),
                    "NetworkPolicy/order-service podSelector app.kubernetes.io/name=orders selects no pod");
        }

        @Test
        void peerSelectingNothing() {
            assertReports(NetworkPolicies::check,
                    m -> m.get(NetworkPolicy.class, "order-service").getSpec().getIngress().get(0).getFrom().get(0)
                            .getPodSelector().setMatchLabels(Map.of(ManifestChecks.NAME_LABEL, "gateway")),
                    "NetworkPolicy/order-service peer podSelector app.kubernetes.io/name=gateway selects no pod");
        }

        @Test
        void podWithoutDefaultDeny() {
            assertReportsWithout(NetworkPolicies::check,
                    o -> o instanceof NetworkPolicy p
                            && List.of("default-deny-all", "order-service").contains(p.getMetadata().getName()),
                    "No NetworkPolicy restricts ingress to the pods of Deployment/order-service: all ingress is open");
        }
    }

    @Nested
    class SecretAccess {
        private static void assertReportsAccess(Consumer<Manifests> breakIt, String... texts) {
            assertReports(m -> ManifestChecks.secretAccess(m, NATIVE.secrets()), breakIt, texts);
        }

        @Test
        void gatewayReadsTheClientSecretInsteadOfItsHash() {
            assertReportsAccess(m -> env(container(m, "api-gateway"), "GATEWAY_CLIENTS_ORDER_SERVICE_SECRET_HASH")
                            .getValueFrom().getSecretKeyRef().setKey("client-secret"),
                    "Deployment/api-gateway reads Secret order-service-client/client-secret, which it must not",
                    "Deployment/api-gateway does not read Secret order-service-client/client-secret-hash, which it needs");
        }

        @Test
        void serviceReadingAnotherServicesDatabaseCredentials() {
            assertReportsAccess(m -> container(m, "customer-service").getEnv().add(new EnvVarBuilder().withName("ORDERS_PASSWORD")
                            .withNewValueFrom().withNewSecretKeyRef("password", "order-db-credentials", null).endValueFrom().build()),
                    "Deployment/customer-service reads Secret order-db-credentials/password, which it must not");
        }

        @Test
        void serviceReadingTheGatewaysDatabaseCredentials() {
            assertReportsAccess(m -> container(m, "order-service").getEnv().add(new EnvVarBuilder().withName("GATEWAY_DB_PASSWORD")
                            .withNewValueFrom().withNewSecretKeyRef("password", "gateway-db-credentials", null).endValueFrom().build()),
                    "Deployment/order-service reads Secret gateway-db-credentials/password, which it must not");
        }

        @Test
        void gatewayWithoutItsDatabasePassword() {
            assertReportsAccess(m -> container(m, "api-gateway").getEnv().removeIf(e -> e.getName().equals("QUARKUS_DATASOURCE_PASSWORD")),
                    "Deployment/api-gateway does not read Secret gateway-db-credentials/app-password, which it needs");
        }

        @Test
        void customerServiceReadingTheClientSecret() {
            assertReportsAccess(m -> container(m, "customer-service").getEnvFrom().add(new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                            .withNewSecretRef("order-service-client", null).build()),
                    "Deployment/customer-service reads Secret order-service-client/*, which it must not");
        }

        @Test
        void orderServiceWithoutItsClientSecret() {
            assertReportsAccess(m -> container(m, "order-service").getEnv().removeIf(e -> e.getName().equals("QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET")),
                    "Deployment/order-service does not read Secret order-service-client/client-secret, which it needs");
        }

        @Test
        void databaseReadingTheClientSecret() {
            assertReportsAccess(m -> dbContainer(m, "order-db").getEnv().add(new EnvVarBuilder().withName("X")
                            .withNewValueFrom().withNewSecretKeyRef("client-secret", "order-service-client", null).endValueFrom().build()),
                    "StatefulSet/order-db reads Secret order-service-client/client-secret, which it must not");
        }

        @Test
        void partOfAMountedSecret() {
            assertReportsAccess(m -> pod(m, "api-gateway").getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow()
                            .getSecret().getItems().add(new io.fabric8.kubernetes.api.model.KeyToPathBuilder().withKey("private-key.pem").withPath("private-key.pem").build()),
                    "Deployment/api-gateway reads Secret jwt-signing-key/private-key.pem, which it must not",
                    "Deployment/api-gateway does not read Secret jwt-signing-key/*, which it needs");
        }

        @Test
        void expectedWorkloadMissing() {
            assertReportsWithout(m -> ManifestChecks.secretAccess(m, NATIVE.secrets()),
                    o -> o instanceof StatefulSet s && s.getMetadata().getName().equals("customer-db"),
                    "No workload customer-db reads its Secrets [customer-db-credentials/app-password, customer-db-credentials/app-username, customer-db-credentials/password, customer-db-credentials/username]");
        }
    }

    @Nested
    class SecurityContexts {
        private static void assertReportsSecurity(Consumer<Manifests> breakIt, String text) {
            assertReports(m -> ManifestChecks.securityContexts(m, NATIVE.runAsUser()), breakIt, text);
        }

        @Test
        void databaseRunningAsTheServicesUser() {
            assertReportsSecurity(m -> dbPod(m, "order-db").getSecurityContext().setRunAsUser(1001L),
                    "StatefulSet/order-db container order-db runs as user 1001, expected 999 (the image's user)");
        }

        @Test
        void databaseWithoutFsGroup() {
            assertReportsSecurity(m -> dbPod(m, "customer-db").getSecurityContext().setFsGroup(null),
                    "StatefulSet/customer-db securityContext.fsGroup is null, expected 999");
        }

        @Test
        void databaseWithWritableRootFilesystem() {
            assertReportsSecurity(m -> dbContainer(m, "order-db").getSecurityContext().setReadOnlyRootFilesystem(false),
                    "StatefulSet/order-db container order-db securityContext.readOnlyRootFilesystem is false, must be true");
        }

        @Test
        void databaseWithoutItsSocketDirectory() {
            assertReportsSecurity(m -> dbContainer(m, "customer-db").getVolumeMounts().removeIf(v -> v.getMountPath().equals("/run/postgresql")),
                    "StatefulSet/customer-db container customer-db has a read-only root filesystem but no emptyDir at /run/postgresql, which PostgreSQL writes to");
        }

        @Test
        void databaseWithPrivilegeEscalation() {
            assertReportsSecurity(m -> dbContainer(m, "customer-db").getSecurityContext().setAllowPrivilegeEscalation(true),
                    "StatefulSet/customer-db container customer-db securityContext.allowPrivilegeEscalation is true, must be false");
        }

        @Test
        void writableRootFilesystem() {
            assertReportsSecurity(m -> container(m, "api-gateway").getSecurityContext().setReadOnlyRootFilesystem(false),
                    "Deployment/api-gateway container api-gateway securityContext.readOnlyRootFilesystem is false, must be true");
        }

        @Test
        void privilegeEscalationNotForbidden() {
            assertReportsSecurity(m -> container(m, "order-service").getSecurityContext().setAllowPrivilegeEscalation(null),
                    "Deployment/order-service container order-service securityContext.allowPrivilegeEscalation is null, must be false");
        }

        @Test
        void capabilitiesNotDropped() {
            assertReportsSecurity(m -> container(m, "customer-service").getSecurityContext().getCapabilities().getDrop().clear(),
                    "Deployment/customer-service container customer-service securityContext.capabilities.drop does not contain ALL");
        }

        @Test
        void capabilityAdded() {
            assertReportsSecurity(m -> container(m, "customer-service").getSecurityContext().getCapabilities().getAdd().add("NET_RAW"),
                    "securityContext.capabilities.add is [NET_RAW], must be empty");
        }

        @Test
        void noSeccompProfile() {
            assertReportsSecurity(m -> container(m, "api-gateway").getSecurityContext().setSeccompProfile(new SeccompProfileBuilder().withType("Unconfined").build()),
                    "Deployment/api-gateway container api-gateway securityContext.seccompProfile.type is Unconfined, must be RuntimeDefault");
        }

        @Test
        void runAsNonRootMissing() {
            assertReportsSecurity(m -> container(m, "api-gateway").getSecurityContext().setRunAsNonRoot(null),
                    "securityContext.runAsNonRoot is null, must be true");
        }

        @Test
        void noSecurityContextAtAll() {
            assertReportsSecurity(m -> container(m, "order-service").setSecurityContext(null),
                    "Deployment/order-service container order-service has no securityContext");
        }

        @Test
        void wrongUser() {
            assertReportsSecurity(m -> pod(m, "order-service").getSecurityContext().setRunAsUser(185L),
                    "Deployment/order-service container order-service runs as user 185, expected 1001");
        }

        @Test
        void noWritableTmp() {
            assertReportsSecurity(m -> container(m, "customer-service").getVolumeMounts().removeIf(v -> v.getMountPath().equals("/tmp")),
                    "Deployment/customer-service container customer-service has a read-only root filesystem but no emptyDir at /tmp");
        }

        @Test
        void jvmUserIsNotTheNativeUser() {
            List<String> problems = ManifestChecks.securityContexts(Overlay.JVM.manifests(), Overlay.NATIVE.expected.runAsUser());
            assertEquals(3, problems.size(), String.join("\n", problems));
            assertTrue(problems.get(0).contains("runs as user 185, expected 1001"), problems.get(0));
        }
    }

    @Nested
    class Images {
        @Test
        void oneContainerWithAnotherTag() {
            assertReports(m -> ManifestChecks.images(m, NATIVE.imageTag(), NATIVE.databaseImage()),
                    m -> container(m, "order-service").setImage("access-token/order-service:1.0.0-jvm"),
                    "Deployment/order-service container order-service image is access-token/order-service:1.0.0-jvm, expected access-token/order-service:1.0.0-native");
        }

        @Test
        void anotherServicesImage() {
            assertReports(m -> ManifestChecks.images(m, NATIVE.imageTag(), NATIVE.databaseImage()),
                    m -> container(m, "customer-service").setImage("access-token/order-service:1.0.0-native"),
                    "image is access-token/order-service:1.0.0-native, expected access-token/customer-service:1.0.0-native");
        }

        @Test
        void untaggedImage() {
            assertReports(m -> ManifestChecks.images(m, NATIVE.imageTag(), NATIVE.databaseImage()),
                    m -> container(m, "api-gateway").setImage("access-token/api-gateway"),
                    "image is access-token/api-gateway, expected access-token/api-gateway:1.0.0-native");
        }

        @Test
        void nativeRenderIsNotTheJvmBuild() {
            assertEquals(3, ManifestChecks.images(Overlay.NATIVE.manifests(), Overlay.JVM.expected.imageTag(), NATIVE.databaseImage()).size());
        }

        private static List<String> check(Manifests m) {
            return ManifestChecks.images(m, NATIVE.imageTag(), NATIVE.databaseImage());
        }

        @Test
        void databaseOnAMovingTag() {
            assertReports(Images::check,
                    m -> dbContainer(m, "order-db").setImage("postgres:17"),
                    "StatefulSet/order-db container order-db image is postgres:17, expected postgres:17.12",
                    "StatefulSet/order-db container order-db image postgres:17 is not pinned to a release");
        }

        @Test
        void databaseWithoutTag() {
            assertReports(Images::check,
                    m -> dbContainer(m, "customer-db").setImage("postgres"),
                    "StatefulSet/customer-db container customer-db image postgres is not pinned to a release");
        }

        @Test
        void databaseRunningAServiceImage() {
            assertReports(Images::check,
                    m -> dbContainer(m, "customer-db").setImage("access-token/customer-service:1.0.0-native"),
                    "StatefulSet/customer-db container customer-db image is access-token/customer-service:1.0.0-native, expected postgres:17.12");
        }

        @Test
        void digestsPinAndLocalBuildsAreExempt() {
            String digest = "postgres@sha256:" + "0123456789abcdef".repeat(4);
            Manifests m = Overlay.NATIVE.manifests().copy();
            List<String> databases = List.of("gateway-db", "order-db", "customer-db");
            databases.forEach(db -> dbContainer(m, db).setImage(digest));
            assertEquals(List.of(), ManifestChecks.images(m, NATIVE.imageTag(), digest));
            databases.forEach(db -> dbContainer(m, db).setImage("localhost/access-token/postgres:17"));
            assertEquals(List.of(), ManifestChecks.images(m, NATIVE.imageTag(), "localhost/access-token/postgres:17"));
            dbContainer(m, "customer-db").setImage("postgres:latest");
            // customer-db: not pinned; the two others: not the expected image.
            List<String> problems = ManifestChecks.images(m, NATIVE.imageTag(), "postgres:latest");
            assertEquals(3, problems.size(), String.join("\n", problems));
            assertEquals(1, problems.stream().filter(p -> p.contains("customer-db image postgres:latest is not pinned")).count(),
                    String.join("\n", problems));
        }
    }

    @Nested
    class Resources {
        @Test
        void databaseWithoutCpuRequest() {
            assertReports(ManifestChecks::resources,
                    m -> dbContainer(m, "order-db").getResources().getRequests().remove("cpu"),
                    "StatefulSet/order-db container order-db has no cpu request");
        }

        @Test
        void missingMemoryLimit() {
            assertReports(ManifestChecks::resources,
                    m -> container(m, "api-gateway").getResources().getLimits().remove("memory"),
                    "Deployment/api-gateway container api-gateway has no memory limit");
        }

        @Test
        void requestAboveLimit() {
            assertReports(ManifestChecks::resources,
                    m -> container(m, "order-service").getResources().getRequests().put("cpu", new Quantity("2")),
                    "Deployment/order-service container order-service requests more cpu (2) than its limit (500m)");
        }

        @Test
        void theGuessedNativeLimitIsBelowTheMeasuredRss() {
            assertReports(m -> ManifestChecks.sizedFromMeasurements(m, NATIVE.imageTag()),
                    m -> container(m, "order-service").getResources().getLimits().put("memory", new Quantity("128Mi")),
                    "Deployment/order-service container order-service limits memory to 128Mi, below the 123 MiB RSS after load");
        }

        @Test
        void aRequestBelowTheReadyRss() {
            assertReports(m -> ManifestChecks.sizedFromMeasurements(m, NATIVE.imageTag()),
                    m -> container(m, "api-gateway").getResources().getRequests().put("memory", new Quantity("64Mi")),
                    "Deployment/api-gateway container api-gateway requests 64Mi of memory, below the 105 MiB RSS at ready");
        }

        @Test
        void aStartupProbeThatGivesUpTooSoon() {
            assertReports(m -> ManifestChecks.sizedFromMeasurements(m, NATIVE.imageTag()),
                    m -> container(m, "customer-service").getStartupProbe().setFailureThreshold(3),
                    "Deployment/customer-service container customer-service gives its startup probe 3.0 s");
        }
    }

    @Nested
    class ReplicasAndScaling {
        @Test
        void databaseWithTwoReplicas() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> statefulSet(m, "order-db").getSpec().setReplicas(2),
                    "StatefulSet/order-db has 2 replicas, expected 1 (one primary, no replication)");
        }

        @Test
        void databaseUnderADisruptionBudget() {
            assertReportsWith(ManifestChecks::replicasAndScaling,
                    new PodDisruptionBudgetBuilder().withNewMetadata().withName("customer-db").endMetadata()
                            .withNewSpec().withMinAvailable(new IntOrString(1)).withNewSelector()
                            .addToMatchLabels(ManifestChecks.NAME_LABEL, "customer-db").endSelector().endSpec().build(),
                    "StatefulSet/customer-db is covered by PodDisruptionBudget/customer-db, which for its single pod can only block node drains");
        }

        @Test
        void autoscalerOnADatabase() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> m.get(HorizontalPodAutoscaler.class, "order-service").getSpec().getScaleTargetRef().setKind("StatefulSet"),
                    "HorizontalPodAutoscaler/order-service targets StatefulSet order-service, which is not a Deployment of the render");
        }

        @Test
        void wrongReplicaCount() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> deployment(m, "order-service").getSpec().setReplicas(1),
                    "Deployment/order-service has 1 replicas, expected 2");
        }

        @Test
        void missingPodDisruptionBudget() {
            assertReportsWithout(ManifestChecks::replicasAndScaling,
                    o -> o instanceof PodDisruptionBudget p && p.getMetadata().getName().equals("customer-service"),
                    "Deployment/customer-service is covered by 0 PodDisruptionBudgets, expected 1");
        }

        @Test
        void budgetSelectingNothing() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> m.get(PodDisruptionBudget.class, "api-gateway").getSpec().getSelector()
                            .setMatchLabels(Map.of(ManifestChecks.NAME_LABEL, "gateway")),
                    "Deployment/api-gateway is covered by 0 PodDisruptionBudgets",
                    "PodDisruptionBudget/api-gateway selector app.kubernetes.io/name=gateway selects no pods");
        }

        @Test
        void budgetThatBlocksEveryEviction() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> m.get(PodDisruptionBudget.class, "api-gateway").getSpec().setMinAvailable(new IntOrString(2)),
                    "PodDisruptionBudget/api-gateway (minAvailable 2, maxUnavailable null) must keep at least one of 2 pods and allow evicting one");
        }

        @Test
        void autoscalerTargetingAnotherName() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> m.get(HorizontalPodAutoscaler.class, "order-service").getSpec().getScaleTargetRef().setName("orders"),
                    "Deployment/order-service is the target of 0 HorizontalPodAutoscalers, expected 1",
                    "HorizontalPodAutoscaler/order-service targets Deployment orders, which is not a Deployment of the render");
        }

        @Test
        void autoscalerBelowTheReplicaCount() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> m.get(HorizontalPodAutoscaler.class, "customer-service").getSpec().setMinReplicas(1),
                    "HorizontalPodAutoscaler/customer-service scales 1..6, expected from the Deployment's 2 replicas upwards");
        }

        @Test
        void autoscalerOnCpuWithoutCpuRequest() {
            assertReports(ManifestChecks::replicasAndScaling,
                    m -> container(m, "api-gateway").getResources().getRequests().remove("cpu"),
                    "HorizontalPodAutoscaler/api-gateway scales on cpu utilization but container api-gateway requests no cpu");
        }
    }

    @Nested
    class Databases {
        private static final String CUSTOMER_CONFIG = "customer-service-config";
        private static final String GATEWAY_CONFIG = "api-gateway-config";

        @Test
        void governingServiceThatDoesNotExist() {
            assertReports(ManifestChecks::databases,
                    m -> statefulSet(m, "order-db").getSpec().setServiceName("postgres"),
                    "StatefulSet/order-db serviceName postgres is not a Service of the render");
        }

        @Test
        void governingServiceThatIsNotHeadless() {
            assertReports(ManifestChecks::databases,
                    m -> m.get(Service.class, "order-db").getSpec().setClusterIP(null),
                    "StatefulSet/order-db serviceName order-db is not headless (clusterIP null)");
        }

        @Test
        void governingServiceSelectingAnotherDatabase() {
            assertReports(ManifestChecks::databases,
                    m -> m.get(Service.class, "customer-db").getSpec().setSelector(Map.of(ManifestChecks.NAME_LABEL, "order-db")),
                    "StatefulSet/customer-db serviceName customer-db does not select its pods");
        }

        @Test
        void governingServiceWithoutThePostgresPort() {
            assertReports(ManifestChecks::databases,
                    m -> m.get(Service.class, "customer-db").getSpec().getPorts().get(0).setPort(5433),
                    "StatefulSet/customer-db Service customer-db has no port 5432");
        }

        @Test
        void claimSharedBetweenNodes() {
            assertReports(ManifestChecks::databases,
                    m -> statefulSet(m, "order-db").getSpec().getVolumeClaimTemplates().get(0).getSpec().setAccessModes(List.of("ReadWriteMany")),
                    "StatefulSet/order-db volumeClaimTemplate data accessModes are [ReadWriteMany], expected [ReadWriteOnce]");
        }

        @Test
        void claimWithoutStorage() {
            assertReports(ManifestChecks::databases,
                    m -> statefulSet(m, "customer-db").getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().clear(),
                    "StatefulSet/customer-db volumeClaimTemplate data requests no storage");
        }

        @Test
        void noVolumeForTheData() {
            assertReports(ManifestChecks::databases,
                    m -> {
                        statefulSet(m, "order-db").getSpec().getVolumeClaimTemplates().clear();
                        dbContainer(m, "order-db").getVolumeMounts().removeIf(v -> v.getName().equals("data"));
                    },
                    "StatefulSet/order-db has 0 volumeClaimTemplates, expected 1 for PGDATA");
        }

        @Test
        void claimNotMounted() {
            assertReports(ManifestChecks::databases,
                    m -> dbContainer(m, "order-db").getVolumeMounts().removeIf(v -> v.getName().equals("data")),
                    "StatefulSet/order-db container order-db does not mount its volumeClaimTemplate data");
        }

        @Test
        void pgdataAtTheVolumesRoot() {
            assertReports(ManifestChecks::databases,
                    m -> env(dbContainer(m, "order-db"), "PGDATA").setValue("/var/lib/postgresql/data"),
                    "StatefulSet/order-db PGDATA is /var/lib/postgresql/data, expected a subdirectory of its volume data at /var/lib/postgresql/data");
        }

        @Test
        void pgdataOutsideTheVolume() {
            assertReports(ManifestChecks::databases,
                    m -> env(dbContainer(m, "customer-db"), "PGDATA").setValue("/var/lib/postgresql/datadir"),
                    "StatefulSet/customer-db PGDATA is /var/lib/postgresql/datadir, expected a subdirectory of its volume data");
        }

        @Test
        void literalPassword() {
            assertReports(ManifestChecks::databases,
                    m -> {
                        EnvVar password = env(dbContainer(m, "order-db"), "POSTGRES_PASSWORD");
                        password.setValueFrom(null);
                        password.setValue("postgres");
                    },
                    "StatefulSet/order-db POSTGRES_PASSWORD is a literal value, expected a secretKeyRef",
                    "Deployment/order-service QUARKUS_FLYWAY_PASSWORD is Secret order-db-credentials/password, expected Secret null");
        }

        @Test
        void noDatabaseName() {
            assertReports(ManifestChecks::databases,
                    m -> dbContainer(m, "customer-db").getEnv().removeIf(e -> e.getName().equals("POSTGRES_DB")),
                    "StatefulSet/customer-db POSTGRES_DB is not set to a database name");
        }

        @Test
        void userAndPasswordFromDifferentSecrets() {
            assertReports(ManifestChecks::databases,
                    m -> env(dbContainer(m, "order-db"), "POSTGRES_USER").getValueFrom().getSecretKeyRef().setName("customer-db-credentials"),
                    "StatefulSet/order-db takes POSTGRES_USER from customer-db-credentials/username but POSTGRES_PASSWORD from order-db-credentials/password",
                    "Deployment/order-service QUARKUS_FLYWAY_USERNAME is Secret order-db-credentials/username, expected Secret customer-db-credentials/username");
        }

        @Test
        void twoServicesSharingADatabase() {
            String config = configMapName(Overlay.NATIVE.manifests(), CUSTOMER_CONFIG);
            assertReports(ManifestChecks::databases,
                    m -> m.get(ConfigMap.class, config).getData().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://order-db/orders"),
                    "StatefulSet/order-db is used by 2 Deployments [customer-service, order-service]",
                    "StatefulSet/customer-db is used by 0 Deployments []",
                    "Deployment/customer-service QUARKUS_DATASOURCE_USERNAME is Secret customer-db-credentials/app-username, expected Secret order-db-credentials/app-username");
        }

        @Test
        void urlNamingNoDatabase() {
            assertReports(ManifestChecks::databases,
                    m -> container(m, "order-service").getEnv().add(new EnvVarBuilder().withName("QUARKUS_DATASOURCE_JDBC_URL")
                            .withValue("jdbc:postgresql://order-db:5432/customers").build()),
                    "Deployment/order-service QUARKUS_DATASOURCE_JDBC_URL jdbc:postgresql://order-db:5432/customers names no database of the render",
                    "StatefulSet/order-db is used by 0 Deployments");
        }

        @Test
        void serviceWithTheOtherDatabasesPassword() {
            assertReports(ManifestChecks::databases,
                    m -> env(container(m, "order-service"), "QUARKUS_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().setName("customer-db-credentials"),
                    "Deployment/order-service QUARKUS_DATASOURCE_PASSWORD is Secret customer-db-credentials/app-password, expected Secret order-db-credentials/app-password, the APP_DB_PASSWORD of StatefulSet/order-db");
        }

        @Test
        void serviceConnectingAsTheDatabasesOwner() {
            assertReports(ManifestChecks::databases,
                    m -> {
                        env(container(m, "order-service"), "QUARKUS_DATASOURCE_USERNAME").getValueFrom().getSecretKeyRef().setKey("username");
                        env(container(m, "order-service"), "QUARKUS_DATASOURCE_PASSWORD").getValueFrom().getSecretKeyRef().setKey("password");
                    },
                    "Deployment/order-service connects as the owner of StatefulSet/order-db (QUARKUS_DATASOURCE_USERNAME Secret order-db-credentials/username)",
                    "Deployment/order-service QUARKUS_DATASOURCE_PASSWORD is Secret order-db-credentials/password, expected Secret order-db-credentials/app-password");
        }

        @Test
        void runtimeRoleNamedLikeTheOwnerInTheSecret() {
            assertReports(ManifestChecks::databases,
                    m -> {
                        var data = m.get(Secret.class, "customer-db-credentials").getData();
                        data.put("app-username", data.get("username"));
                    },
                    "StatefulSet/customer-db APP_DB_USERNAME (Secret customer-db-credentials/app-username) is its owner POSTGRES_USER",
                    "Deployment/customer-service connects as the owner of StatefulSet/customer-db");
        }

        @Test
        void runtimeRoleFromALiteral() {
            assertReports(ManifestChecks::databases,
                    m -> {
                        EnvVar role = env(dbContainer(m, "gateway-db"), "APP_DB_USERNAME");
                        role.setValueFrom(null);
                        role.setValue("api_gateway_app");
                    },
                    "StatefulSet/gateway-db APP_DB_USERNAME (the runtime role) is a literal value, expected a secretKeyRef");
        }

        @Test
        void databaseWithoutItsInitScripts() {
            assertReports(ManifestChecks::databases,
                    m -> dbContainer(m, "order-db").getVolumeMounts().removeIf(v -> v.getMountPath().equals("/docker-entrypoint-initdb.d")),
                    "StatefulSet/order-db mounts no ConfigMap with");
        }

        @Test
        void flywayWithoutTheOwner() {
            assertReports(ManifestChecks::databases,
                    m -> container(m, "api-gateway").getEnv().removeIf(e -> e.getName().equals("QUARKUS_FLYWAY_USERNAME")),
                    "Deployment/api-gateway QUARKUS_FLYWAY_USERNAME is not set, expected Secret gateway-db-credentials/username, the POSTGRES_USER of StatefulSet/gateway-db");
        }

        @Test
        void serviceWithoutDatabaseUser() {
            assertReports(ManifestChecks::databases,
                    m -> container(m, "customer-service").getEnv().removeIf(e -> e.getName().equals("QUARKUS_DATASOURCE_USERNAME")),
                    "Deployment/customer-service QUARKUS_DATASOURCE_USERNAME is not set, expected Secret customer-db-credentials/app-username");
        }

        @Test
        void gatewaySharingOrderServicesDatabase() {
            String config = configMapName(Overlay.NATIVE.manifests(), GATEWAY_CONFIG);
            assertReports(ManifestChecks::databases,
                    m -> m.get(ConfigMap.class, config).getData().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://order-db:5432/orders"),
                    "StatefulSet/order-db is used by 2 Deployments [api-gateway, order-service]",
                    "StatefulSet/gateway-db is used by 0 Deployments []",
                    "Deployment/api-gateway QUARKUS_DATASOURCE_USERNAME is Secret gateway-db-credentials/app-username, expected Secret order-db-credentials/app-username");
        }

        @Test
        void gatewayWithoutItsDatabaseUrl() {
            String config = configMapName(Overlay.NATIVE.manifests(), GATEWAY_CONFIG);
            assertReports(ManifestChecks::databases,
                    m -> m.get(ConfigMap.class, config).getData().remove("QUARKUS_DATASOURCE_JDBC_URL"),
                    "StatefulSet/gateway-db is used by 0 Deployments [] (QUARKUS_DATASOURCE_JDBC_URL jdbc:postgresql://gateway-db:5432/gateway)");
        }

        @Test
        void gatewayWithTheOrderDatabasesUser() {
            assertReports(ManifestChecks::databases,
                    m -> env(container(m, "api-gateway"), "QUARKUS_DATASOURCE_USERNAME").getValueFrom().getSecretKeyRef().setName("order-db-credentials"),
                    "Deployment/api-gateway QUARKUS_DATASOURCE_USERNAME is Secret order-db-credentials/app-username, expected Secret gateway-db-credentials/app-username, the APP_DB_USERNAME of StatefulSet/gateway-db");
        }

        @Test
        void gatewayUrlNamingAnotherDatabaseName() {
            String config = configMapName(Overlay.NATIVE.manifests(), GATEWAY_CONFIG);
            assertReports(ManifestChecks::databases,
                    m -> m.get(ConfigMap.class, config).getData().put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://gateway-db:5432/postgres"),
                    "Deployment/api-gateway QUARKUS_DATASOURCE_JDBC_URL jdbc:postgresql://gateway-db:5432/postgres names no database of the render");
        }

        @Test
        void jdbcUrlsNameTheSameDatabaseWithOrWithoutTheDefaultPort() {
            String canonical = "jdbc:postgresql://order-db:5432/orders";
            assertTrue(ManifestChecks.sameDatabase("jdbc:postgresql://order-db/orders", canonical));
            assertTrue(ManifestChecks.sameDatabase("jdbc:postgresql://order-db:5432/orders?sslmode=require", canonical));
            assertFalse(ManifestChecks.sameDatabase("jdbc:postgresql://order-db:5433/orders", canonical));
            assertFalse(ManifestChecks.sameDatabase("jdbc:postgresql://customer-db:5432/orders", canonical));
            assertFalse(ManifestChecks.sameDatabase("jdbc:postgresql://order-db:5432/customers", canonical));
            assertFalse(ManifestChecks.sameDatabase(null, canonical));
        }
    }

    /** The same standard for each database: each check reports each of them by name. */
    @Nested
    class EveryDatabase {
        private static final String SERVICE_OF = "api-gateway:gateway-db,order-service:order-db,customer-service:customer-db";

        private static String serviceOf(String db) {
            return java.util.Arrays.stream(SERVICE_OF.split(",")).filter(p -> p.endsWith(":" + db))
                    .map(p -> p.substring(0, p.indexOf(':'))).findFirst().orElseThrow();
        }

        @Test
        void theRenderHasExactlyTheseDatabases() {
            assertEquals(java.util.Set.of("gateway-db", "order-db", "customer-db"), Overlay.NATIVE.manifests().all(StatefulSet.class)
                    .stream().map(s -> s.getMetadata().getName()).collect(java.util.stream.Collectors.toSet()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void secondReplica(String db) {
            assertReports(ManifestChecks::replicasAndScaling, m -> statefulSet(m, db).getSpec().setReplicas(2),
                    "StatefulSet/" + db + " has 2 replicas, expected 1");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void runningAsTheServicesUser(String db) {
            assertReports(m -> ManifestChecks.securityContexts(m, NATIVE.runAsUser()),
                    m -> dbPod(m, db).getSecurityContext().setRunAsUser(1001L),
                    "StatefulSet/" + db + " container " + db + " runs as user 1001, expected 999");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void writableRootFilesystem(String db) {
            assertReports(m -> ManifestChecks.securityContexts(m, NATIVE.runAsUser()),
                    m -> dbContainer(m, db).getSecurityContext().setReadOnlyRootFilesystem(false),
                    "StatefulSet/" + db + " container " + db + " securityContext.readOnlyRootFilesystem is false, must be true");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void movingImageTag(String db) {
            assertReports(m -> ManifestChecks.images(m, NATIVE.imageTag(), NATIVE.databaseImage()),
                    m -> dbContainer(m, db).setImage("postgres:17"),
                    "StatefulSet/" + db + " container " + db + " image postgres:17 is not pinned to a release");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void probeOnTheUnixSocket(String db) {
            assertReports(ManifestChecks::probes,
                    m -> dbContainer(m, db).getStartupProbe().getExec().setCommand(List.of("pg_isready")),
                    "StatefulSet/" + db + " container " + db + " startup probe runs [pg_isready], expected pg_isready against 127.0.0.1:5432");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void noMemoryLimit(String db) {
            assertReports(ManifestChecks::resources, m -> dbContainer(m, db).getResources().getLimits().remove("memory"),
                    "StatefulSet/" + db + " container " + db + " has no memory limit");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void pgdataAtTheVolumesRoot(String db) {
            assertReports(ManifestChecks::databases,
                    m -> env(dbContainer(m, db), "PGDATA").setValue("/var/lib/postgresql/data"),
                    "StatefulSet/" + db + " PGDATA is /var/lib/postgresql/data, expected a subdirectory of its volume data");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void literalPassword(String db) {
            assertReports(ManifestChecks::databases,
                    m -> {
                        EnvVar password = env(dbContainer(m, db), "POSTGRES_PASSWORD");
                        password.setValueFrom(null);
                        password.setValue("postgres");
                    },
                    "StatefulSet/" + db + " POSTGRES_PASSWORD is a literal value, expected a secretKeyRef",
                    "Deployment/" + serviceOf(db) + " QUARKUS_FLYWAY_PASSWORD is Secret " + db + "-credentials/password, expected Secret null");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void claimWithoutStorage(String db) {
            assertReports(ManifestChecks::databases,
                    m -> statefulSet(m, db).getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().clear(),
                    "StatefulSet/" + db + " volumeClaimTemplate data requests no storage");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void egressAnywhere(String db) {
            assertReports(m -> ManifestChecks.networkPolicies(m, NATIVE.flows()),
                    m -> m.get(NetworkPolicy.class, db).getSpec().getEgress().add(new NetworkPolicyEgressRuleBuilder().build()),
                    "NetworkPolicies allow an unexpected connection: egress " + db + " -> * *");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void ingressFromEveryPodOfTheNamespace(String db) {
            assertReports(m -> ManifestChecks.networkPolicies(m, NATIVE.flows()),
                    m -> m.get(NetworkPolicy.class, db).getSpec().getIngress().get(0).getFrom().clear(),
                    "NetworkPolicies allow an unexpected connection: ingress * -> " + db + " TCP/5432");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void databaseReadingTheUsersHashes(String db) {
            assertReports(m -> ManifestChecks.secretAccess(m, NATIVE.secrets()),
                    m -> dbContainer(m, db).getEnvFrom().add(new io.fabric8.kubernetes.api.model.EnvFromSourceBuilder()
                            .withNewSecretRef("gateway-users", null).build()),
                    "StatefulSet/" + db + " reads Secret gateway-users/*, which it must not");
        }

        @ParameterizedTest
        @ValueSource(strings = {"gateway-db", "order-db", "customer-db"})
        void podTemplateWithoutAppName(String db) {
            assertReports(ManifestChecks::labelsAndNamespace,
                    m -> statefulSet(m, db).getSpec().getTemplate().getMetadata().getLabels().remove(ManifestChecks.NAME_LABEL),
                    "StatefulSet/" + db + " pod template labels");
        }
    }

    @Nested
    class ForwardedHeaders {
        private static final String GATEWAY_CONFIG = "api-gateway-config";

        private static Map<String, String> gatewayConfig(Manifests m) {
            return m.get(ConfigMap.class, configMapName(Overlay.NATIVE.manifests(), GATEWAY_CONFIG)).getData();
        }

        /** The trusted proxies have no default: their own ConfigMap, written by generate-secrets.sh. */
        private static Map<String, String> proxiesConfig(Manifests m) {
            return m.get(ConfigMap.class, "api-gateway-trusted-proxies").getData();
        }

        @Test
        void forwardingWithoutTrustedProxies() {
            assertReports(ManifestChecks::forwardedHeaders,
                    m -> proxiesConfig(m).remove(ManifestChecks.TRUSTED_PROXIES),
                    "Deployment/api-gateway container api-gateway sets QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true without "
                            + "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES: it would believe every client's X-Forwarded-For");
        }

        @Test
        void forwardingWithBlankTrustedProxies() {
            assertReports(ManifestChecks::forwardedHeaders,
                    m -> proxiesConfig(m).put(ManifestChecks.TRUSTED_PROXIES, " "),
                    "sets QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true without QUARKUS_HTTP_PROXY_TRUSTED_PROXIES");
        }

        @Test
        void trustingEveryIpv4Address() {
            assertReports(ManifestChecks::forwardedHeaders,
                    m -> proxiesConfig(m).put(ManifestChecks.TRUSTED_PROXIES, "10.0.0.0/8,0.0.0.0/0"),
                    "Deployment/api-gateway container api-gateway QUARKUS_HTTP_PROXY_TRUSTED_PROXIES entry '0.0.0.0/0' covers every address");
        }

        @Test
        void trustingEveryIpv6Address() {
            assertReports(ManifestChecks::forwardedHeaders,
                    m -> proxiesConfig(m).put(ManifestChecks.TRUSTED_PROXIES, "::/0"),
                    "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES entry '::/0' covers every address");
        }

        @Test
        void trustedProxyThatIsAHostName() {
            assertReports(ManifestChecks::forwardedHeaders,
                    m -> proxiesConfig(m).put(ManifestChecks.TRUSTED_PROXIES, "ingress-nginx-controller"),
                    "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES entry 'ingress-nginx-controller' is not an IP address or CIDR");
        }

        @Test
        void trustedProxyWithAnInvalidPrefix() {
            assertReports(ManifestChecks::forwardedHeaders,
                    m -> proxiesConfig(m).put(ManifestChecks.TRUSTED_PROXIES, "10.0.0.0/33"),
                    "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES entry '10.0.0.0/33' has an invalid prefix length");
        }

        @Test
        void forwardingOnAServiceNoIngressRoutesTo() {
            assertReports(ManifestChecks::forwardedHeaders,
                    m -> {
                        container(m, "order-service").getEnv().add(new EnvVarBuilder().withName(ManifestChecks.PROXY_FORWARDING).withValue("true").build());
                        container(m, "order-service").getEnv().add(new EnvVarBuilder().withName(ManifestChecks.TRUSTED_PROXIES).withValue("10.0.0.0/8").build());
                    },
                    "Deployment/order-service container order-service sets QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING=true, but no Ingress routes to it");
        }

        @Test
        void entriesThatAreAcceptedAndRejected() {
            for (String ok : List.of("10.0.0.0/8", "10.244.1.17", "192.168.0.0/16", "fd00::/8", "2001:db8::1", "10.0.0.0/32")) {
                assertEquals(null, ManifestChecks.proxyEntryProblem(ok), ok);
            }
            for (String bad : List.of("", "10.0.0.256", "10.0.0/8", "10.0.0.0/8/8", "10.0.0.0/", "10.0.0.0/x", "0.0.0.0/0",
                    "::/0", "fd00::/129", "*", "localhost")) {
                assertTrue(ManifestChecks.proxyEntryProblem(bad) != null, "accepted: '" + bad + "'");
            }
        }

        @Test
        void noForwardingNeedsNoTrustedProxies() {
            Manifests m = Overlay.NATIVE.manifests().copy();
            gatewayConfig(m).put(ManifestChecks.PROXY_FORWARDING, "false");
            proxiesConfig(m).remove(ManifestChecks.TRUSTED_PROXIES);
            assertEquals(List.of(), ManifestChecks.forwardedHeaders(m));
        }
    }

    @Test
    void allCombinesEveryCheck() {
        Manifests broken = Overlay.NATIVE.manifests().copy();
        container(broken, "api-gateway").getSecurityContext().setReadOnlyRootFilesystem(false);
        broken.get(Service.class, "order-service").getSpec().setSelector(Map.of("app", "x"));
        assertEquals(2, ManifestChecks.all(broken, NATIVE).size(), String.join("\n", ManifestChecks.all(broken, NATIVE)));
    }

    @Nested
    class Metrics {
        private static Manifests monitoring() {
            return Overlay.MONITORING.manifests().copy();
        }

        private static ServiceMonitor monitor(Manifests m) {
            return m.get(ServiceMonitor.class, "access-token");
        }

        private static Map<String, String> annotations(Manifests m, String name) {
            return deployment(m, name).getSpec().getTemplate().getMetadata().getAnnotations();
        }

        @Test
        void scrapeAnnotationOnTheApiPort() {
            assertReports(ManifestChecks::metrics, m -> annotations(m, "order-service").put(ManifestChecks.SCRAPE_PORT, "8081"),
                    "Deployment/order-service pod annotations prometheus.io/port=8081 prometheus.io/path=/q/metrics, expected 9000 and /q/metrics");
        }

        @Test
        void podScrapedByNothing() {
            assertReports(ManifestChecks::metrics, m -> annotations(m, "customer-service").remove(ManifestChecks.SCRAPE),
                    "Deployment/customer-service is scraped by nothing");
        }

        @Test
        void noManagementPort() {
            assertReports(ManifestChecks::metrics, m -> container(m, "api-gateway").getPorts().remove(1),
                    "Deployment/api-gateway container api-gateway has no port management/9000");
        }

        @Test
        void managementPortNotConfigured() {
            assertReports(ManifestChecks::metrics, m -> m.get(ConfigMap.class, configMapName(m, "observability-config"))
                            .getData().put("QUARKUS_MANAGEMENT_PORT", "9001"),
                    "Deployment/order-service QUARKUS_MANAGEMENT_PORT is 9001, expected 9000");
        }

        @Test
        void serviceMonitorOnAPortTheServicesLack() {
            Manifests m = monitoring();
            assertEquals(List.of(), ManifestChecks.metrics(m), "the unbroken monitoring render must pass");
            monitor(m).getSpec().getEndpoints().get(0).setPort("http");
            List<String> problems = ManifestChecks.metrics(m);
            assertTrue(problems.stream().anyMatch(p -> p.contains(
                    "ServiceMonitor/access-token endpoint port http is not a port of Service/api-gateway-metrics")), String.join("\n", problems));
            assertTrue(problems.stream().anyMatch(p -> p.contains("Deployment/api-gateway is scraped by nothing")), String.join("\n", problems));
        }

        @Test
        void serviceMonitorAndAnnotationScrapeTwice() {
            Manifests m = monitoring();
            annotations(m, "api-gateway").put(ManifestChecks.SCRAPE, "true");
            List<String> problems = ManifestChecks.metrics(m);
            assertTrue(problems.stream().anyMatch(p -> p.contains("Deployment/api-gateway is scraped twice")), String.join("\n", problems));
        }

        @Test
        void serviceMonitorSelectingNothing() {
            Manifests m = monitoring();
            monitor(m).getSpec().getSelector().getMatchLabels().put("app.kubernetes.io/component", "nothing");
            List<String> problems = ManifestChecks.metrics(m);
            assertTrue(problems.stream().anyMatch(p -> p.contains("ServiceMonitor/access-token selects no Service")), String.join("\n", problems));
        }

        @Test
        void serviceMonitorWithAnUnknownFieldFailsTheStrictParse() {
            String yaml = Overlay.MONITORING.yaml().replace("  - interval: 30s\n", "  - interval: 30s\n    honorLabel: true\n");
            assertTrue(yaml.contains("honorLabel"), "the render changed shape: the test must break it elsewhere");
            var e = org.junit.jupiter.api.Assertions.assertThrows(Manifests.InvalidManifestException.class, () -> Manifests.parse(yaml));
            assertTrue(e.getMessage().contains("ServiceMonitor/access-token: unknown field spec.endpoints[0].honorLabel"), e.getMessage());
        }

        @Test
        void managementPortOnTheServiceTheIngressUses() {
            assertReports(ManifestChecks::managementPortPrivate, m -> m.get(Service.class, "api-gateway").getSpec().getPorts()
                            .add(new io.fabric8.kubernetes.api.model.ServicePortBuilder().withName("management").withPort(9000)
                                    .withTargetPort(new IntOrString("management")).build()),
                    "Service/api-gateway port 9000 (management) exposes the management port, and an Ingress routes to this Service");
        }

        @Test
        void managementPortOnAServiceWithAClusterIp() {
            assertReports(ManifestChecks::managementPortPrivate, m -> m.get(Service.class, "order-service").getSpec().getPorts()
                            .get(0).setTargetPort(new IntOrString(9000)),
                    "Service/order-service port 8081 (9000) exposes the management port on a Service with a cluster IP");
        }

        @Test
        void managementPortOpenToEveryNamespace() {
            assertReports(m -> ManifestChecks.networkPolicies(m, NATIVE.flows()), m -> m.get(NetworkPolicy.class, "order-service")
                            .getSpec().getIngress().get(1).getFrom().get(0).getNamespaceSelector().setMatchLabels(Map.of()),
                    "NetworkPolicies allow an unexpected connection: ingress namespace[{}] -> order-service TCP/9000");
        }
    }

    @Nested
    class TracesAndLogs {
        private static List<String> check(Manifests m) {
            return ManifestChecks.tracesAndLogs(m, NATIVE.flows());
        }

        private static Map<String, String> observability(Manifests m) {
            return m.get(ConfigMap.class, configMapName(m, "observability-config")).getData();
        }

        @Test
        void tracesOff() {
            assertReports(TracesAndLogs::check, m -> observability(m).put("QUARKUS_OTEL_SDK_DISABLED", "true"),
                    "Deployment/api-gateway QUARKUS_OTEL_SDK_DISABLED is true");
        }

        @Test
        void collectorOnAPortTheNetworkPoliciesClose() {
            assertReports(TracesAndLogs::check,
                    m -> observability(m).put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.monitoring:4318"),
                    "Deployment/customer-service exports traces to http://otel-collector.monitoring:4318, but its NetworkPolicies allow no egress on TCP/4318");
        }

        @Test
        void noCollector() {
            assertReports(TracesAndLogs::check, m -> observability(m).remove("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT"),
                    "Deployment/order-service QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT is null");
        }

        @Test
        void plainLogs() {
            assertReports(TracesAndLogs::check, m -> observability(m).put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"),
                    "Deployment/api-gateway QUARKUS_LOG_CONSOLE_JSON_ENABLED is false");
        }
    }
}
