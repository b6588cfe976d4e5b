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
public record Identity(String subject, String username, List<String> groups, String tokenId, List<String> audience,
        String actor) {

    public static Identity of(JsonWebToken jwt) {
        return new Identity(jwt.getSubject(), jwt.getName(), sorted(jwt.getGroups()), jwt.getTokenID(),
                sorted(jwt.getAudience()), actor(jwt));
    }

    /** {@code act.sub} of an exchanged token (RFC 8693, section 4.1): the service acting for the subject; else null. */
    public static String actor(JsonWebToken jwt) {
        Object act = jwt.getClaim("act");
        if (act instanceof jakarta.json.JsonObject json && json.get("sub") instanceof jakarta.json.JsonString sub) {
            return sub.getString();
        }
        return null;
    }

    private static List<String> sorted(Set<String> values) {
        return values == null ? List.of() : values.stream().sorted().toList();
    }
}
