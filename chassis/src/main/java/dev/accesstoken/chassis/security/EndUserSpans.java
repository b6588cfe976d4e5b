package dev.accesstoken.chassis.security;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.opentelemetry.api.trace.Span;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts the caller's {@code sub} on the request's server span as {@code enduser.id} (OpenTelemetry semantic
 * conventions), and nothing else of the token. Authentication is lazy here ({@code quarkus.http.auth.proactive=false}):
 * it happens when an endpoint's security check needs the identity, so this only reads an identity that is already
 * there and never triggers authentication itself. After matching, the security checks of the endpoint have run; the
 * response filter catches an identity established later, inside the endpoint.
 */
public class EndUserSpans {

    public static final String ENDUSER_ID = "enduser.id";

    @ServerRequestFilter
    public void afterAuthentication(RoutingContext routing) {
        tag(routing);
    }

    @ServerResponseFilter
    public void beforeAnswer(RoutingContext routing) {
        tag(routing);
    }

    static void tag(RoutingContext routing) {
        Span span = Span.current();
        if (!span.isRecording()) {
            return; // no SDK, or not sampled: the attribute would be dropped, so do not look for the identity
        }
        if (routing != null && routing.user() instanceof QuarkusHttpUser user
                && user.getSecurityIdentity().getPrincipal() instanceof JsonWebToken jwt && jwt.getSubject() != null) {
            span.setAttribute(ENDUSER_ID, jwt.getSubject());
        }
    }
}
