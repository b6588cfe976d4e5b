package dev.accesstoken.gateway.config;

import java.util.Map;
import java.util.Set;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Who may get a token: users by password, services by client credentials. Secrets are kept only as bcrypt hashes. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** The users who may log in, keyed by username. */
    Map<String, User> users();

    /** The services that may use the client-credentials grant, keyed by client id. */
    Map<String, Client> clients();

    /** Lifetime of a service token in seconds: short, since nobody can revoke it. */
    @WithDefault("300")
    @Positive
    @Max(300)
    long clientTokenLifespan();

    interface User {
        /** A bcrypt hash ($2a$), never the password itself. */
        String passwordHash();

        Set<String> roles();
    }

    interface Client {
        /** A bcrypt hash ($2a$) of the client secret. */
        String secretHash();

        /** The one audience its tokens carry: the only service that accepts them. */
        String audience();
    }
}
