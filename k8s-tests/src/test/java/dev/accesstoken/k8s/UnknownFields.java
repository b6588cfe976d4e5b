package dev.accesstoken.k8s;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model object of this project's own (a kind fabric8 does not model) that keeps the fields it does not know in
 * {@code additionalProperties}, as fabric8's do, so that {@link Manifests#unknownFields} reports them. Not a
 * KubernetesResource itself: fabric8 would read such a nested object as a RawExtension by its (missing) kind.
 */
public abstract class UnknownFields {

    @JsonIgnore
    private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) {
        additionalProperties.put(name, value);
    }
}
