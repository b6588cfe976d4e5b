package dev.accesstoken.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The documents of one render, read strictly into the fabric8 Kubernetes model.
 *
 * <p>Jackson fails on a value of the wrong type; fabric8 keeps a field it does not know in the
 * object's {@code additionalProperties} instead of failing, so {@link #parse} walks every object
 * graph and fails on any such field, naming its path. A kind fabric8 does not know (it would become
 * a {@link GenericKubernetesResource}) fails too.
 */
public record Manifests(List<HasMetadata> objects) {

    static final KubernetesSerialization SERIALIZATION = serialization();

    /** fabric8's model, plus the one custom kind the project renders (monitoring overlay). */
    private static KubernetesSerialization serialization() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        serialization.registerKubernetesResource(ServiceMonitor.class);
        return serialization;
    }

    public Manifests {
        objects = List.copyOf(objects);
    }

    /** Reads a (multi-document) YAML render; throws {@link InvalidManifestException} on anything loose. */
    public static Manifests parse(String yaml) {
        Object parsed;
        try {
            parsed = SERIALIZATION.unmarshal(yaml);
        } catch (RuntimeException e) {
            throw new InvalidManifestException("Not valid Kubernetes YAML: " + e.getMessage(), e);
        }
        List<?> documents = parsed instanceof List<?> list ? list : parsed == null ? List.of() : List.of(parsed);
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Object document : documents) {
            if (document == null) {
                continue;
            }
            if (!(document instanceof HasMetadata object) || document instanceof GenericKubernetesResource) {
                String kind = document instanceof HasMetadata h ? h.getApiVersion() + " " + h.getKind() : document.getClass().getName();
                problems.add("Unknown kind " + kind + " (not in the fabric8 Kubernetes model)");
                continue;
            }
            unknownFields(object).forEach(path -> problems.add(describe(object) + ": unknown field " + path));
            objects.add(object);
        }
        if (!problems.isEmpty()) {
            throw new InvalidManifestException(String.join("\n", problems));
        }
        return new Manifests(objects);
    }

    /** Paths (like spec.template.spec.containers[0].securityContex) of fields fabric8 did not know. */
    public static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || value instanceof CharSequence || value instanceof Number
                || value instanceof Boolean || value instanceof Enum<?> || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", found, seen);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> walk(element, join(path, String.valueOf(key)), found, seen));
        } else if (value instanceof KubernetesResource || value instanceof UnknownFields
                || value.getClass().getName().startsWith("io.fabric8.")) {
            for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    field.setAccessible(true);
                    Object fieldValue;
                    try {
                        fieldValue = field.get(value);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                    if (field.getName().equals("additionalProperties")) {
                        if (fieldValue instanceof Map<?, ?> extra) {
                            new TreeSet<>(extra.keySet().stream().map(String::valueOf).toList())
                                    .forEach(key -> found.add(join(path, key)));
                        }
                    } else {
                        walk(fieldValue, join(path, field.getName()), found, seen);
                    }
                }
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** "Kind/name", for messages. */
    public static String describe(HasMetadata object) {
        return object.getKind() + "/" + (object.getMetadata() == null ? "?" : object.getMetadata().getName());
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new IllegalArgumentException("No " + type.getSimpleName() + " " + name));
    }

    /** A deep copy, for tests that break it. */
    public Manifests copy() {
        return new Manifests(objects.stream().map(SERIALIZATION::clone).toList());
    }

    /** A copy without the objects of this type and name. */
    public Manifests without(Class<? extends HasMetadata> type, String name) {
        return new Manifests(objects.stream()
                .filter(o -> !(type.isInstance(o) && name.equals(o.getMetadata().getName())))
                .toList());
    }

    /** A render that is not strictly valid. */
    public static final class InvalidManifestException extends RuntimeException {
        InvalidManifestException(String message) {
            super(message);
        }

        InvalidManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
