package dev.accesstoken.chassis.model;

import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The caller as one service saw it, for the {@code /trace} endpoints.
 * Registered for reflection (Jackson in a native image): it only appears as a generic argument
 * ({@code Map<String, Identity>}), never as a method's own return or parameter type.
 */
@RegisterForReflection
@Schema(name = "Identity", description = "The caller as one service saw it in the token it received")
public record Identity(
        @Schema(description = "sub", example = "alice") String subject,
        @Schema(description = "upn", example = "alice") String username,
        @Schema(description = "groups: the roles", example = "[\"user\"]") List<String> groups,
        @Schema(description = "jti: the same at every hop when the token is forwarded",
                example = "9f2c2d4e-5b7a-4c1e-9d0f-2a6b8c3e1f47") String tokenId,
        @Schema(description = "aud", example = "[\"customer-service\", \"order-service\"]") List<String> audience,
        @Schema(description = "act.sub of an exchanged token: the service acting for the subject; else null",
                nullable = true, example = "null") String actor) {

    public static Identity of(JsonWebToken jwt) {
        return new Identity(jwt.getSubject(), jwt.getName(), sorted(jwt.getGroups()), jwt.getTokenID(),
                sorted(jwt.getAudience()), actor(jwt));
    }

    /** {@code act.sub} of an exchanged token (RFC 8693, section 4.1): the service acting for the subject; else null. */
    public static String actor(JsonWebToken jwt) {
        // Asked only when present: SmallRye looks a claim name up with Claims.valueOf, which builds (and drops) an
        // exception with its stack for every name outside the enum, such as act: 4% of a hop's allocation.
        Set<String> names = jwt.getClaimNames();
        if (names == null || !names.contains("act")) {
            return null;
        }
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
