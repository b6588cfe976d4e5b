package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Cross-reference checks on one render, of the kind kubectl does not make. Each returns the
 * problems it found, as readable sentences; an empty list means the check passed.
 */
public final class ManifestChecks {

    public static final String NAMESPACE = "access-token";
    public static final String PART_OF = "access-token";
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    public static final String PART_OF_LABEL = "app.kubernetes.io/part-of";
    public static final int REPLICAS = 2;
    /** The type of the Secrets an Ingress's tls entries name, and the keys it requires. */
    public static final String TLS_SECRET_TYPE = "kubernetes.io/tls";
    public static final List<String> TLS_SECRET_KEYS = List.of("tls.crt", "tls.key");
    /** ingress-nginx: redirect plain HTTP to HTTPS (308), also behind a load balancer that terminates nothing. */
    public static final String FORCE_SSL_REDIRECT = "nginx.ingress.kubernetes.io/force-ssl-redirect";
    /** Quarkus's management interface: health and metrics, on a port of their own, never the API's. */
    public static final String MANAGEMENT_PORT_NAME = "management";
    public static final int MANAGEMENT_PORT = 9000;
    public static final String METRICS_PATH = "/q/metrics";
    public static final String SCRAPE = "prometheus.io/scrape";
    public static final String SCRAPE_PORT = "prometheus.io/port";
    public static final String SCRAPE_PATH = "prometheus.io/path";
    private static final Map<String, String> HEALTH_PATHS =
            Map.of("startup", "/q/health/started", "readiness", "/q/health/ready", "liveness", "/q/health/live");
    /** The user and group of the official postgres image (and of the podman overlay's local build). */
    public static final long DATABASE_USER = 999;
    public static final int DATABASE_PORT = 5432;
    /** Directories PostgreSQL writes to besides PGDATA, each an emptyDir under a read-only root filesystem. */
    public static final List<String> DATABASE_WRITABLE = List.of("/tmp", "/run/postgresql");
    /** An image tag that names a release, not a moving line: at least major.minor, or a digest. */
    private static final Pattern PINNED = Pattern.compile("(.+):(\\d+\\.\\d+[^:/@]*)|(.+)@sha256:[0-9a-f]{64}");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?.*)?");
    /** Quarkus: take the client address (and scheme, host) from Forwarded/X-Forwarded-* headers... */
    public static final String PROXY_FORWARDING = "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING";
    /** ...but only from these peers (addresses or CIDRs); unset, Quarkus believes every peer. */
    public static final String TRUSTED_PROXIES = "QUARKUS_HTTP_PROXY_TRUSTED_PROXIES";
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private ManifestChecks() {
    }

    /** Every check, for one render. */
    public static List<String> all(Manifests m, Expected expected) {
        return Stream.of(
                        labelsAndNamespace(m),
                        serviceSelectors(m),
                        references(m),
                        probes(m),
                        ingressBackends(m),
                        ingressTls(m),
                        networkPolicies(m, expected.flows()),
                        secretAccess(m, expected.secrets()),
                        securityContexts(m, expected.runAsUser()),
                        images(m, expected.imageTag(), expected.databaseImage()),
                        resources(m),
                        sizedFromMeasurements(m, expected.imageTag()),
                        replicasAndScaling(m),
                        databases(m),
                        forwardedHeaders(m),
                        metrics(m),
                        managementPortPrivate(m),
                        tracesAndLogs(m, expected.flows()))
                .flatMap(List::stream)
                .toList();
    }

    // ---------------------------------------------------------------- labels and namespace

    /** All objects carry part-of, app objects the app name; everything is in the app's namespace. */
    public static List<String> labelsAndNamespace(Manifests m) {
        List<String> problems = new ArrayList<>();
        if (m.find(Namespace.class, NAMESPACE).isEmpty()) {
            problems.add("No Namespace " + NAMESPACE + " in the render");
        }
        for (HasMetadata o : m.objects()) {
            Map<String, String> labels = labels(o.getMetadata().getLabels());
            if (!PART_OF.equals(labels.get(PART_OF_LABEL))) {
                problems.add(Manifests.describe(o) + " lacks label " + PART_OF_LABEL + "=" + PART_OF);
            }
            if (!(o instanceof Namespace) && !NAMESPACE.equals(o.getMetadata().getNamespace())) {
                problems.add(Manifests.describe(o) + " is in namespace " + o.getMetadata().getNamespace()
                        + ", not " + NAMESPACE);
            }
            boolean appObject = o instanceof Deployment || o instanceof StatefulSet || o instanceof Service || o instanceof Ingress
                    || o instanceof PodDisruptionBudget || o instanceof HorizontalPodAutoscaler;
            if (appObject && !o.getMetadata().getName().equals(labels.get(NAME_LABEL))) {
                problems.add(Manifests.describe(o) + " has label " + NAME_LABEL + "=" + labels.get(NAME_LABEL)
                        + ", expected its own name");
            }
        }
        for (Workload w : workloads(m)) {
            if (!w.name().equals(w.labels().get(NAME_LABEL)) || !PART_OF.equals(w.labels().get(PART_OF_LABEL))) {
                problems.add(w + " pod template labels " + w.labels() + " lack " + NAME_LABEL + "=" + w.name()
                        + " or " + PART_OF_LABEL + "=" + PART_OF);
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- services

    /** Each Service selects the pods of some Deployment or StatefulSet, on a port their containers have. */
    public static List<String> serviceSelectors(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Service service : m.all(Service.class)) {
            String what = Manifests.describe(service);
            Map<String, String> selector = labels(service.getSpec().getSelector());
            if (selector.isEmpty()) {
                problems.add(what + " has no selector");
                continue;
            }
            List<Workload> selected = workloads(m).stream()
                    .filter(w -> w.labels().entrySet().containsAll(selector.entrySet())).toList();
            if (selected.isEmpty()) {
                problems.add(what + " selector " + selector + " matches no pod template (templates: "
                        + workloads(m).stream().map(w -> w.name() + w.labels()).toList() + ")");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                for (Workload w : selected) {
                    if (w.spec().getContainers().stream().noneMatch(c -> hasPort(c, target))) {
                        problems.add(what + " port " + port.getPort() + " targets " + show(target)
                                + ", which no container of " + w + " has (it has " + ports(w) + ")");
                    }
                }
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- references

    /**
     * Secrets, ConfigMaps, their keys and volumes that pods refer to exist in the render; so do the
     * Secrets of type kubernetes.io/tls (with tls.crt and tls.key) that Ingresses name for TLS.
     */
    public static List<String> references(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Ingress ingress : m.all(Ingress.class)) {
            List<IngressTLS> tls = ingress.getSpec().getTls();
            for (int i = 0; i < tls.size(); i++) {
                String where = Manifests.describe(ingress) + " tls[" + i + "]";
                String name = tls.get(i).getSecretName();
                if (name == null || name.isBlank()) {
                    problems.add(where + " names no secretName (the controller would serve its default certificate)");
                    continue;
                }
                checkRef(m, problems, where, Secret.class, name, TLS_SECRET_KEYS, null);
                var secret = m.find(Secret.class, name);
                if (secret.isPresent() && !TLS_SECRET_TYPE.equals(secret.get().getType())) {
                    problems.add(where + " refers to Secret " + name + " of type " + secret.get().getType()
                            + ", expected " + TLS_SECRET_TYPE);
                }
            }
        }
        for (Workload w : workloads(m)) {
            Set<String> volumes = w.spec().getVolumes().stream().map(Volume::getName).collect(Collectors.toSet());
            w.claims().forEach(claim -> volumes.add(claim.getMetadata().getName()));
            for (Volume volume : w.spec().getVolumes()) {
                String where = w + " volume " + volume.getName();
                if (volume.getSecret() != null) {
                    checkRef(m, problems, where, Secret.class, volume.getSecret().getSecretName(),
                            volume.getSecret().getItems().stream().map(KeyToPath::getKey).toList(),
                            volume.getSecret().getOptional());
                }
                if (volume.getConfigMap() != null) {
                    checkRef(m, problems, where, ConfigMap.class, volume.getConfigMap().getName(),
                            volume.getConfigMap().getItems().stream().map(KeyToPath::getKey).toList(),
                            volume.getConfigMap().getOptional());
                }
                if (volume.getProjected() != null) {
                    volume.getProjected().getSources().forEach(source -> {
                        if (source.getSecret() != null) {
                            checkRef(m, problems, where, Secret.class, source.getSecret().getName(),
                                    source.getSecret().getItems().stream().map(KeyToPath::getKey).toList(),
                                    source.getSecret().getOptional());
                        }
                        if (source.getConfigMap() != null) {
                            checkRef(m, problems, where, ConfigMap.class, source.getConfigMap().getName(),
                                    source.getConfigMap().getItems().stream().map(KeyToPath::getKey).toList(),
                                    source.getConfigMap().getOptional());
                        }
                    });
                }
            }
            for (Container c : containers(w.spec())) {
                String where = w + " container " + c.getName();
                for (EnvVar env : c.getEnv()) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var secretRef = env.getValueFrom().getSecretKeyRef();
                    if (secretRef != null) {
                        checkRef(m, problems, where + " env " + env.getName(), Secret.class, secretRef.getName(),
                                List.of(secretRef.getKey()), secretRef.getOptional());
                    }
                    var configMapRef = env.getValueFrom().getConfigMapKeyRef();
                    if (configMapRef != null) {
                        checkRef(m, problems, where + " env " + env.getName(), ConfigMap.class,
                                configMapRef.getName(), List.of(configMapRef.getKey()), configMapRef.getOptional());
                    }
                }
                for (EnvFromSource from : c.getEnvFrom()) {
                    if (from.getSecretRef() != null) {
                        checkRef(m, problems, where + " envFrom", Secret.class, from.getSecretRef().getName(),
                                List.of(), from.getSecretRef().getOptional());
                    }
                    if (from.getConfigMapRef() != null) {
                        checkRef(m, problems, where + " envFrom", ConfigMap.class, from.getConfigMapRef().getName(),
                                List.of(), from.getConfigMapRef().getOptional());
                    }
                }
                for (VolumeMount mount : c.getVolumeMounts()) {
                    if (!volumes.contains(mount.getName())) {
                        problems.add(where + " mounts volume " + mount.getName() + ", which the pod does not have "
                                + "(volumes and volumeClaimTemplates: " + new TreeSet<>(volumes) + ")");
                    }
                }
            }
        }
        return problems;
    }

    private static void checkRef(Manifests m, List<String> problems, String where, Class<? extends HasMetadata> type,
                                 String name, List<String> keys, Boolean optional) {
        if (Boolean.TRUE.equals(optional)) {
            return;
        }
        var target = m.find(type, name);
        if (target.isEmpty()) {
            problems.add(where + " refers to " + type.getSimpleName() + " " + name + ", which is not in the render"
                    + " (there are: " + m.all(type).stream().map(o -> o.getMetadata().getName()).toList() + ")");
            return;
        }
        Set<String> present = keys(target.get());
        for (String key : keys) {
            if (!present.contains(key)) {
                problems.add(where + " refers to key " + key + " of " + type.getSimpleName() + " " + name
                        + ", which has only " + present);
            }
        }
    }

    private static Set<String> keys(HasMetadata object) {
        Set<String> keys = new TreeSet<>();
        if (object instanceof Secret s) {
            keys.addAll(labels(s.getData()).keySet());
            keys.addAll(labels(s.getStringData()).keySet());
        } else if (object instanceof ConfigMap c) {
            keys.addAll(labels(c.getData()).keySet());
            if (c.getBinaryData() != null) {
                keys.addAll(c.getBinaryData().keySet());
            }
        }
        return keys;
    }

    // ---------------------------------------------------------------- probes

    /**
     * Startup, readiness and liveness probes of the services hit the SmallRye Health paths on the
     * container's management port (Quarkus serves health there once the management interface is on); a database's run pg_isready against its TCP port (which, unlike the Unix
     * socket, the official image opens only once the database and its user exist) or open that port.
     */
    public static List<String> probes(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Workload w : workloads(m)) {
            for (Container c : w.spec().getContainers()) {
                String where = w + " container " + c.getName();
                Map<String, Probe> probes = new TreeMap<>();
                probes.put("startup", c.getStartupProbe());
                probes.put("readiness", c.getReadinessProbe());
                probes.put("liveness", c.getLivenessProbe());
                if (w.database()) {
                    probes.forEach((kind, probe) -> databaseProbe(c, where, kind, probe, problems));
                    continue;
                }
                probes.forEach((kind, probe) -> {
                    if (probe == null || probe.getHttpGet() == null) {
                        problems.add(where + " has no HTTP " + kind + " probe");
                        return;
                    }
                    String path = probe.getHttpGet().getPath();
                    if (!HEALTH_PATHS.get(kind).equals(path)) {
                        problems.add(where + " " + kind + " probe path is " + path + ", expected " + HEALTH_PATHS.get(kind));
                    }
                    IntOrString port = probe.getHttpGet().getPort();
                    if (!hasPort(c, port)) {
                        problems.add(where + " " + kind + " probe port " + show(port)
                                + " is not a port of the container (it has " + ports(c) + ")");
                    } else if (!isManagementPort(c, port)) {
                        problems.add(where + " " + kind + " probe port " + show(port) + " is not the management port "
                                + MANAGEMENT_PORT_NAME + "/" + MANAGEMENT_PORT + ", where Quarkus serves health");
                    }
                });
            }
        }
        return problems;
    }

    private static void databaseProbe(Container c, String where, String kind, Probe probe, List<String> problems) {
        if (probe != null && probe.getExec() != null) {
            List<String> command = probe.getExec().getCommand();
            Map<String, String> options = options(command);
            String host = options.getOrDefault("host", "");
            String port = options.getOrDefault("port", String.valueOf(DATABASE_PORT));
            if (command.isEmpty() || !command.get(0).equals("pg_isready") || !List.of("127.0.0.1", "localhost").contains(host)
                    || !port.equals(String.valueOf(DATABASE_PORT))) {
                problems.add(where + " " + kind + " probe runs " + command + ", expected pg_isready against 127.0.0.1:"
                        + DATABASE_PORT + " (the Unix socket answers before the database is initialised)");
            }
        } else if (probe != null && probe.getTcpSocket() != null) {
            if (!hasPort(c, probe.getTcpSocket().getPort())) {
                problems.add(where + " " + kind + " probe port " + show(probe.getTcpSocket().getPort())
                        + " is not a port of the container (it has " + ports(c) + ")");
            }
        } else {
            problems.add(where + " has no " + kind + " probe (pg_isready or TCP on its port)");
        }
    }

    /** The --host/-h and --port/-p options of a libpq command line. */
    private static Map<String, String> options(List<String> command) {
        Map<String, String> options = new TreeMap<>();
        for (int i = 1; i < command.size(); i++) {
            String arg = command.get(i);
            for (String name : List.of("host", "port")) {
                String shortForm = "-" + name.charAt(0);
                if (arg.startsWith("--" + name + "=")) {
                    options.put(name, arg.substring(name.length() + 3));
                } else if ((arg.equals("--" + name) || arg.equals(shortForm)) && i + 1 < command.size()) {
                    options.put(name, command.get(i + 1));
                } else if (arg.startsWith(shortForm) && arg.length() > 2 && !arg.startsWith("--")) {
                    options.put(name, arg.substring(2));
                }
            }
        }
        return options;
    }

    // ---------------------------------------------------------------- ingress

    /** Ingress backends name Services of the render and ports those Services have. */
    public static List<String> ingressBackends(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Ingress ingress : m.all(Ingress.class)) {
            List<IngressBackend> backends = new ArrayList<>();
            if (ingress.getSpec().getDefaultBackend() != null) {
                backends.add(ingress.getSpec().getDefaultBackend());
            }
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (rule.getHttp() != null) {
                    rule.getHttp().getPaths().forEach(p -> backends.add(p.getBackend()));
                }
            }
            if (backends.isEmpty()) {
                problems.add(Manifests.describe(ingress) + " has no backend");
            }
            for (IngressBackend backend : backends) {
                IngressServiceBackend target = backend.getService();
                if (target == null) {
                    problems.add(Manifests.describe(ingress) + " has a backend that is not a Service");
                    continue;
                }
                var service = m.find(Service.class, target.getName());
                if (service.isEmpty()) {
                    problems.add(Manifests.describe(ingress) + " backend names Service " + target.getName()
                            + ", which is not in the render");
                    continue;
                }
                var port = target.getPort();
                List<ServicePort> ports = service.get().getSpec().getPorts();
                boolean found = port != null && ports.stream().anyMatch(p ->
                        (port.getName() != null && port.getName().equals(p.getName()))
                                || (port.getNumber() != null && port.getNumber().equals(p.getPort())));
                if (!found) {
                    problems.add(Manifests.describe(ingress) + " backend port " + port + " is not a port of Service "
                            + target.getName() + " (it has " + ports.stream().map(p -> p.getName() + "/" + p.getPort()).toList() + ")");
                }
            }
        }
        return problems;
    }

    /**
     * Every Ingress terminates TLS for every host it routes: it has tls entries, each rule names a
     * host, each rule host is covered by a tls host (exactly, or by a "*." wildcard for one label),
     * and, for class nginx, plain HTTP is redirected ({@value #FORCE_SSL_REDIRECT}: "true").
     */
    public static List<String> ingressTls(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Ingress ingress : m.all(Ingress.class)) {
            String what = Manifests.describe(ingress);
            List<IngressTLS> tls = ingress.getSpec().getTls();
            if (tls.isEmpty()) {
                problems.add(what + " has no tls: passwords and tokens would cross it in plain HTTP");
            }
            List<String> tlsHosts = tls.stream().flatMap(t -> t.getHosts().stream()).toList();
            for (IngressTLS entry : tls) {
                if (entry.getHosts().isEmpty()) {
                    problems.add(what + " has a tls entry (secretName " + entry.getSecretName() + ") without hosts");
                }
            }
            if (ingress.getSpec().getDefaultBackend() != null) {
                problems.add(what + " has a defaultBackend, which serves any host, also those its tls hosts do not cover");
            }
            for (IngressRule rule : ingress.getSpec().getRules()) {
                String host = rule.getHost();
                if (host == null || host.isBlank()) {
                    problems.add(what + " has a rule without host, which serves any host, also those its tls hosts "
                            + tlsHosts + " do not cover");
                } else if (!tls.isEmpty() && tlsHosts.stream().noneMatch(t -> covers(t, host))) {
                    problems.add(what + " rule host " + host + " is not covered by its tls hosts " + tlsHosts);
                }
            }
            if ("nginx".equals(ingress.getSpec().getIngressClassName())) {
                String redirect = labels(ingress.getMetadata().getAnnotations()).get(FORCE_SSL_REDIRECT);
                if (!"true".equals(redirect)) {
                    problems.add(what + " annotation " + FORCE_SSL_REDIRECT + " is " + redirect + ", expected \"true\"");
                }
            }
        }
        return problems;
    }

    /** Whether a certificate or tls host (possibly "*.example.com") covers a host, as TLS clients match it. */
    public static boolean covers(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    // ---------------------------------------------------------------- network policies

    /**
     * Every pod is isolated for ingress and egress; every selector selects pods; and the connections
     * the policies allow are exactly {@code expected}, open on both ends when both are in the namespace.
     */
    public static List<String> networkPolicies(Manifests m, Set<Flow> expected) {
        List<String> problems = new ArrayList<>();
        List<Workload> pods = workloads(m);
        Set<String> ingressIsolated = new TreeSet<>();
        Set<String> egressIsolated = new TreeSet<>();
        Set<Flow> allowed = new TreeSet<>(java.util.Comparator.comparing(Flow::toString));
        for (NetworkPolicy policy : m.all(NetworkPolicy.class)) {
            String what = Manifests.describe(policy);
            List<String> selected = select(pods, policy.getSpec().getPodSelector());
            if (selected.isEmpty()) {
                problems.add(what + " podSelector " + show(policy.getSpec().getPodSelector()) + " selects no pod");
            }
            List<String> types = policy.getSpec().getPolicyTypes();
            boolean ingress = types.isEmpty() || types.contains("Ingress");
            boolean egress = types.contains("Egress") || (types.isEmpty() && !policy.getSpec().getEgress().isEmpty());
            if (ingress) {
                ingressIsolated.addAll(selected);
                policy.getSpec().getIngress().forEach(rule -> {
                    for (String peer : peers(pods, rule.getFrom(), what, problems)) {
                        for (String port : ports(rule.getPorts())) {
                            selected.forEach(pod -> allowed.add(Flow.ingress(peer, pod, port)));
                        }
                    }
                });
            }
            if (egress) {
                egressIsolated.addAll(selected);
                policy.getSpec().getEgress().forEach(rule -> {
                    for (String peer : peers(pods, rule.getTo(), what, problems)) {
                        for (String port : ports(rule.getPorts())) {
                            selected.forEach(pod -> allowed.add(Flow.egress(pod, peer, port)));
                        }
                    }
                });
            }
        }
        for (Workload w : pods) {
            if (!ingressIsolated.contains(w.name())) {
                problems.add("No NetworkPolicy restricts ingress to the pods of " + w + ": all ingress is open");
            }
            if (!egressIsolated.contains(w.name())) {
                problems.add("No NetworkPolicy restricts egress from the pods of " + w + ": all egress is open");
            }
        }
        Set<String> names = pods.stream().map(Workload::name).collect(Collectors.toSet());
        for (Flow flow : allowed) {
            boolean internal = names.contains(flow.from()) && names.contains(flow.to());
            Flow.Direction other = flow.direction() == Flow.Direction.INGRESS ? Flow.Direction.EGRESS : Flow.Direction.INGRESS;
            if (internal && !allowed.contains(new Flow(other, flow.from(), flow.to(), flow.port()))) {
                problems.add("NetworkPolicies allow " + flow + " but not its " + other.name().toLowerCase()
                        + " end, so the connection cannot be made");
            }
        }
        Set<String> expectedText = expected.stream().map(Flow::toString).collect(Collectors.toCollection(TreeSet::new));
        Set<String> allowedText = allowed.stream().map(Flow::toString).collect(Collectors.toCollection(TreeSet::new));
        allowedText.stream().filter(f -> !expectedText.contains(f))
                .forEach(f -> problems.add("NetworkPolicies allow an unexpected connection: " + f));
        expectedText.stream().filter(f -> !allowedText.contains(f))
                .forEach(f -> problems.add("NetworkPolicies do not allow the expected connection: " + f));
        return problems;
    }

    private static List<String> peers(List<Workload> pods, List<NetworkPolicyPeer> peers, String what, List<String> problems) {
        if (peers.isEmpty()) {
            return List.of("*");
        }
        List<String> names = new ArrayList<>();
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                names.add("ipBlock[" + peer.getIpBlock().getCidr() + " except " + peer.getIpBlock().getExcept() + "]");
            } else if (peer.getNamespaceSelector() != null) {
                names.add("namespace[" + show(peer.getNamespaceSelector()) + "]"
                        + (peer.getPodSelector() == null ? "" : " pods[" + show(peer.getPodSelector()) + "]"));
            } else {
                List<String> selected = select(pods, peer.getPodSelector());
                if (selected.isEmpty()) {
                    problems.add(what + " peer podSelector " + show(peer.getPodSelector()) + " selects no pod");
                }
                names.addAll(selected);
            }
        }
        return names;
    }

    private static List<String> ports(List<NetworkPolicyPort> ports) {
        if (ports.isEmpty()) {
            return List.of("*");
        }
        return ports.stream().map(p -> Objects.requireNonNullElse(p.getProtocol(), "TCP") + "/"
                + (p.getPort() == null ? "*" : show(p.getPort()))
                + (p.getEndPort() == null ? "" : "-" + p.getEndPort())).toList();
    }

    private static List<String> select(List<Workload> pods, LabelSelector selector) {
        return pods.stream().filter(w -> matches(selector, w.labels())).map(Workload::name).toList();
    }

    /** Kubernetes label selector semantics; an empty (or absent) selector matches everything. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (!labels.entrySet().containsAll(labels(selector.getMatchLabels()).entrySet())) {
            return false;
        }
        for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
            String value = labels.get(r.getKey());
            boolean ok = switch (r.getOperator()) {
                case "In" -> value != null && r.getValues().contains(value);
                case "NotIn" -> value == null || !r.getValues().contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- security

    /**
     * Every container meets the restricted Pod Security Standard and runs as the image's user: the
     * services as {@code runAsUser} (the overlay's build), the databases as {@value #DATABASE_USER}, the
     * postgres user of their image, with that group as fsGroup so that it can write to its volume. A
     * read-only root filesystem needs an emptyDir wherever the process writes: /tmp for Quarkus,
     * {@link #DATABASE_WRITABLE} for PostgreSQL (PGDATA is on the volume).
     */
    public static List<String> securityContexts(Manifests m, long runAsUser) {
        List<String> problems = new ArrayList<>();
        for (Workload w : workloads(m)) {
            PodSpec spec = w.spec();
            PodSecurityContext pod = spec.getSecurityContext();
            long expectedUser = w.database() ? DATABASE_USER : runAsUser;
            if (w.database() && (pod == null || pod.getFsGroup() == null || pod.getFsGroup() != DATABASE_USER)) {
                problems.add(w + " securityContext.fsGroup is " + (pod == null ? null : pod.getFsGroup()) + ", expected "
                        + DATABASE_USER + " (the postgres group, so that it can write to its volume)");
            }
            if (Boolean.TRUE.equals(spec.getHostNetwork()) || Boolean.TRUE.equals(spec.getHostPID())
                    || Boolean.TRUE.equals(spec.getHostIPC())) {
                problems.add(w + " shares a host namespace");
            }
            for (Container c : containers(spec)) {
                String where = w + " container " + c.getName();
                SecurityContext sc = c.getSecurityContext();
                if (sc == null) {
                    problems.add(where + " has no securityContext");
                    continue;
                }
                if (!Boolean.TRUE.equals(sc.getRunAsNonRoot())) {
                    problems.add(where + " securityContext.runAsNonRoot is " + sc.getRunAsNonRoot() + ", must be true");
                }
                if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) {
                    problems.add(where + " securityContext.readOnlyRootFilesystem is " + sc.getReadOnlyRootFilesystem() + ", must be true");
                }
                if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                    problems.add(where + " securityContext.allowPrivilegeEscalation is " + sc.getAllowPrivilegeEscalation() + ", must be false");
                }
                if (Boolean.TRUE.equals(sc.getPrivileged())) {
                    problems.add(where + " securityContext.privileged is true");
                }
                if (sc.getCapabilities() == null || !sc.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + " securityContext.capabilities.drop does not contain ALL");
                } else if (!sc.getCapabilities().getAdd().isEmpty()) {
                    problems.add(where + " securityContext.capabilities.add is " + sc.getCapabilities().getAdd() + ", must be empty");
                }
                if (sc.getSeccompProfile() == null || !"RuntimeDefault".equals(sc.getSeccompProfile().getType())) {
                    problems.add(where + " securityContext.seccompProfile.type is "
                            + (sc.getSeccompProfile() == null ? null : sc.getSeccompProfile().getType()) + ", must be RuntimeDefault");
                }
                Long user = sc.getRunAsUser() != null ? sc.getRunAsUser() : pod == null ? null : pod.getRunAsUser();
                if (user == null || user != expectedUser) {
                    problems.add(where + " runs as user " + user + ", expected " + expectedUser + " (the image's user)");
                }
                List<String> writable = w.database() ? DATABASE_WRITABLE : List.of("/tmp");
                for (String path : writable) {
                    boolean emptyDir = c.getVolumeMounts().stream().anyMatch(v -> path.equals(v.getMountPath())
                            && spec.getVolumes().stream().anyMatch(vol -> vol.getName().equals(v.getName()) && vol.getEmptyDir() != null));
                    if (Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem()) && !emptyDir) {
                        problems.add(where + " has a read-only root filesystem but no emptyDir at " + path + ", which "
                                + (w.database() ? "PostgreSQL" : "Quarkus") + " writes to");
                    }
                }
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- images

    /**
     * Each Deployment runs access-token/APP:TAG, the same tag everywhere; each database runs
     * {@code databaseImage}. An image from a registry is pinned to a release (a tag of at least
     * major.minor, or a digest), so that a restart cannot bring another version; a local build
     * ({@code localhost/...}) is exempt.
     */
    public static List<String> images(Manifests m, String tag, String databaseImage) {
        List<String> problems = new ArrayList<>();
        for (Workload w : workloads(m)) {
            String expected = w.database() ? databaseImage : "access-token/" + w.labels().get(NAME_LABEL) + ":" + tag;
            for (Container c : containers(w.spec())) {
                String where = w + " container " + c.getName();
                if (!expected.equals(c.getImage())) {
                    problems.add(where + " image is " + c.getImage() + ", expected " + expected);
                }
                if (c.getImage() != null && !c.getImage().startsWith("localhost/") && !PINNED.matcher(c.getImage()).matches()) {
                    problems.add(where + " image " + c.getImage() + " is not pinned to a release (tag major.minor or @sha256 digest)");
                }
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- resources

    /** Every container requests and limits CPU and memory, requests no more than the limits. */
    public static List<String> resources(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Workload w : workloads(m)) {
            for (Container c : containers(w.spec())) {
                String where = w + " container " + c.getName();
                Map<String, Quantity> requests = c.getResources() == null ? Map.of() : labels(c.getResources().getRequests());
                Map<String, Quantity> limits = c.getResources() == null ? Map.of() : labels(c.getResources().getLimits());
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = requests.get(resource);
                    Quantity limit = limits.get(resource);
                    if (request == null || limit == null) {
                        problems.add(where + " has no " + resource + (request == null ? " request" : " limit"));
                    } else if (request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
                        problems.add(where + " requests more " + resource + " (" + request + ") than its limit (" + limit + ")");
                    }
                }
            }
        }
        return problems;
    }

    /** A build's measured figures (MiB, seconds): RSS at ready and after load, the slowest start to ready. */
    record Measured(String source, int readyRssMib, int afterLoadRssMib, double startSeconds) {
    }

    /** Native: issue 15's run of the three executables (docs/native.md); JVM: BENCHMARKS.md's small heap, issue 20. */
    static final Measured NATIVE_MEASURED = new Measured("docs/native.md", 105, 123, 0.624);
    static final Measured JVM_MEASURED = new Measured("BENCHMARKS.md", 236, 310, 2.8);
    /** Memory headroom over the largest RSS measured after load, and start-up budget over the slowest start. */
    static final double MEMORY_HEADROOM = 1.2;
    static final int START_BUDGET_FACTOR = 10;

    /**
     * Each service's pod is sized from its build's measurements, not a guess: it requests at least the RSS
     * measured at ready, its memory limit leaves a fifth over the largest RSS measured after load, and its
     * startup probe waits at least ten times the slowest start measured.
     */
    public static List<String> sizedFromMeasurements(Manifests m, String imageTag) {
        Measured measured = imageTag.endsWith("-native") ? NATIVE_MEASURED : JVM_MEASURED;
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.all(Deployment.class)) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String where = Manifests.describe(d) + " container " + c.getName();
                Map<String, Quantity> requests = c.getResources() == null ? Map.of() : labels(c.getResources().getRequests());
                Map<String, Quantity> limits = c.getResources() == null ? Map.of() : labels(c.getResources().getLimits());
                double requestMib = mib(requests.get("memory"));
                double limitMib = mib(limits.get("memory"));
                if (requestMib < measured.readyRssMib()) {
                    problems.add(where + " requests " + requests.get("memory") + " of memory, below the "
                            + measured.readyRssMib() + " MiB RSS at ready measured in " + measured.source());
                }
                double needed = measured.afterLoadRssMib() * MEMORY_HEADROOM;
                if (limitMib < needed) {
                    problems.add(where + " limits memory to " + limits.get("memory") + ", below the "
                            + measured.afterLoadRssMib() + " MiB RSS after load measured in " + measured.source()
                            + " plus a fifth (" + Math.round(needed) + " MiB)");
                }
                Probe startup = c.getStartupProbe();
                double budget = startup == null ? 0 : Objects.requireNonNullElse(startup.getPeriodSeconds(), 10)
                        * (double) Objects.requireNonNullElse(startup.getFailureThreshold(), 3)
                        + Objects.requireNonNullElse(startup.getInitialDelaySeconds(), 0);
                if (budget < measured.startSeconds() * START_BUDGET_FACTOR) {
                    problems.add(where + " gives its startup probe " + budget + " s, less than " + START_BUDGET_FACTOR
                            + " times the " + measured.startSeconds() + " s start measured in " + measured.source());
                }
            }
        }
        return problems;
    }

    private static double mib(Quantity q) {
        return q == null ? 0 : q.getNumericalAmount().doubleValue() / (1024 * 1024);
    }

    // ---------------------------------------------------------------- replicas, PDB, HPA

    /**
     * Each Deployment has 2 replicas, one PodDisruptionBudget and one HorizontalPodAutoscaler. Each
     * StatefulSet (a database: one primary, no replication) has 1 replica and neither: a second
     * replica would be a second, empty database, and a budget for one pod could only block drains.
     */
    public static List<String> replicasAndScaling(Manifests m) {
        List<String> problems = new ArrayList<>();
        List<Workload> pods = workloads(m);
        for (StatefulSet s : m.all(StatefulSet.class)) {
            String what = Manifests.describe(s);
            int replicas = Objects.requireNonNullElse(s.getSpec().getReplicas(), 1);
            if (replicas != 1) {
                problems.add(what + " has " + replicas + " replicas, expected 1 (one primary, no replication)");
            }
            Map<String, String> podLabels = labels(s.getSpec().getTemplate().getMetadata().getLabels());
            m.all(PodDisruptionBudget.class).stream().filter(p -> matches(p.getSpec().getSelector(), podLabels))
                    .forEach(p -> problems.add(what + " is covered by " + Manifests.describe(p)
                            + ", which for its single pod can only block node drains"));
        }
        for (Deployment d : m.all(Deployment.class)) {
            String name = d.getMetadata().getName();
            String what = Manifests.describe(d);
            int replicas = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
            if (replicas != REPLICAS) {
                problems.add(what + " has " + replicas + " replicas, expected " + REPLICAS);
            }
            Map<String, String> podLabels = labels(d.getSpec().getTemplate().getMetadata().getLabels());
            List<PodDisruptionBudget> pdbs = m.all(PodDisruptionBudget.class).stream()
                    .filter(p -> matches(p.getSpec().getSelector(), podLabels)).toList();
            if (pdbs.size() != 1) {
                problems.add(what + " is covered by " + pdbs.size() + " PodDisruptionBudgets, expected 1");
            }
            for (PodDisruptionBudget pdb : pdbs) {
                IntOrString min = pdb.getSpec().getMinAvailable();
                IntOrString max = pdb.getSpec().getMaxUnavailable();
                boolean allowsDisruption = (min != null && min.getIntVal() != null && min.getIntVal() < replicas)
                        || (max != null && (max.getIntVal() == null || max.getIntVal() > 0));
                boolean keepsOne = (min != null && (min.getIntVal() == null || min.getIntVal() >= 1))
                        || (max != null && max.getIntVal() != null && max.getIntVal() < replicas);
                if (!allowsDisruption || !keepsOne) {
                    problems.add(Manifests.describe(pdb) + " (minAvailable " + show(min) + ", maxUnavailable " + show(max)
                            + ") must keep at least one of " + replicas + " pods and allow evicting one");
                }
            }
            List<HorizontalPodAutoscaler> hpas = m.all(HorizontalPodAutoscaler.class).stream()
                    .filter(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                            && name.equals(h.getSpec().getScaleTargetRef().getName())).toList();
            if (hpas.size() != 1) {
                problems.add(what + " is the target of " + hpas.size() + " HorizontalPodAutoscalers, expected 1");
            }
            for (HorizontalPodAutoscaler hpa : hpas) {
                var spec = hpa.getSpec();
                if (!"apps/v1".equals(spec.getScaleTargetRef().getApiVersion())) {
                    problems.add(Manifests.describe(hpa) + " scaleTargetRef.apiVersion is " + spec.getScaleTargetRef().getApiVersion() + ", expected apps/v1");
                }
                int min = Objects.requireNonNullElse(spec.getMinReplicas(), 1);
                if (min != replicas || spec.getMaxReplicas() == null || spec.getMaxReplicas() <= min) {
                    problems.add(Manifests.describe(hpa) + " scales " + min + ".." + spec.getMaxReplicas()
                            + ", expected from the Deployment's " + replicas + " replicas upwards");
                }
                if (spec.getMetrics().isEmpty()) {
                    problems.add(Manifests.describe(hpa) + " has no metrics");
                }
                spec.getMetrics().stream().filter(x -> x.getResource() != null).forEach(metric -> {
                    String resource = metric.getResource().getName();
                    d.getSpec().getTemplate().getSpec().getContainers().stream()
                            .filter(c -> c.getResources() == null || !labels(c.getResources().getRequests()).containsKey(resource))
                            .forEach(c -> problems.add(Manifests.describe(hpa) + " scales on " + resource
                                    + " utilization but container " + c.getName() + " requests no " + resource));
                });
            }
        }
        for (PodDisruptionBudget pdb : m.all(PodDisruptionBudget.class)) {
            if (pdb.getSpec().getSelector() == null || select(pods, pdb.getSpec().getSelector()).isEmpty()
                    || labels(pdb.getSpec().getSelector().getMatchLabels()).isEmpty()) {
                problems.add(Manifests.describe(pdb) + " selector " + show(pdb.getSpec().getSelector()) + " selects no pods");
            }
        }
        for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
            var ref = hpa.getSpec().getScaleTargetRef();
            if (!"Deployment".equals(ref.getKind()) || m.find(Deployment.class, ref.getName()).isEmpty()) {
                problems.add(Manifests.describe(hpa) + " targets " + ref.getKind() + " " + ref.getName()
                        + ", which is not a Deployment of the render");
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- secrets

    /**
     * The Secret keys each pod reads are exactly {@code expected} (workload name to
     * "secret/key", or "secret/*" for a whole Secret mounted as a volume or read with envFrom): no
     * pod reads another's credentials, nor more of a shared Secret than it needs (the gateway gets the
     * client secret's hash, not the secret). The gateway's Ingress TLS Secret is read by no pod.
     */
    public static List<String> secretAccess(Manifests m, Map<String, Set<String>> expected) {
        List<String> problems = new ArrayList<>();
        Set<String> names = new TreeSet<>();
        for (Workload w : workloads(m)) {
            names.add(w.name());
            Set<String> reads = new TreeSet<>();
            for (Volume volume : w.spec().getVolumes()) {
                if (volume.getSecret() != null) {
                    reads.addAll(secretKeys(volume.getSecret().getSecretName(), volume.getSecret().getItems()));
                }
                if (volume.getProjected() != null) {
                    volume.getProjected().getSources().stream().filter(source -> source.getSecret() != null)
                            .forEach(source -> reads.addAll(secretKeys(source.getSecret().getName(), source.getSecret().getItems())));
                }
            }
            for (Container c : containers(w.spec())) {
                c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                        .map(e -> e.getValueFrom().getSecretKeyRef())
                        .forEach(ref -> reads.add(ref.getName() + "/" + ref.getKey()));
                c.getEnvFrom().stream().filter(e -> e.getSecretRef() != null)
                        .forEach(e -> reads.add(e.getSecretRef().getName() + "/*"));
            }
            Set<String> allowed = expected.getOrDefault(w.name(), Set.of());
            reads.stream().filter(r -> !allowed.contains(r))
                    .forEach(r -> problems.add(w + " reads Secret " + r + ", which it must not"));
            allowed.stream().filter(r -> !reads.contains(r)).sorted()
                    .forEach(r -> problems.add(w + " does not read Secret " + r + ", which it needs"));
        }
        expected.keySet().stream().filter(n -> !names.contains(n)).sorted()
                .forEach(n -> problems.add("No workload " + n + " reads its Secrets " + new TreeSet<>(expected.get(n))));
        return problems;
    }

    private static List<String> secretKeys(String secret, List<KeyToPath> items) {
        return items.isEmpty() ? List.of(secret + "/*") : items.stream().map(i -> secret + "/" + i.getKey()).toList();
    }

    // ---------------------------------------------------------------- forwarded headers

    /** Every backend of every Ingress: its default backend and the backend of each HTTP path. */
    private static List<IngressBackend> backendsOfAllIngresses(Manifests m) {
        List<IngressBackend> backends = new ArrayList<>();
        for (Ingress ingress : m.all(Ingress.class)) {
            if (ingress.getSpec().getDefaultBackend() != null) {
                backends.add(ingress.getSpec().getDefaultBackend());
            }
            ingress.getSpec().getRules().stream().filter(r -> r.getHttp() != null)
                    .forEach(r -> r.getHttp().getPaths().forEach(p -> backends.add(p.getBackend())));
        }
        return backends;
    }

    /**
     * A service that takes the client address from forwarded headers ({@value #PROXY_FORWARDING}
     * true) names the proxies it believes in {@value #TRUSTED_PROXIES}: without them Quarkus would
     * believe every client's X-Forwarded-For (and the login throttle would count whatever address a
     * client claims). Each entry is an IP address or a CIDR, none covers every address (prefix /0),
     * and there is a proxy to trust: an Ingress routes to the service.
     */
    public static List<String> forwardedHeaders(Manifests m) {
        List<String> problems = new ArrayList<>();
        Set<String> behindIngress = new TreeSet<>();
        backendsOfAllIngresses(m).stream().filter(b -> b.getService() != null)
                .flatMap(b -> m.find(Service.class, b.getService().getName()).stream())
                .forEach(service -> {
                    Map<String, String> selector = labels(service.getSpec().getSelector());
                    workloads(m).stream().filter(w -> !selector.isEmpty() && w.labels().entrySet().containsAll(selector.entrySet()))
                            .forEach(w -> behindIngress.add(w.name()));
                });
        for (Workload w : workloads(m)) {
            for (Container c : w.spec().getContainers()) {
                String where = w + " container " + c.getName();
                Map<String, Env> env = environment(m, c);
                Env forwarding = env.get(PROXY_FORWARDING);
                if (forwarding == null || !"true".equalsIgnoreCase(String.valueOf(forwarding.value()).strip())) {
                    continue;
                }
                if (!behindIngress.contains(w.name())) {
                    problems.add(where + " sets " + PROXY_FORWARDING + "=true, but no Ingress routes to it: there is no proxy to trust");
                }
                Env trusted = env.get(TRUSTED_PROXIES);
                String value = trusted == null ? null : trusted.value();
                if (value == null || value.isBlank()) {
                    problems.add(where + " sets " + PROXY_FORWARDING + "=true without " + TRUSTED_PROXIES
                            + ": it would believe every client's X-Forwarded-For");
                    continue;
                }
                for (String entry : value.split(",", -1)) {
                    String problem = proxyEntryProblem(entry.strip());
                    if (problem != null) {
                        problems.add(where + " " + TRUSTED_PROXIES + " entry '" + entry.strip() + "' " + problem);
                    }
                }
            }
        }
        return problems;
    }

    /** Null for an IP address or CIDR that covers less than every address, else what is wrong with it. */
    static String proxyEntryProblem(String entry) {
        String[] parts = entry.split("/", -1);
        if (entry.isEmpty() || parts.length > 2) {
            return "is not an IP address or CIDR";
        }
        int bits;
        Matcher v4 = IPV4.matcher(parts[0]);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return "is not an IP address or CIDR";
                }
            }
            bits = 32;
        } else if (parts[0].contains(":") && parts[0].matches("[0-9A-Fa-f:.]+")) {
            try {
                // A literal with a colon: parsed, never looked up.
                if (!(java.net.InetAddress.getByName(parts[0]) instanceof java.net.Inet6Address)) {
                    return "is not an IP address or CIDR";
                }
            } catch (java.net.UnknownHostException e) {
                return "is not an IP address or CIDR";
            }
            bits = 128;
        } else {
            return "is not an IP address or CIDR (a host name would be looked up on every request)";
        }
        if (parts.length == 2) {
            if (!parts[1].matches("\\d{1,3}") || Integer.parseInt(parts[1]) > bits) {
                return "has an invalid prefix length";
            }
            if (Integer.parseInt(parts[1]) == 0) {
                return "covers every address: every client would be believed";
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- metrics, traces, logs

    /**
     * Every service pod serves metrics on its management port ({@value #MANAGEMENT_PORT_NAME}/{@value
     * #MANAGEMENT_PORT}, QUARKUS_MANAGEMENT_PORT the same) and is scraped exactly one way: by its pod
     * template's prometheus.io annotations (scrape "true", that port, {@value #METRICS_PATH}), or by a
     * ServiceMonitor whose endpoint names a port of a Service of its pods that targets that port, with that
     * path; then the scrape annotation is not "true", so that nothing scrapes the pod twice. Each ServiceMonitor
     * selects some Service, and each of its endpoints is a port of every Service it selects.
     */
    public static List<String> metrics(Manifests m) {
        List<String> problems = new ArrayList<>();
        List<ServiceMonitor> monitors = m.all(ServiceMonitor.class);
        for (ServiceMonitor monitor : monitors) {
            String what = Manifests.describe(monitor);
            var spec = monitor.getSpec();
            List<Service> selected = spec == null || spec.getSelector() == null ? List.of() : m.all(Service.class).stream()
                    .filter(s -> matches(spec.getSelector(), labels(s.getMetadata().getLabels()))).toList();
            if (selected.isEmpty()) {
                problems.add(what + " selects no Service of the render");
            }
            if (spec != null && spec.getNamespaceSelector() != null && !Boolean.TRUE.equals(spec.getNamespaceSelector().getAny())
                    && !spec.getNamespaceSelector().getMatchNames().isEmpty()
                    && !spec.getNamespaceSelector().getMatchNames().contains(NAMESPACE)) {
                problems.add(what + " looks in namespaces " + spec.getNamespaceSelector().getMatchNames() + ", not " + NAMESPACE);
            }
            for (ServiceMonitor.Endpoint endpoint : spec == null ? List.<ServiceMonitor.Endpoint>of() : spec.getEndpoints()) {
                for (Service service : selected) {
                    if (service.getSpec().getPorts().stream().noneMatch(p -> endpoint.getPort() != null && endpoint.getPort().equals(p.getName()))) {
                        problems.add(what + " endpoint port " + endpoint.getPort() + " is not a port of " + Manifests.describe(service)
                                + " (it has " + service.getSpec().getPorts().stream().map(ServicePort::getName).toList() + ")");
                    }
                }
            }
        }
        for (Workload w : workloads(m)) {
            if (w.database() || w.spec().getContainers().isEmpty()) {
                continue;
            }
            Container c = w.spec().getContainers().get(0);
            var management = c.getPorts().stream().filter(p -> MANAGEMENT_PORT_NAME.equals(p.getName())).findFirst();
            if (management.isEmpty() || management.get().getContainerPort() != MANAGEMENT_PORT) {
                problems.add(w + " container " + c.getName() + " has no port " + MANAGEMENT_PORT_NAME + "/" + MANAGEMENT_PORT
                        + " (it has " + ports(c) + "): health and metrics have no port of their own");
                continue;
            }
            Env configured = environment(m, c).get("QUARKUS_MANAGEMENT_PORT");
            if (configured == null || !String.valueOf(MANAGEMENT_PORT).equals(configured.value())) {
                problems.add(w + " QUARKUS_MANAGEMENT_PORT is " + configured + ", expected " + MANAGEMENT_PORT
                        + ": the service would listen elsewhere than its port " + MANAGEMENT_PORT_NAME);
            }
            Map<String, String> annotations = labels(podAnnotations(m, w));
            boolean annotated = "true".equals(annotations.get(SCRAPE));
            List<String> byMonitor = new ArrayList<>();
            for (ServiceMonitor monitor : monitors) {
                if (monitor.getSpec() == null || monitor.getSpec().getSelector() == null) {
                    continue;
                }
                for (Service service : m.all(Service.class)) {
                    Map<String, String> selector = labels(service.getSpec().getSelector());
                    if (!matches(monitor.getSpec().getSelector(), labels(service.getMetadata().getLabels()))
                            || selector.isEmpty() || !w.labels().entrySet().containsAll(selector.entrySet())) {
                        continue;
                    }
                    for (ServiceMonitor.Endpoint endpoint : monitor.getSpec().getEndpoints()) {
                        service.getSpec().getPorts().stream()
                                .filter(p -> p.getName() != null && p.getName().equals(endpoint.getPort()))
                                .filter(p -> isManagementPort(c, p.getTargetPort() != null ? p.getTargetPort() : new IntOrString(p.getPort())))
                                .filter(p -> METRICS_PATH.equals(endpoint.getPath()))
                                .forEach(p -> byMonitor.add(Manifests.describe(monitor) + " via " + Manifests.describe(service)));
                    }
                }
            }
            if (annotated) {
                if (!String.valueOf(MANAGEMENT_PORT).equals(annotations.get(SCRAPE_PORT)) || !METRICS_PATH.equals(annotations.get(SCRAPE_PATH))) {
                    problems.add(w + " pod annotations " + SCRAPE_PORT + "=" + annotations.get(SCRAPE_PORT) + " " + SCRAPE_PATH + "="
                            + annotations.get(SCRAPE_PATH) + ", expected " + MANAGEMENT_PORT + " and " + METRICS_PATH);
                }
                if (!byMonitor.isEmpty()) {
                    problems.add(w + " is scraped twice: by its " + SCRAPE + " annotation and by " + byMonitor);
                }
            } else if (byMonitor.isEmpty()) {
                problems.add(w + " is scraped by nothing: no " + SCRAPE + "=\"true\" annotation and no ServiceMonitor"
                        + " endpoint on its " + MANAGEMENT_PORT_NAME + " port with path " + METRICS_PATH);
            }
        }
        return problems;
    }

    /**
     * The management port (health, metrics) stays private: no Ingress backend reaches it, and no Service
     * exposes it but a headless one that no Ingress routes to (the monitoring overlay's, for a ServiceMonitor).
     * The Services the Ingress and the other hops use carry the API port only.
     */
    public static List<String> managementPortPrivate(Manifests m) {
        List<String> problems = new ArrayList<>();
        Set<String> behindIngress = new TreeSet<>();
        backendsOfAllIngresses(m).stream().filter(b -> b.getService() != null).forEach(b -> behindIngress.add(b.getService().getName()));
        for (Service service : m.all(Service.class)) {
            Map<String, String> selector = labels(service.getSpec().getSelector());
            List<Workload> selected = workloads(m).stream()
                    .filter(w -> !selector.isEmpty() && w.labels().entrySet().containsAll(selector.entrySet())).toList();
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                boolean management = selected.stream().flatMap(w -> w.spec().getContainers().stream())
                        .anyMatch(c -> isManagementPort(c, target));
                if (!management) {
                    continue;
                }
                String what = Manifests.describe(service) + " port " + port.getPort() + " (" + show(target) + ")";
                if (behindIngress.contains(service.getMetadata().getName())) {
                    problems.add(what + " exposes the management port, and an Ingress routes to this Service");
                } else if (!"None".equals(service.getSpec().getClusterIP())) {
                    problems.add(what + " exposes the management port on a Service with a cluster IP, which the other hops"
                            + " and the Ingress use: only a headless Service for scraping may");
                }
            }
        }
        return problems;
    }

    /**
     * Every service exports traces (QUARKUS_OTEL_SDK_DISABLED=false) to an OTLP endpoint whose port its
     * NetworkPolicies let it reach, and logs JSON (QUARKUS_LOG_CONSOLE_JSON_ENABLED not false).
     */
    public static List<String> tracesAndLogs(Manifests m, Set<Flow> flows) {
        List<String> problems = new ArrayList<>();
        for (Workload w : workloads(m)) {
            if (w.database() || w.spec().getContainers().isEmpty()) {
                continue;
            }
            Map<String, Env> env = environment(m, w.spec().getContainers().get(0));
            Env disabled = env.get("QUARKUS_OTEL_SDK_DISABLED");
            if (disabled == null || !"false".equals(disabled.value())) {
                problems.add(w + " QUARKUS_OTEL_SDK_DISABLED is " + disabled + ": it exports no trace (false expected)");
            }
            Env endpoint = env.get("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT");
            java.net.URI uri = null;
            try {
                uri = endpoint == null || endpoint.value() == null ? null : java.net.URI.create(endpoint.value());
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (uri == null || uri.getHost() == null || uri.getPort() < 0 || !List.of("http", "https").contains(uri.getScheme())) {
                problems.add(w + " QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT is " + endpoint + ", expected an http(s) URL with host and port");
            } else {
                String port = "TCP/" + uri.getPort();
                boolean allowed = flows.stream().anyMatch(f -> f.direction() == Flow.Direction.EGRESS && f.from().equals(w.name())
                        && f.port().equals(port) && !isWorkload(m, f.to()));
                if (!allowed) {
                    problems.add(w + " exports traces to " + uri + ", but its NetworkPolicies allow no egress on " + port);
                }
            }
            Env json = env.get("QUARKUS_LOG_CONSOLE_JSON_ENABLED");
            if (json != null && "false".equalsIgnoreCase(String.valueOf(json.value()))) {
                problems.add(w + " QUARKUS_LOG_CONSOLE_JSON_ENABLED is false: its logs are not JSON for the log stack");
            }
        }
        return problems;
    }

    private static boolean isWorkload(Manifests m, String name) {
        return workloads(m).stream().anyMatch(w -> w.name().equals(name));
    }

    private static Map<String, String> podAnnotations(Manifests m, Workload w) {
        return m.find(Deployment.class, w.name()).map(d -> d.getSpec().getTemplate().getMetadata().getAnnotations()).orElse(null);
    }

    /** Whether a port (number or name) is the container's management port. */
    private static boolean isManagementPort(Container c, IntOrString port) {
        return port != null && c.getPorts().stream().anyMatch(p -> MANAGEMENT_PORT_NAME.equals(p.getName())
                && (port.getIntVal() != null ? port.getIntVal().equals(p.getContainerPort()) : MANAGEMENT_PORT_NAME.equals(port.getStrVal())));
    }

    // ---------------------------------------------------------------- databases

    /**
     * Database per Service, for each StatefulSet (a PostgreSQL):
     * <ul>
     * <li>its serviceName is a headless Service of the render that selects its pods on port
     * {@value #DATABASE_PORT};</li>
     * <li>one volumeClaimTemplate, ReadWriteOnce with a storage request, mounted by the container,
     * and PGDATA a subdirectory of that mount (initdb wants an empty directory, a volume's root may
     * hold lost+found), so that the data outlives the pod;</li>
     * <li>POSTGRES_USER and POSTGRES_PASSWORD come from keys of one Secret, never literal values,
     * and POSTGRES_DB names the database;</li>
     * <li>exactly one Deployment uses it: its QUARKUS_DATASOURCE_JDBC_URL (directly or through a
     * ConfigMap) is jdbc:postgresql://SERVICE:5432/POSTGRES_DB; its QUARKUS_FLYWAY_USERNAME and
     * QUARKUS_FLYWAY_PASSWORD read the same Secret keys as the database's owner (POSTGRES_USER and
     * POSTGRES_PASSWORD), and its QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD those of
     * the runtime role (APP_DB_USERNAME and APP_DB_PASSWORD, from the same Secret), never the owner's;</li>
     * <li>the runtime role is another role than the owner, and the container mounts the init scripts
     * that create it (a ConfigMap with {@link #INIT_SCRIPTS} at {@value #INIT_DIR}).</li>
     * </ul>
     * And every Deployment with a JDBC URL points at a database of the render.
     */
    public static List<String> databases(Manifests m) {
        List<String> problems = new ArrayList<>();
        List<Workload> all = workloads(m);
        Map<String, Map<String, Env>> serviceEnv = new TreeMap<>();
        for (Workload w : all) {
            if (!w.database() && !w.spec().getContainers().isEmpty()) {
                serviceEnv.put(w.name(), environment(m, w.spec().getContainers().get(0)));
            }
        }
        Set<String> usedUrls = new TreeSet<>();
        for (StatefulSet s : m.all(StatefulSet.class)) {
            String what = Manifests.describe(s);
            Map<String, String> podLabels = labels(s.getSpec().getTemplate().getMetadata().getLabels());
            String serviceName = s.getSpec().getServiceName();
            var service = serviceName == null ? java.util.Optional.<Service>empty() : m.find(Service.class, serviceName);
            if (service.isEmpty()) {
                problems.add(what + " serviceName " + serviceName + " is not a Service of the render");
            } else {
                var spec = service.get().getSpec();
                if (!"None".equals(spec.getClusterIP())) {
                    problems.add(what + " serviceName " + serviceName + " is not headless (clusterIP " + spec.getClusterIP()
                            + "), as a StatefulSet's governing Service must be");
                }
                if (labels(spec.getSelector()).isEmpty() || !podLabels.entrySet().containsAll(labels(spec.getSelector()).entrySet())) {
                    problems.add(what + " serviceName " + serviceName + " does not select its pods (selector "
                            + labels(spec.getSelector()) + ")");
                }
                if (spec.getPorts().stream().noneMatch(p -> p.getPort() == DATABASE_PORT)) {
                    problems.add(what + " Service " + serviceName + " has no port " + DATABASE_PORT);
                }
            }
            List<PersistentVolumeClaim> claims = s.getSpec().getVolumeClaimTemplates();
            if (claims.size() != 1) {
                problems.add(what + " has " + claims.size() + " volumeClaimTemplates, expected 1 for PGDATA");
            }
            List<Container> containers = s.getSpec().getTemplate().getSpec().getContainers();
            if (containers.size() != 1) {
                problems.add(what + " has " + containers.size() + " containers, expected 1 (PostgreSQL)");
                continue;
            }
            Container c = containers.get(0);
            Map<String, Env> env = environment(m, c);
            for (PersistentVolumeClaim claim : claims) {
                String claimName = claim.getMetadata().getName();
                var spec = claim.getSpec();
                if (!List.of("ReadWriteOnce").equals(spec.getAccessModes()) && !List.of("ReadWriteOncePod").equals(spec.getAccessModes())) {
                    problems.add(what + " volumeClaimTemplate " + claimName + " accessModes are " + spec.getAccessModes()
                            + ", expected [ReadWriteOnce] (one PostgreSQL per volume)");
                }
                Quantity storage = spec.getResources() == null ? null : labels(spec.getResources().getRequests()).get("storage");
                if (storage == null || storage.getNumericalAmount().signum() <= 0) {
                    problems.add(what + " volumeClaimTemplate " + claimName + " requests no storage");
                }
                var mount = c.getVolumeMounts().stream().filter(v -> claimName.equals(v.getName())).findFirst();
                if (mount.isEmpty()) {
                    problems.add(what + " container " + c.getName() + " does not mount its volumeClaimTemplate " + claimName);
                    continue;
                }
                String dir = mount.get().getMountPath().replaceAll("/+$", "");
                Env pgdata = env.get("PGDATA");
                String value = pgdata == null ? null : pgdata.value();
                if (value == null || !value.startsWith(dir + "/") || value.length() <= dir.length() + 1) {
                    problems.add(what + " PGDATA is " + value + ", expected a subdirectory of its volume " + claimName
                            + " at " + mount.get().getMountPath());
                }
            }
            Env user = env.get("POSTGRES_USER");
            Env password = env.get("POSTGRES_PASSWORD");
            Env database = env.get("POSTGRES_DB");
            for (var e : Map.of("POSTGRES_USER", Objects.requireNonNullElse(user, Env.NONE),
                    "POSTGRES_PASSWORD", Objects.requireNonNullElse(password, Env.NONE)).entrySet()) {
                if (e.getValue().secret() == null) {
                    problems.add(what + " " + e.getKey() + " is " + (e.getValue() == Env.NONE ? "not set" : "a literal value")
                            + ", expected a secretKeyRef");
                }
            }
            if (user != null && password != null && user.secret() != null && password.secret() != null
                    && !user.secretName().equals(password.secretName())) {
                problems.add(what + " takes POSTGRES_USER from " + user.secret() + " but POSTGRES_PASSWORD from " + password.secret()
                        + ", expected one Secret");
            }
            if (database == null || database.value() == null || database.value().isBlank()) {
                problems.add(what + " POSTGRES_DB is not set to a database name");
                continue;
            }
            String url = "jdbc:postgresql://" + serviceName + ":" + DATABASE_PORT + "/" + database.value();
            usedUrls.add(url);
            List<String> users = serviceEnv.entrySet().stream()
                    .filter(e -> e.getValue().containsKey("QUARKUS_DATASOURCE_JDBC_URL")
                            && sameDatabase(e.getValue().get("QUARKUS_DATASOURCE_JDBC_URL").value(), url))
                    .map(Map.Entry::getKey).toList();
            if (users.size() != 1) {
                problems.add(what + " is used by " + users.size() + " Deployments " + users + " (QUARKUS_DATASOURCE_JDBC_URL " + url
                        + "), expected exactly 1: a database per service");
            }
            Env appUser = env.get("APP_DB_USERNAME");
            Env appPassword = env.get("APP_DB_PASSWORD");
            for (var e : Map.of("APP_DB_USERNAME", Objects.requireNonNullElse(appUser, Env.NONE),
                    "APP_DB_PASSWORD", Objects.requireNonNullElse(appPassword, Env.NONE)).entrySet()) {
                if (e.getValue().secret() == null) {
                    problems.add(what + " " + e.getKey() + " (the runtime role) is " + (e.getValue() == Env.NONE ? "not set" : "a literal value")
                            + ", expected a secretKeyRef");
                }
            }
            if (user != null && user.secret() != null && appUser != null && appUser.secret() != null) {
                String owner = secretValue(m, user);
                if (user.secret().equals(appUser.secret()) || (owner != null && owner.equals(secretValue(m, appUser)))) {
                    problems.add(what + " APP_DB_USERNAME (" + appUser + ") is its owner POSTGRES_USER (" + user
                            + "): the runtime role must be another role");
                }
            }
            var init = c.getVolumeMounts().stream().filter(v -> INIT_DIR.equals(v.getMountPath().replaceAll("/+$", ""))).findFirst();
            var initVolume = init.flatMap(mount -> s.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .filter(v -> v.getName().equals(mount.getName()) && v.getConfigMap() != null).findFirst());
            var initScripts = initVolume.flatMap(v -> m.find(ConfigMap.class, v.getConfigMap().getName()))
                    .map(cm -> labels(cm.getData()).keySet()).orElse(Set.of());
            if (!initScripts.containsAll(INIT_SCRIPTS)) {
                problems.add(what + " mounts no ConfigMap with " + INIT_SCRIPTS + " at " + INIT_DIR
                        + " (found " + initScripts + "): nothing creates the runtime role");
            }
            for (String dep : users) {
                Map<String, Env> depEnv = serviceEnv.get(dep);
                Env datasourceUser = depEnv.get("QUARKUS_DATASOURCE_USERNAME");
                if (datasourceUser != null && user != null && datasourceUser.secret() != null
                        && (datasourceUser.secret().equals(user.secret())
                                || Objects.equals(secretValue(m, datasourceUser), secretValue(m, user)) && secretValue(m, user) != null)) {
                    problems.add("Deployment/" + dep + " connects as the owner of " + what + " (QUARKUS_DATASOURCE_USERNAME " + datasourceUser
                            + "): only Flyway may, the application connects as the runtime role (DML rights only)");
                }
                for (var pair : List.of(List.of("QUARKUS_DATASOURCE_USERNAME", "APP_DB_USERNAME"),
                        List.of("QUARKUS_DATASOURCE_PASSWORD", "APP_DB_PASSWORD"),
                        List.of("QUARKUS_FLYWAY_USERNAME", "POSTGRES_USER"),
                        List.of("QUARKUS_FLYWAY_PASSWORD", "POSTGRES_PASSWORD"))) {
                    Env mine = depEnv.get(pair.get(0));
                    Env its = env.get(pair.get(1));
                    String mineRef = mine == null ? null : mine.secret();
                    String itsRef = its == null ? null : its.secret();
                    if (mineRef == null || !mineRef.equals(itsRef)) {
                        problems.add("Deployment/" + dep + " " + pair.get(0) + " is " + (mine == null ? "not set" : mine)
                                + ", expected Secret " + itsRef + ", the " + pair.get(1) + " of " + what);
                    }
                }
            }
        }
        serviceEnv.forEach((dep, env) -> {
            Env url = env.get("QUARKUS_DATASOURCE_JDBC_URL");
            if (url != null && usedUrls.stream().noneMatch(u -> sameDatabase(url.value(), u))) {
                problems.add("Deployment/" + dep + " QUARKUS_DATASOURCE_JDBC_URL " + url + " names no database of the render " + usedUrls);
            }
        });
        return problems;
    }

    /** Where the postgres image runs its init scripts, and the scripts that create the runtime role (k8s/base/db-init). */
    static final String INIT_DIR = "/docker-entrypoint-initdb.d";
    static final Set<String> INIT_SCRIPTS = Set.of("app-role.sh", "app-role.psql");

    /** The value of a Secret key an environment variable reads, if the render holds it. */
    static String secretValue(Manifests m, Env env) {
        if (env == null || env.secretName() == null) {
            return null;
        }
        return m.find(Secret.class, env.secretName()).map(secret -> {
            String plain = labels(secret.getStringData()).get(env.secretKey());
            String encoded = labels(secret.getData()).get(env.secretKey());
            return plain != null ? plain
                    : encoded == null ? null : new String(java.util.Base64.getDecoder().decode(encoded), java.nio.charset.StandardCharsets.UTF_8);
        }).orElse(null);
    }

    /** Whether a JDBC URL names the database of {@code canonical} (jdbc:postgresql://host:5432/db), the port defaulting to 5432. */
    static boolean sameDatabase(String url, String canonical) {
        if (url == null) {
            return false;
        }
        Matcher a = JDBC_URL.matcher(url);
        Matcher b = JDBC_URL.matcher(canonical);
        return a.matches() && b.matches() && a.group(1).equals(b.group(1)) && a.group(3).equals(b.group(3))
                && Objects.requireNonNullElse(a.group(2), String.valueOf(DATABASE_PORT)).equals(b.group(2));
    }

    /** An environment variable: a value (literal or from a ConfigMap), or a Secret key. */
    public record Env(String value, String secretName, String secretKey) {
        static final Env NONE = new Env(null, null, null);

        /** "secret/key", or null for a value. */
        public String secret() {
            return secretName == null ? null : secretName + "/" + secretKey;
        }

        @Override
        public String toString() {
            return secretName != null ? "Secret " + secret() : String.valueOf(value);
        }
    }

    /** A container's environment as the kubelet builds it: envFrom ConfigMaps first, then env. */
    public static Map<String, Env> environment(Manifests m, Container c) {
        Map<String, Env> env = new TreeMap<>();
        for (EnvFromSource from : c.getEnvFrom()) {
            if (from.getConfigMapRef() != null) {
                m.find(ConfigMap.class, from.getConfigMapRef().getName()).ifPresent(cm ->
                        labels(cm.getData()).forEach((k, v) -> env.put(Objects.requireNonNullElse(from.getPrefix(), "") + k, new Env(v, null, null))));
            }
        }
        for (EnvVar e : c.getEnv()) {
            if (e.getValueFrom() == null) {
                env.put(e.getName(), new Env(e.getValue(), null, null));
            } else if (e.getValueFrom().getConfigMapKeyRef() != null) {
                var ref = e.getValueFrom().getConfigMapKeyRef();
                env.put(e.getName(), new Env(m.find(ConfigMap.class, ref.getName())
                        .map(cm -> labels(cm.getData()).get(ref.getKey())).orElse(null), null, null));
            } else if (e.getValueFrom().getSecretKeyRef() != null) {
                var ref = e.getValueFrom().getSecretKeyRef();
                env.put(e.getName(), new Env(null, ref.getName(), ref.getKey()));
            }
        }
        return env;
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The pod template of a Deployment (a service) or of a StatefulSet (a database), with the
     * StatefulSet's volumeClaimTemplates.
     */
    public record Workload(String kind, String name, Map<String, String> labels, PodSpec spec, List<PersistentVolumeClaim> claims) {
        public boolean database() {
            return "StatefulSet".equals(kind);
        }

        @Override
        public String toString() {
            return kind + "/" + name;
        }
    }

    /** The Deployments, then the StatefulSets. */
    public static List<Workload> workloads(Manifests m) {
        Stream<Workload> deployments = m.all(Deployment.class).stream().map(d -> new Workload("Deployment", d.getMetadata().getName(),
                labels(d.getSpec().getTemplate().getMetadata().getLabels()), d.getSpec().getTemplate().getSpec(), List.of()));
        Stream<Workload> statefulSets = m.all(StatefulSet.class).stream().map(s -> new Workload("StatefulSet", s.getMetadata().getName(),
                labels(s.getSpec().getTemplate().getMetadata().getLabels()), s.getSpec().getTemplate().getSpec(),
                s.getSpec().getVolumeClaimTemplates()));
        return Stream.concat(deployments, statefulSets).toList();
    }

    private static List<Container> containers(PodSpec spec) {
        return Stream.of(spec.getInitContainers(), spec.getContainers()).flatMap(Collection::stream).toList();
    }

    private static boolean hasPort(Container c, IntOrString port) {
        if (port == null) {
            return false;
        }
        return c.getPorts().stream().anyMatch(p -> port.getIntVal() != null
                ? port.getIntVal().equals(p.getContainerPort())
                : port.getStrVal() != null && port.getStrVal().equals(p.getName()));
    }

    private static List<String> ports(Container c) {
        return c.getPorts().stream().map(p -> p.getName() + "/" + p.getContainerPort()).toList();
    }

    private static List<String> ports(Workload w) {
        return w.spec().getContainers().stream().flatMap(c -> ports(c).stream()).toList();
    }

    private static String show(IntOrString value) {
        return value == null ? "null" : String.valueOf(value.getIntVal() != null ? value.getIntVal() : value.getStrVal());
    }

    static String show(LabelSelector selector) {
        if (selector == null) {
            return "{}";
        }
        Stream<String> labels = new TreeMap<>(labels(selector.getMatchLabels())).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue());
        Stream<String> expressions = selector.getMatchExpressions().stream()
                .map(r -> r.getKey() + " " + r.getOperator() + " " + r.getValues());
        String text = Stream.concat(labels, expressions).collect(Collectors.joining(","));
        return text.isEmpty() ? "{}" : text;
    }

    private static <V> Map<String, V> labels(Map<String, V> map) {
        return map == null ? Map.of() : map;
    }
}
