package dev.accesstoken.gateway.service;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.accesstoken.chassis.model.Identity;
import dev.accesstoken.chassis.security.Audit;
import dev.accesstoken.chassis.security.TokenExchange;
import dev.accesstoken.gateway.config.GatewayConfig;
import dev.accesstoken.gateway.model.TokenResponse;
import dev.accesstoken.gateway.security.TokenIssuer;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.mutiny.Uni;

/**
 * Token exchange (RFC 8693): a service trades the user's token it received for one meant for its next hop
 * only. The client authenticates; the subject token must be valid, issued to that client, a user's, and not
 * exchanged before; the audience must be the client's configured one. The result keeps sub, upn and groups,
 * names the client in {@code act}, and never outlives the subject token.
 */
@ApplicationScoped
public class TokenExchangeService implements TokenExchange {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final Set<String> SUBJECT_TOKEN_TYPES = Set.of(TokenResponse.ACCESS_TOKEN_TYPE,
            "urn:ietf:params:oauth:token-type:jwt");

    /** What an exchange request came to: a token, or an OAuth error (RFC 8693, section 2.2.2). */
    public sealed interface Outcome {
        record Issued(TokenResponse token) implements Outcome {
        }

        record Refused(String error, String description) implements Outcome {
        }
    }

    private final JWTParser parser;
    private final TokenIssuer issuer;
    private final ClientCredentialsService clients;
    private final Audit audit;
    private final String self;

    public TokenExchangeService(JWTParser parser, TokenIssuer issuer, ClientCredentialsService clients, Audit audit,
            @ConfigProperty(name = "quarkus.application.name") String self) {
        this.parser = parser;
        this.issuer = issuer;
        this.clients = clients;
        this.audit = audit;
        this.self = self;
    }

    /** The token endpoint's grant: checks the client's secret (SHA-256) and verifies the subject token. */
    public Outcome exchange(String clientId, String secret, String subjectToken, String subjectTokenType, String audience) {
        GatewayConfig.Client client = clients.authenticate(clientId, secret).orElse(null);
        if (client == null) {
            return refused(clientId, "invalid_client", "Unknown client or wrong secret");
        }
        if (subjectToken == null || subjectToken.isBlank() || !SUBJECT_TOKEN_TYPES.contains(subjectTokenType)) {
            return refused(clientId, "invalid_request", "subject_token and subject_token_type (an access token) are required");
        }
        if (!client.audience().equals(audience)) {
            return refused(clientId, "invalid_target", "This client may exchange for audience " + client.audience() + " only");
        }
        JsonWebToken subject;
        try {
            subject = parser.parse(subjectToken);
        } catch (ParseException e) {
            return refused(clientId, "invalid_request", "subject_token is not a valid access token");
        }
        if (!subject.getAudience().contains(clientId)) {
            return refused(clientId, "invalid_request", "subject_token was not issued to this client");
        }
        if (Identity.actor(subject) != null || subject.getGroups().contains(TokenIssuer.SERVICE_ROLE)) {
            return refused(clientId, "invalid_request", "Only a user's own token can be exchanged");
        }
        audit.record("token.exchanged", subject.getName(), "per-hop token",
                Map.of("actor", clientId, "audience", audience));
        return new Outcome.Issued(issuer.issueExchanged(subject, clientId, audience));
    }

    /** The gateway's own next hop in exchange mode (customer-service for /api/customers/me): minted here. */
    @Override
    public Uni<String> exchange(JsonWebToken caller, String audience) {
        return Uni.createFrom().item(() -> issuer.issueExchanged(caller, self, audience).accessToken());
    }

    private Outcome refused(String clientId, String error, String description) {
        audit.record("exchange.refused", clientId, description, Map.of("error", error));
        return new Outcome.Refused(error, description);
    }
}
