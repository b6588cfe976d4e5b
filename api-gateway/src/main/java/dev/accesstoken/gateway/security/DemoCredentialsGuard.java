package dev.accesstoken.gateway.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.accesstoken.gateway.config.GatewayConfig;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;

/**
 * In the prod profile without the demo profile, refuses to start when a configured user's hash verifies one of
 * the published demo passwords, or a client's hash is that of the demo client secret: such a deployment would let
 * anyone log in as admin. The check costs a few bcrypt runs, once, at start-up.
 */
@ApplicationScoped
public class DemoCredentialsGuard {

    /** The demo passwords of the README and the console; checked against every user, whatever its name. */
    static final List<String> DEMO_PASSWORDS = List.of("alice", "bob", "admin");
    static final String DEMO_CLIENT_SECRET = "order-service-secret";

    void onStart(@Observes StartupEvent event, GatewayConfig config) {
        Map<String, String> users = new TreeMap<>();
        config.users().forEach((name, user) -> users.put(name, user.passwordHash()));
        Map<String, String> clients = new TreeMap<>();
        config.clients().forEach((id, client) -> clients.put(id, client.secretHash()));
        check(activeProfiles(), users, clients);
    }

    /** The active profiles, parents included (the test profile's parent is demo). */
    public static List<String> activeProfiles() {
        return ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getProfiles();
    }

    /** Whether the demo profile is on, directly or as a parent: then the demo users are expected. */
    public static boolean demo(Collection<String> profiles) {
        return profiles.contains("demo");
    }

    /**
     * Throws when {@code profiles} has prod but not demo, and a configured secret is a demo one.
     *
     * @param userHashes bcrypt hash by username
     * @param clientHashes SHA-256 hex by client id
     */
    public static void check(Collection<String> profiles, Map<String, String> userHashes, Map<String, String> clientHashes) {
        if (!profiles.contains("prod") || demo(profiles)) {
            return;
        }
        List<String> found = new ArrayList<>();
        new TreeMap<>(userHashes).forEach((name, hash) -> {
            if (DEMO_PASSWORDS.stream().anyMatch(password -> verifies(password, hash))) {
                found.add("gateway.users." + name + ".password-hash verifies a demo password");
            }
        });
        String demoClientHash = ClientSecrets.sha256Hex(DEMO_CLIENT_SECRET);
        new TreeMap<>(clientHashes).forEach((id, hash) -> {
            if (demoClientHash.equalsIgnoreCase(hash)) {
                found.add("gateway.clients." + id + ".secret-hash is that of the demo client secret");
            }
        });
        if (!found.isEmpty()) {
            throw new IllegalStateException("Refusing to start with demo credentials in the prod profile: "
                    + String.join("; ", found) + ". Generate real ones with k8s/generate-secrets.sh (random passwords "
                    + "and client secret; see k8s/README.md), or run the demo on purpose with QUARKUS_PROFILE=prod,demo.");
        }
    }

    private static boolean verifies(String password, String hash) {
        try {
            return BcryptUtil.matches(password, hash);
        } catch (RuntimeException notBcrypt) {
            return false; // SecretHashes reports a malformed hash by name.
        }
    }
}
