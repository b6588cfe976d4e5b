package dev.accesstoken.order.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page of orders ends: the (createdAt, id) of its last order, the sort key of every listing.
 * Opaque to callers: base64url of {@code <epoch seconds>.<nanos>:<id>}.
 */
public record OrderCursor(Instant createdAt, String id) {

    public static OrderCursor after(Order last) {
        return new OrderCursor(last.createdAt(), last.id());
    }

    public String encode() {
        String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Empty for anything this service did not write. */
    public static Optional<OrderCursor> decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            int dot = raw.indexOf('.');
            if (dot <= 0 || colon <= dot + 1 || colon == raw.length() - 1 || raw.length() > 100) {
                return Optional.empty();
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(raw.substring(0, dot)),
                    Integer.parseInt(raw.substring(dot + 1, colon)));
            return Optional.of(new OrderCursor(at, raw.substring(colon + 1)));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
