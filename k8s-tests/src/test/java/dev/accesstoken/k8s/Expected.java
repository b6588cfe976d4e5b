package dev.accesstoken.k8s;

import java.util.Set;

/** What one render must contain beyond what holds for all of them. */
public record Expected(String imageTag, long runAsUser, Set<Flow> flows) {
}
