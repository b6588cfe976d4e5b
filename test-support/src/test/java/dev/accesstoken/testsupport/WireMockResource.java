package dev.accesstoken.testsupport;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stands in for a downstream service: starts WireMock on a free port and points the REST client
 * named by the {@code client} init arg ({@code quarkus.rest-client.<client>.url}) at it, or, with the
 * init arg {@code property}, that property instead (such as {@code quarkus.oidc-client.auth-server-url}).
 * A test gets the server through a field annotated {@code @InjectWireMock("<client>")}.
 */
public class WireMockResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectWireMock {
        /** The REST client config key this server stands in for. */
        String value();
    }

    private WireMockServer server;
    private String client;
    private String property;

    @Override
    public void init(Map<String, String> initArgs) {
        client = initArgs.get("client");
        if (client == null) {
            throw new IllegalArgumentException("WireMockResource needs the init arg 'client'");
        }
        property = initArgs.getOrDefault("property", "quarkus.rest-client." + client + ".url");
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        return Map.of(property, server.baseUrl());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server, field -> field.getType() == WireMockServer.class
                && field.isAnnotationPresent(InjectWireMock.class)
                && field.getAnnotation(InjectWireMock.class).value().equals(client));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
