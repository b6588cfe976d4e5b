package dev.accesstoken.chassis.rest;

import java.util.UUID;
import java.util.regex.Pattern;

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
    private static final Pattern PLAUSIBLE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    /** Before matching and before authentication, so that a refused token's audit line carries the id. */
    @ServerRequestFilter(preMatching = true)
    public void assign(ContainerRequestContext request) {
        String id = request.getHeaderString(HEADER);
        if (id == null || !PLAUSIBLE.matcher(id).matches()) {
            id = UUID.randomUUID().toString();
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

    /** The id of the request being served on this thread, if any. */
    public static String current() {
        return MDC.get(MDC_KEY) instanceof String id ? id : null;
    }
}
