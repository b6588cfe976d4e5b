package dev.accesstoken.chassis.security;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;

import dev.accesstoken.chassis.config.AccessTokenConfig;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Verifies each token once, then remembers its claims: the same token arriving again (the next request of
 * the same user, or the next hop of the same request) costs a hash lookup instead of an RSA verification.
 * It plugs in where SmallRye JWT supports it, as the {@link JWTCallerPrincipalFactory}, and verifies through
 * SmallRye's own {@link DefaultJWTTokenParser}: issuer, audience, algorithm and keys stay {@code mp.jwt.verify.*}.
 * <ul>
 * <li>Keyed by the SHA-256 of the exact token: a token that differs in one byte misses and is verified.</li>
 * <li>On every hit, {@code exp}, {@code nbf} and the token age are checked again as SmallRye checks them, and the token's
 * {@code kid} must still resolve in the JWKS (the same resolver, so the same refreshes): a key taken out of
 * the JWKS ends its tokens here as it would without the cache. The JOSE header parsed at verification is kept
 * with the claims, so a hit parses nothing (re-parsing it was a fifth of a hit's CPU in the profile).</li>
 * <li>Only successes are cached, so no failure can later turn into a success; the verification context must
 * be the same one, so a token verified for one audience or issuer is never served for another.</li>
 * <li>Bounded in size and age; {@code access-token.token-cache.enabled=false} turns it off.</li>
 * </ul>
 */
@ApplicationScoped
@Alternative
@Priority(1)
public class VerifiedTokenCache extends JWTCallerPrincipalFactory {

    /** The claims, the context they were verified in, and the parsed JOSE header, kept so a hit parses nothing. */
    private record Verified(JWTCallerPrincipal principal, JWTAuthContextInfo context, JsonWebStructure header) {
    }

    /** SmallRye's parser; the subclass only lets this cache ask the same key resolver again. */
    private static final class Parser extends DefaultJWTTokenParser {
        VerificationKeyResolver keyResolver(JWTAuthContextInfo context) throws UnresolvableKeyException {
            return getVerificationKeyResolver(context);
        }
    }

    private final Parser parser = new Parser();
    private final boolean enabled;
    private final Cache<String, Verified> cache;

    @Inject
    public VerifiedTokenCache(AccessTokenConfig config) {
        this(config.tokenCache());
    }

    public VerifiedTokenCache(AccessTokenConfig.TokenCache config) {
        this.enabled = config.enabled();
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxSize())
                .expireAfterWrite(config.maxAge())
                .recordStats()
                .build();
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        if (!enabled) {
            return verify(token, context).principal();
        }
        String key = TokenDigest.sha256(token);
        Verified hit = cache.getIfPresent(key);
        if (hit != null) {
            if (hit.context() == context && inTime(hit.principal(), context, System.currentTimeMillis() / 1000) && keyStillPublished(hit.header(), context)) {
                return hit.principal();
            }
            cache.invalidate(key);
        }
        Verified verified = verify(token, context);
        cache.put(key, verified);
        return verified.principal();
    }

    public CacheStats stats() {
        return cache.stats();
    }

    public long size() {
        return cache.estimatedSize();
    }

    /** The cache itself, for its meters (hits, misses, size, evictions); its values are not exposed. */
    public Cache<String, ?> caffeine() {
        return cache;
    }

    /** The full verification, exactly as SmallRye's default factory does it. */
    private Verified verify(String token, JWTAuthContextInfo context) throws ParseException {
        var jwt = parser.parse(token, context);
        JsonWebStructure header = jwt.getJoseObjects().get(0);
        return new Verified(new DefaultJWTCallerPrincipal(header.getHeader("typ"), jwt.getJwtClaims()), context, header);
    }

    /**
     * Every time-dependent check SmallRye's parser makes (smallrye-jwt 4.6): {@code exp} and {@code nbf} with its
     * skew, which is {@code mp.jwt.verify.expiration.grace} ({@code expGracePeriodSecs}) when set and
     * {@code mp.jwt.verify.clock.skew} otherwise, and {@code mp.jwt.verify.token.age} against {@code iat}. The
     * rest it checks ({@code exp - iat} against the time to live, signature, issuer, audience, required claims)
     * depends on the token and the context alone, both the same on a hit. When unsure (no {@code iat} with a
     * token age set), it is a miss: the full verification decides.
     */
    static boolean inTime(JWTCallerPrincipal principal, JWTAuthContextInfo context, long now) {
        long skew = context.getExpGracePeriodSecs() > 0 ? context.getExpGracePeriodSecs() : context.getClockSkew();
        Long notBefore = principal.getClaim("nbf") instanceof Number nbf ? nbf.longValue() : null;
        if (now >= principal.getExpirationTime() + skew || (notBefore != null && now + skew < notBefore)) {
            return false;
        }
        Long tokenAge = context.getTokenAge();
        if (tokenAge != null) {
            return principal.getClaim("iat") instanceof Number iat && now - iat.longValue() <= tokenAge;
        }
        return true;
    }

    /** The header's {@code kid} still resolves: a map lookup in the resolver's current JWKS. */
    private boolean keyStillPublished(JsonWebStructure header, JWTAuthContextInfo context) {
        if (context.getPublicVerificationKey() != null) {
            return true; // one configured key, not a key set: nothing can be taken out of it
        }
        try {
            return header instanceof JsonWebSignature signature
                    && parser.keyResolver(context).resolveKey(signature, List.of()) != null;
        } catch (JoseException unresolvable) {
            return false;
        }
    }
}
