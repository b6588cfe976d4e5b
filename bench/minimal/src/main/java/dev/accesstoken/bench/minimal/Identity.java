package dev.accesstoken.bench.minimal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * BENCHMARK ONLY. The same JSON as the chassis's {@code Identity}: the claims of the bearer token, read from its
 * payload without verifying anything (no security here), so the bytes on the wire match the real chain's.
 */
public record Identity(String subject, String username, List<String> groups, String tokenId, List<String> audience,
        String actor) {

    static Identity of(String authorization, ObjectMapper json) {
        try {
            String token = authorization.substring("Bearer ".length());
            int start = token.indexOf('.') + 1;
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(token.substring(start, token.indexOf('.', start))));
            String subject = text(claims, "sub");
            String username = claims.hasNonNull("upn") ? text(claims, "upn")
                    : claims.hasNonNull("preferred_username") ? text(claims, "preferred_username") : subject;
            return new Identity(subject, username, sorted(claims.get("groups")), text(claims, "jti"),
                    sorted(claims.get("aud")), claims.path("act").hasNonNull("sub") ? claims.path("act").get("sub").asText() : null);
        } catch (Exception e) {
            throw new jakarta.ws.rs.NotAuthorizedException("Bearer");
        }
    }

    private static String text(JsonNode claims, String name) {
        return claims.hasNonNull(name) ? claims.get(name).asText() : null;
    }

    private static List<String> sorted(JsonNode values) {
        List<String> out = new ArrayList<>();
        if (values != null && values.isArray()) {
            values.forEach(v -> out.add(v.asText()));
        } else if (values != null && !values.isNull()) {
            out.add(values.asText());
        }
        out.sort(null);
        return out;
    }
}
