package dev.accesstoken.gateway.security;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;
import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * Checks passwords against their bcrypt hashes (client secrets: {@link ClientSecrets}). Every configured hash is checked at
 * start-up, and an unknown name is compared against a decoy hash at the highest configured cost, so that
 * the answer time does not tell which usernames exist.
 */
@ApplicationScoped
public class SecretHashes {

    private static final Pattern BCRYPT = Pattern.compile("\\$2a\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private final String decoyHash;

    public SecretHashes(GatewayConfig config) {
        Map<String, String> hashes = new LinkedHashMap<>();
        config.users().forEach((name, user) -> hashes.put("gateway.users." + name + ".password-hash", user.passwordHash()));
        int highestCost = 10;
        for (Map.Entry<String, String> hash : hashes.entrySet()) {
            Matcher bcrypt = BCRYPT.matcher(hash.getValue());
            if (!bcrypt.matches()) {
                // Fail at start-up rather than answer 500 at the first use of that hash.
                throw new IllegalStateException(hash.getKey() + " is not a bcrypt hash of the form $2a$NN$...");
            }
            highestCost = Math.max(highestCost, Integer.parseInt(bcrypt.group(1)));
        }
        this.decoyHash = BcryptUtil.bcryptHash("decoy-secret-never-matches", highestCost);
    }

    /** Runs bcrypt, so it must be called on a worker thread. A null hash (unknown name) costs the same and never matches. */
    public boolean matches(String secret, String hashOrNull) {
        boolean matches = BcryptUtil.matches(secret, hashOrNull == null ? decoyHash : hashOrNull);
        return hashOrNull != null && matches;
    }
}
