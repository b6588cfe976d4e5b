package dev.accesstoken.k8s;

import java.util.Map;
import java.util.Set;

/** The kustomizations under k8s/ that must render, and what each must contain. */
public enum Overlay {
    /** k8s/ itself: `kubectl apply -k k8s/` deploys the native build. */
    TOP_LEVEL(".", "1.0.0-native", 1001),
    NATIVE("overlays/native", "1.0.0-native", 1001),
    JVM("overlays/jvm", "1.0.0-jvm", 185),
    /** The native build scraped through a ServiceMonitor (components/monitoring) instead of pod annotations. */
    MONITORING("overlays/monitoring", "1.0.0-native", 1001);

    public final String path;
    public final Expected expected;
    private Manifests manifests;

    /** The official PostgreSQL image, pinned to a release; both builds keep it. */
    public static final String DATABASE_IMAGE = "postgres:17.12";

    Overlay(String path, String imageTag, long runAsUser) {
        this.path = path;
        this.expected = new Expected(imageTag, runAsUser, DATABASE_IMAGE, Topology.FLOWS, Topology.SECRETS);
    }

    public String yaml() {
        return Kustomize.render(path);
    }

    /** The strictly parsed render (shared: tests that break it must {@link Manifests#copy()} it first). */
    public synchronized Manifests manifests() {
        if (manifests == null) {
            manifests = Manifests.parse(yaml());
        }
        return manifests;
    }

    /** The connections the NetworkPolicies must allow: these and no others. */
    public static final class Topology {
        static final String GATEWAY = "api-gateway";
        static final String ORDERS = "order-service";
        static final String CUSTOMERS = "customer-service";
        static final String GATEWAY_DB = "gateway-db";
        static final String ORDER_DB = "order-db";
        static final String CUSTOMER_DB = "customer-db";
        static final String INGRESS_CONTROLLER = Flow.namespace("ingress-nginx");
        static final String DNS = Flow.namespace("kube-system") + " pods[k8s-app=kube-dns]";
        /** Prometheus's namespace: the only peer of the management port. */
        static final String MONITORING = Flow.namespace("monitoring");
        /** The optional OpenTelemetry collector, beside Prometheus: the services' OTLP (gRPC) endpoint. */
        static final String COLLECTOR = Flow.namespace("monitoring") + " pods[app.kubernetes.io/name=otel-collector]";

        public static final Set<Flow> FLOWS = Set.of(
                Flow.ingress(INGRESS_CONTROLLER, GATEWAY, "TCP/8080"),
                Flow.ingress(ORDERS, GATEWAY, "TCP/8080"),
                Flow.ingress(CUSTOMERS, GATEWAY, "TCP/8080"),
                Flow.ingress(GATEWAY, ORDERS, "TCP/8081"),
                Flow.ingress(GATEWAY, CUSTOMERS, "TCP/8082"),
                Flow.ingress(ORDERS, CUSTOMERS, "TCP/8082"),
                // Database per Service: each database admits its own service only.
                Flow.ingress(GATEWAY, GATEWAY_DB, "TCP/5432"),
                Flow.ingress(ORDERS, ORDER_DB, "TCP/5432"),
                Flow.ingress(CUSTOMERS, CUSTOMER_DB, "TCP/5432"),
                Flow.egress(GATEWAY, GATEWAY_DB, "TCP/5432"),
                Flow.egress(ORDERS, ORDER_DB, "TCP/5432"),
                Flow.egress(CUSTOMERS, CUSTOMER_DB, "TCP/5432"),
                Flow.egress(GATEWAY, ORDERS, "TCP/8081"),
                Flow.egress(GATEWAY, CUSTOMERS, "TCP/8082"),
                Flow.egress(ORDERS, CUSTOMERS, "TCP/8082"),
                // The JWKS; for order-service also POST /auth/token (its service token).
                Flow.egress(ORDERS, GATEWAY, "TCP/8080"),
                Flow.egress(CUSTOMERS, GATEWAY, "TCP/8080"),
                Flow.egress(GATEWAY, DNS, "UDP/53"),
                Flow.egress(GATEWAY, DNS, "TCP/53"),
                Flow.egress(ORDERS, DNS, "UDP/53"),
                Flow.egress(ORDERS, DNS, "TCP/53"),
                Flow.egress(CUSTOMERS, DNS, "UDP/53"),
                Flow.egress(CUSTOMERS, DNS, "TCP/53"),
                // Metrics: Prometheus reaches the management port of each service, and nothing else does.
                Flow.ingress(MONITORING, GATEWAY, "TCP/9000"),
                Flow.ingress(MONITORING, ORDERS, "TCP/9000"),
                Flow.ingress(MONITORING, CUSTOMERS, "TCP/9000"),
                // Traces: each service exports to the collector.
                Flow.egress(GATEWAY, COLLECTOR, "TCP/4317"),
                Flow.egress(ORDERS, COLLECTOR, "TCP/4317"),
                Flow.egress(CUSTOMERS, COLLECTOR, "TCP/4317"));
        // The databases have no egress at all, not even DNS.

        /** The Secret keys each workload reads ("secret/*": the whole Secret, as a volume): these and no others. */
        public static final Map<String, Set<String>> SECRETS = Map.of(
                GATEWAY, Set.of("jwt-signing-key/*", "gateway-users/alice-password-hash", "gateway-users/bob-password-hash",
                        "gateway-users/admin-password-hash", "order-service-client/client-secret-hash",
                        "gateway-db-credentials/username", "gateway-db-credentials/password",
                        "gateway-db-credentials/app-username", "gateway-db-credentials/app-password"),
                ORDERS, Set.of("order-db-credentials/username", "order-db-credentials/password",
                        "order-db-credentials/app-username", "order-db-credentials/app-password",
                        "order-service-client/client-secret", "order-cursor-key/key"),
                CUSTOMERS, Set.of("customer-db-credentials/username", "customer-db-credentials/password",
                        "customer-db-credentials/app-username", "customer-db-credentials/app-password"),
                GATEWAY_DB, Set.of("gateway-db-credentials/username", "gateway-db-credentials/password",
                        "gateway-db-credentials/app-username", "gateway-db-credentials/app-password"),
                ORDER_DB, Set.of("order-db-credentials/username", "order-db-credentials/password",
                        "order-db-credentials/app-username", "order-db-credentials/app-password"),
                CUSTOMER_DB, Set.of("customer-db-credentials/username", "customer-db-credentials/password",
                        "customer-db-credentials/app-username", "customer-db-credentials/app-password"));

        private Topology() {
        }
    }
}
