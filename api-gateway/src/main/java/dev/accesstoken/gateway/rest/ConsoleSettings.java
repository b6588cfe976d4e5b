package dev.accesstoken.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.accesstoken.gateway.security.DemoCredentialsGuard;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code GET /console/settings.json}: what the web console needs to know about this server, today only whether the
 * demo profile is on (then, and only then, it shows the demo users). A plain Vert.x route beside the console's
 * static files, under their Content-Security-Policy; answered on the event loop, since it only reads a flag.
 */
@ApplicationScoped
public class ConsoleSettings {

    static final String PATH = "/console/settings.json";

    void route(@Observes Router router) {
        String body = new JsonObject().put("demo", DemoCredentialsGuard.demo(DemoCredentialsGuard.activeProfiles())).encode();
        router.get(PATH).handler(rc -> rc.response().putHeader("Content-Type", "application/json").end(body));
    }
}
