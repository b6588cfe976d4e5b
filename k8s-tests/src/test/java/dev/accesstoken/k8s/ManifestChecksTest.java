package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

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

    private static Deployment deployment(Manifests m, String name) {
        return m.get(Deployment.class, name);
    }

    private static PodSpec pod(Manifests m, String name) {
        return deployment(m, name).getSpec().getTemplate().getSpec();
    }

    private static Container container(Manifests m, String name) {
        return pod(m, name).getContainers().get(0);
    }

    private static String configMapName(Manifests m, String prefix) {
        return m.all(ConfigMap.class).stream().map(c -> c.getMetadata().getName())
                .filter(n -> n.startsWith(prefix)).findFirst().orElseThrow();
    }

    @Nested
    class LabelsAndNamespace {
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
        void probeOnAPortTheContainerLacks() {
            assertReports(ManifestChecks::probes,
                    m -> container(m, "order-service").getReadinessProbe().getHttpGet().setPort(new IntOrString(9000)),
                    "Deployment/order-service container order-service readiness probe port 9000 is not a port of the container");
        }

        @Test
        void probeOnAPortNameTheContainerLacks() {
            assertReports(ManifestChecks::probes,
                    m -> container(m, "api-gateway").getLivenessProbe().getHttpGet().setPort(new IntOrString("management")),
                    "liveness probe port management is not a port of the container (it has [http/8080])");
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
    class SecurityContexts {
        private static void assertReportsSecurity(Consumer<Manifests> breakIt, String text) {
            assertReports(m -> ManifestChecks.securityContexts(m, NATIVE.runAsUser()), breakIt, text);
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
            assertReports(m -> ManifestChecks.images(m, NATIVE.imageTag()),
                    m -> container(m, "order-service").setImage("access-token/order-service:1.0.0-jvm"),
                    "Deployment/order-service container order-service image is access-token/order-service:1.0.0-jvm, expected access-token/order-service:1.0.0-native");
        }

        @Test
        void anotherServicesImage() {
            assertReports(m -> ManifestChecks.images(m, NATIVE.imageTag()),
                    m -> container(m, "customer-service").setImage("access-token/order-service:1.0.0-native"),
                    "image is access-token/order-service:1.0.0-native, expected access-token/customer-service:1.0.0-native");
        }

        @Test
        void untaggedImage() {
            assertReports(m -> ManifestChecks.images(m, NATIVE.imageTag()),
                    m -> container(m, "api-gateway").setImage("access-token/api-gateway"),
                    "image is access-token/api-gateway, expected access-token/api-gateway:1.0.0-native");
        }

        @Test
        void nativeRenderIsNotTheJvmBuild() {
            assertEquals(3, ManifestChecks.images(Overlay.NATIVE.manifests(), Overlay.JVM.expected.imageTag()).size());
        }
    }

    @Nested
    class Resources {
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
    }

    @Nested
    class ReplicasAndScaling {
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
                    "PodDisruptionBudget/api-gateway selector app.kubernetes.io/name=gateway selects no Deployment's pods");
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
                    "HorizontalPodAutoscaler/order-service targets Deployment orders, which is not in the render");
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

    @Test
    void allCombinesEveryCheck() {
        Manifests broken = Overlay.NATIVE.manifests().copy();
        container(broken, "api-gateway").getSecurityContext().setReadOnlyRootFilesystem(false);
        broken.get(Service.class, "order-service").getSpec().setSelector(Map.of("app", "x"));
        assertEquals(2, ManifestChecks.all(broken, NATIVE).size(), String.join("\n", ManifestChecks.all(broken, NATIVE)));
    }
}
