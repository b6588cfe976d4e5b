package dev.accesstoken.chassis.model;

import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The caller as one service saw it, for the {@code /trace} endpoints.
 * Registered for reflection (Jackson in a native image): it only appears as a generic argument
 * ({@code Map<String, Identity>}), never as a method's own return or parameter type.
 */
@RegisterForReflection
public record Identity(String subject, String username, List<String> groups, String tokenId, List<String> audience) {

    public static Identity of(JsonWebToken jwt) {
        return new Identity(jwt.getSubject(), jwt.getName(), sorted(jwt.getGroups()), jwt.getTokenID(),
                sorted(jwt.getAudience()));
    }

    private static List<String> sorted(Set<String> values) {
        return values == null ? List.of() : values.stream().sorted().toList();
    }
}
