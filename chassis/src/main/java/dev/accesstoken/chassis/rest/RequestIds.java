package dev.accesstoken.chassis.rest;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * One request id per call chain: taken from {@code X-Request-Id} when the caller (the Ingress, or the hop
 * before) sent a plausible one, made up otherwise; put in the logging MDC, answered in the response, and
 * passed on to the next hop with the token ({@code BearerTokenPropagation}).
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 64;

    /** Before matching and before authentication, so that a refused token's audit line carries the id. */
    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String id = request.getHeaderString(HEADER);
        if (!plausible(id)) {
            id = newId();
        }
        MDC.put(MDC_KEY, id);
        request.setProperty(MDC_KEY, id);
    }

    @ServerResponseFilter
    public void answer(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(MDC_KEY) instanceof String id) {
            response.getHeaders().putSingle(HEADER, id);
        }
    }

    /**
     * {@code [A-Za-z0-9._-]{8,64}}: what can go into a log line and a response header as it is. A loop rather than
     * a regex: this runs on every request of every hop, and a matcher allocates.
     */
    static boolean plausible(String id) {
        if (id == null || id.length() < MIN_LENGTH || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * A random (version 4) UUID from {@link ThreadLocalRandom}. The id only correlates log lines, and callers may
     * choose it themselves, so it is no secret: {@link UUID#randomUUID()}'s SecureRandom would cost more for nothing.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong() & ~0xF000L | 0x4000L; // version 4
        long low = random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /** The id of the request being served on this thread, if any. */
    public static String current() {
        return MDC.get(MDC_KEY) instanceof String id ? id : null;
    }
}
