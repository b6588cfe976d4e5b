package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Version;

import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1), the fields this project uses, for strict
 * reading: fabric8's own model of it is not to be had here, so this one keeps any other field in
 * {@code additionalProperties}, where {@link Manifests#unknownFields} finds and reports it, as for every other kind.
 */
@Group("monitoring.coreos.com")
@Version("v1")
@Kind("ServiceMonitor")
public class ServiceMonitor extends UnknownFields implements HasMetadata, Namespaced {

    private String apiVersion = "monitoring.coreos.com/v1";
    private String kind = "ServiceMonitor";
    private ObjectMeta metadata;
    private Spec spec;

    @Override
    public String getApiVersion() {
        return apiVersion;
    }

    @Override
    public void setApiVersion(String apiVersion) {
        this.apiVersion = apiVersion;
    }

    @Override
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    @Override
    public ObjectMeta getMetadata() {
        return metadata;
    }

    @Override
    public void setMetadata(ObjectMeta metadata) {
        this.metadata = metadata;
    }

    public Spec getSpec() {
        return spec;
    }

    public void setSpec(Spec spec) {
        this.spec = spec;
    }

    public static class Spec extends UnknownFields {
        private LabelSelector selector;
        private NamespaceSelector namespaceSelector;
        private List<Endpoint> endpoints = new ArrayList<>();
        private String jobLabel;

        public LabelSelector getSelector() {
            return selector;
        }

        public void setSelector(LabelSelector selector) {
            this.selector = selector;
        }

        public NamespaceSelector getNamespaceSelector() {
            return namespaceSelector;
        }

        public void setNamespaceSelector(NamespaceSelector namespaceSelector) {
            this.namespaceSelector = namespaceSelector;
        }

        public List<Endpoint> getEndpoints() {
            return endpoints;
        }

        public void setEndpoints(List<Endpoint> endpoints) {
            this.endpoints = endpoints;
        }

        public String getJobLabel() {
            return jobLabel;
        }

        public void setJobLabel(String jobLabel) {
            this.jobLabel = jobLabel;
        }
    }

    public static class NamespaceSelector extends UnknownFields {
        private Boolean any;
        private List<String> matchNames = new ArrayList<>();

        public Boolean getAny() {
            return any;
        }

        public void setAny(Boolean any) {
            this.any = any;
        }

        public List<String> getMatchNames() {
            return matchNames;
        }

        public void setMatchNames(List<String> matchNames) {
            this.matchNames = matchNames;
        }
    }

    /** One scrape endpoint: a named port of the selected Services, and the path on it. */
    public static class Endpoint extends UnknownFields {
        private String port;
        private String path;
        private String scheme;
        private String interval;
        private String scrapeTimeout;

        public String getPort() {
            return port;
        }

        public void setPort(String port) {
            this.port = port;
        }

        public String getPath() {
            return path;
        }

        public void setPath(String path) {
            this.path = path;
        }

        public String getScheme() {
            return scheme;
        }

        public void setScheme(String scheme) {
            this.scheme = scheme;
        }

        public String getInterval() {
            return interval;
        }

        public void setInterval(String interval) {
            this.interval = interval;
        }

        public String getScrapeTimeout() {
            return scrapeTimeout;
        }

        public void setScrapeTimeout(String scrapeTimeout) {
            this.scrapeTimeout = scrapeTimeout;
        }
    }
}
