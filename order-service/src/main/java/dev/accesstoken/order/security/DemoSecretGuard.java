package dev.accesstoken.order.security;

import java.util.Collection;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;

/**
 * In the prod profile without the demo profile, refuses to start with the demo client secret: the gateway of a
 * real deployment must not accept it, and a service that sends it is misconfigured.
 */
@ApplicationScoped
public class DemoSecretGuard {

    static final String DEMO_CLIENT_SECRET = "order-service-secret";

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "quarkus.oidc-client.credentials.secret") Optional<String> secret) {
        check(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getProfiles(), secret);
    }

    /** Throws when {@code profiles} has prod but not demo, and the client secret is the demo one. */
    public static void check(Collection<String> profiles, Optional<String> secret) {
        if (profiles.contains("prod") && !profiles.contains("demo") && secret.filter(DEMO_CLIENT_SECRET::equals).isPresent()) {
            throw new IllegalStateException("Refusing to start with the demo client secret in the prod profile: set "
                    + "QUARKUS_OIDC_CLIENT_CREDENTIALS_SECRET to order-service's real secret (k8s/generate-secrets.sh writes "
                    + "a random one into the Secret order-service-client; see k8s/README.md), or run the demo on purpose "
                    + "with QUARKUS_PROFILE=prod,demo.");
        }
    }
}
