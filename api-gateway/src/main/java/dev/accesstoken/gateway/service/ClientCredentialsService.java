package dev.accesstoken.gateway.service;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.security.ClientSecrets;
import dev.accesstoken.gateway.security.TokenIssuer;

/**
 * The client-credentials grant (RFC 6749, section 4.4): a service authenticates as itself and gets a short
 * token for the one audience configured for it, for work that no user asked for.
 */
@ApplicationScoped
public class ClientCredentialsService {

    private final GatewayConfig config;
    private final ClientSecrets secrets;
    private final TokenIssuer issuer;

    public ClientCredentialsService(GatewayConfig config, ClientSecrets secrets, TokenIssuer issuer) {
        this.config = config;
        this.secrets = secrets;
        this.issuer = issuer;
    }

    public Optional<TokenResponse> token(String clientId, String secret) {
        return authenticate(clientId, secret)
                .map(client -> issuer.issueForService(clientId, client.audience(), config.clientTokenLifespan()));
    }

    /** The client, if the secret is its own (SHA-256, compared in constant time; a decoy for unknown ids). */
    public Optional<GatewayConfig.Client> authenticate(String clientId, String secret) {
        GatewayConfig.Client client = config.clients().get(clientId);
        return secrets.matches(secret, client == null ? null : client.secretHash()) ? Optional.of(client) : Optional.empty();
    }
}
