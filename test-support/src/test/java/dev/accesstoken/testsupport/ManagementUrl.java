package dev.accesstoken.testsupport;

import java.net.URI;
import java.net.URL;

/**
 * A URL on the service's management interface (health, metrics). Under {@code @QuarkusTest} the injected
 * {@code @TestHTTPResource(management = true)} URL is right; under {@code @QuarkusIntegrationTest} Quarkus does not
 * know the launched artifact's management port, so the build reserves one (build-helper, {@code it.management.port})
 * and passes it both to the artifact and, as a system property, to the tests: this puts it in the URL.
 */
public final class ManagementUrl {

    private ManagementUrl() {
    }

    public static URL of(URL injected) {
        String port = System.getProperty("it.management.port");
        if (port == null || port.isBlank()) {
            return injected;
        }
        try {
            URI uri = injected.toURI();
            return new URI(uri.getScheme(), null, uri.getHost(), Integer.parseInt(port), uri.getPath(), uri.getQuery(), null).toURL();
        } catch (Exception e) {
            throw new IllegalStateException("Not a URL: " + injected, e);
        }
    }
}
