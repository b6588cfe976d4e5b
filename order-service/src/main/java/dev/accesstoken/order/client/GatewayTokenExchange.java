package dev.accesstoken.order.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.accesstoken.chassis.model.Problem;
import dev.accesstoken.chassis.rest.ProblemException;
import dev.accesstoken.chassis.security.TokenDigest;
import dev.accesstoken.chassis.security.TokenExchange;
import io.quarkus.oidc.client.NamedOidcClient;
import io.quarkus.oidc.client.OidcClient;
import io.smallrye.mutiny.Uni;

/**
 * Exchange mode: trades the user's token for one meant for customer-service alone, at the gateway's token
 * endpoint (RFC 8693 grant, order-service's client credentials; quarkus-oidc-client, client "exchange"). The
 * result is kept per (user token, audience) until shortly before it expires, so a user's burst of calls
 * costs one exchange.
 */
@ApplicationScoped
public class GatewayTokenExchange implements TokenExchange {

    private static final Logger LOG = Logger.getLogger(GatewayTokenExchange.class);
    private static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofSeconds(10);

    private record Exchanged(String token, Instant expiresAt) {
    }

    private final OidcClient gateway;
    private final Cache<String, Exchanged> cache = Caffeine.newBuilder().maximumSize(2_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();

    public GatewayTokenExchange(@NamedOidcClient("exchange") OidcClient gateway) {
        this.gateway = gateway;
    }

    @Override
    public Uni<String> exchange(JsonWebToken caller, String audience) {
        String key = TokenDigest.sha256(caller.getRawToken()) + " " + audience;
        Exchanged cached = cache.getIfPresent(key);
        if (cached != null && Instant.now().plus(REFRESH_BEFORE_EXPIRY).isBefore(cached.expiresAt())) {
            return Uni.createFrom().item(cached.token());
        }
        return gateway.getTokens(Map.of("subject_token", caller.getRawToken(), "audience", audience))
                .ifNoItem().after(Duration.ofSeconds(3)).fail()
                .map(tokens -> {
                    Long expiresAt = tokens.getAccessTokenExpiresAt();
                    Exchanged exchanged = new Exchanged(tokens.getAccessToken(),
                            expiresAt == null ? Instant.now() : Instant.ofEpochSecond(expiresAt));
                    cache.put(key, exchanged);
                    return exchanged.token();
                })
                .onFailure().transform(e -> {
                    LOG.warnf("token exchange for %s failed: %s", audience, e.getClass().getSimpleName());
                    return new ProblemException(Problem.of(503, "A token for the next service could not be obtained"), e);
                });
    }
}
