package dev.accesstoken.gateway.config;

import java.util.Map;
import java.util.Set;

import io.smallrye.config.ConfigMapping;

/** The users who may log in, keyed by username. Passwords are kept only as bcrypt hashes. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    Map<String, User> users();

    interface User {
        /** A bcrypt hash ($2a$), never the password itself. */
        String passwordHash();

        Set<String> roles();
    }
}
