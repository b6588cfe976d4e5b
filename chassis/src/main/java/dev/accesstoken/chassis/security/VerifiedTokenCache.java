package dev.accesstoken.chassis.security;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
 * <li>{@link #servedWithoutIo} answers a hit on the event loop, which must never wait for the JWKS: only while the
 * token's key was found in the JWKS at most {@code key-recheck} ago (30 s). Otherwise the request takes the
 * worker-thread path through {@link #parse}, which asks the JWKS again (and may fetch it).</li>
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
    /** kid: when {@link #parse} last found it in the JWKS (epoch ms). Only the kids of the gateway's keys. */
    private final Map<String, Long> keyFoundAt = new ConcurrentHashMap<>();
    private final long keyRecheckMillis;
    private final LongAdder servedWithoutIo = new LongAdder();

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
        this.keyRecheckMillis = config.keyRecheck().toMillis();
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
        keyFound(verified.header());
        cache.put(key, verified);
        return verified.principal();
    }

    /**
     * A hit that needs no I/O, else null (then {@link #parse} decides, off the event loop): the same token, the
     * same context, still in time, and its key found in the JWKS by {@link #parse} at most {@code key-recheck} ago.
     * A key taken out of the JWKS therefore ends its tokens here at most that much later than in {@link #parse}.
     */
    public JWTCallerPrincipal servedWithoutIo(String token, JWTAuthContextInfo context) {
        return servedWithoutIo(token, context, System.currentTimeMillis());
    }

    JWTCallerPrincipal servedWithoutIo(String token, JWTAuthContextInfo context, long nowMillis) {
        if (!enabled) {
            return null;
        }
        String key = TokenDigest.sha256(token);
        Verified hit = cache.asMap().get(key); // no stats: a decline is counted once, by parse
        if (hit == null || hit.context() != context || !inTime(hit.principal(), context, nowMillis / 1000)) {
            return null;
        }
        Long foundAt = hit.header().getKeyIdHeaderValue() == null ? null : keyFoundAt.get(hit.header().getKeyIdHeaderValue());
        if (foundAt == null || nowMillis - foundAt > keyRecheckMillis) {
            return null;
        }
        cache.getIfPresent(key); // counts the hit
        servedWithoutIo.increment();
        return hit.principal();
    }

    public CacheStats stats() {
        return cache.stats();
    }

    /** Hits answered by {@link #servedWithoutIo}, on the calling thread. */
    public long servedWithoutIoCount() {
        return servedWithoutIo.sum();
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
            keyFound(header);
            return true; // one configured key, not a key set: nothing can be taken out of it
        }
        try {
            if (header instanceof JsonWebSignature signature && parser.keyResolver(context).resolveKey(signature, List.of()) != null) {
                keyFound(header);
                return true;
            }
        } catch (JoseException unresolvable) {
            // as below
        }
        if (header.getKeyIdHeaderValue() != null) {
            keyFoundAt.remove(header.getKeyIdHeaderValue());
        }
        return false;
    }

    private void keyFound(JsonWebStructure header) {
        String kid = header.getKeyIdHeaderValue();
        if (kid != null) {
            keyFoundAt.put(kid, System.currentTimeMillis());
        }
    }
}
