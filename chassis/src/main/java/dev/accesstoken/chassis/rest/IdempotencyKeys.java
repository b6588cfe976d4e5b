package dev.accesstoken.chassis.rest;

import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.core.HttpHeaders;

/** The {@code Idempotency-Key} request header of the IETF httpapi draft: 1 to 255 visible ASCII characters. */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern FORMAT = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private IdempotencyKeys() {
    }

    /**
     * @return the key, or null if the request has none
     * @throws BadRequestException (400 problem+json) if it is malformed, empty, or sent more than once
     */
    public static String of(HttpHeaders headers) {
        return of(headers.getRequestHeader(HEADER));
    }

    /** The same, from the header's values as received (null or empty: no header). */
    public static String of(List<String> keys) {
        if (keys == null || keys.isEmpty()) {
            return null;
        }
        if (keys.size() > 1 || keys.get(0) == null || !FORMAT.matcher(keys.get(0)).matches()) {
            throw new BadRequestException(HEADER + " must be one header of 1 to 255 visible ASCII characters");
        }
        return keys.get(0);
    }
}
