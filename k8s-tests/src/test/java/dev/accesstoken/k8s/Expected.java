package dev.accesstoken.k8s;

import java.util.Map;
import java.util.Set;

/**
 * What one render must contain beyond what holds for all of them: the services' image tag and user,
 * the databases' image, the connections the NetworkPolicies allow, and the Secret keys each workload
 * reads (see {@link ManifestChecks#secretAccess}).
 */
public record Expected(String imageTag, long runAsUser, String databaseImage, Set<Flow> flows,
                       Map<String, Set<String>> secrets) {
}
