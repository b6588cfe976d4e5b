package dev.accesstoken.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Mints tokens for tests: good ones exactly like the gateway's, and ones that are wrong in a single way.
 */
public final class Tokens {

    public static final String ISSUER = "https://api-gateway";
    public static final Set<String> AUDIENCE = Set.of("order-service", "customer-service");

    private String subject;
    private Set<String> groups;
    private String issuer = ISSUER;
    private Set<String> audience = AUDIENCE;
    private Instant issuedAt = Instant.now();
    private Duration lifetime = Duration.ofMinutes(15);
    private TestKeys key = TestKeys.trusted();
    private String kid = TestKeys.trusted().kid();
    private String actor;
    private Instant notBefore;

    private Tokens(String subject, Set<String> groups) {
        this.subject = subject;
        this.groups = groups;
    }

    public static Tokens user(String username) {
        return new Tokens(username, Set.of("user"));
    }

    public static Tokens admin() {
        return new Tokens("admin", Set.of("admin"));
    }

    /** A service's own token, as the gateway's client-credentials grant issues it: no user, one audience. */
    public static Tokens service(String clientId, String audience) {
        return new Tokens(clientId, Set.of("service")).audience(audience).lifetime(Duration.ofMinutes(5));
    }

    /** An exchanged token (RFC 8693): {@code act.sub} names the service acting for the subject. */
    public Tokens actor(String actor) {
        this.actor = actor;
        return this;
    }

    public Tokens lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    public Tokens issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    public Tokens audience(String... audience) {
        this.audience = Set.of(audience);
        return this;
    }

    public Tokens groups(String... groups) {
        this.groups = Set.of(groups);
        return this;
    }

    /** Issued long enough ago that it has expired (beyond any clock-skew allowance). */
    public Tokens expired() {
        this.issuedAt = Instant.now().minus(Duration.ofHours(2));
        this.lifetime = Duration.ofMinutes(15);
        return this;
    }

    /** Expired {@code ago} before now (its {@code exp}), for the clock-skew allowance. */
    public Tokens expiredAgo(Duration ago) {
        this.lifetime = Duration.ofMinutes(5);
        this.issuedAt = Instant.now().minus(ago).minus(lifetime);
        return this;
    }

    /** Valid only from an hour from now ({@code nbf}), well beyond any clock-skew allowance. */
    public Tokens notYetValid() {
        this.notBefore = Instant.now().plus(Duration.ofHours(1));
        this.lifetime = Duration.ofHours(2); // exp after nbf, or the token is refused as malformed instead
        return this;
    }

    /** Signed by a key the services do not trust, with that key's own kid. */
    public Tokens signedByStranger() {
        this.key = TestKeys.stranger();
        this.kid = TestKeys.stranger().kid();
        return this;
    }

    /** Signed by {@code key}, with that key's own kid (a previous key of a rotation, say). */
    public Tokens signedBy(TestKeys key) {
        this.key = key;
        this.kid = key.kid();
        return this;
    }

    /** Signed by the trusted key but naming a kid that no JWKS contains. */
    public Tokens unknownKid() {
        this.kid = "unknown-" + UUID.randomUUID();
        return this;
    }

    public String sign() {
        return claims().jws().keyId(kid).sign(key.keyPair().getPrivate());
    }

    private JwtClaimsBuilder claims() {
        JwtClaimsBuilder claims = Jwt.issuer(issuer)
                .subject(subject)
                .upn(subject)
                .groups(groups)
                .audience(audience)
                .issuedAt(issuedAt)
                .expiresAt(issuedAt.plus(lifetime))
                .claim("jti", UUID.randomUUID().toString());
        if (notBefore != null) {
            claims = claims.claim("nbf", notBefore.getEpochSecond());
        }
        return actor == null ? claims : claims.claim("act", java.util.Map.of("sub", actor));
    }

    /**
     * A user's genuine token whose payload was swapped for one that claims the admin group:
     * the signature no longer matches what it signs.
     */
    public static String tamperedToAdmin(String username) {
        String[] genuine = user(username).sign().split("\\.");
        String[] forged = admin().signedByStranger().sign().split("\\.");
        return genuine[0] + "." + forged[1] + "." + genuine[2];
    }

    /**
     * Key confusion: HS256, "signed" with the trusted public key's bytes as the HMAC secret. A verifier that
     * let the token pick its algorithm would accept it.
     */
    public String hmacWithThePublicKey() {
        SecretKey secret = new SecretKeySpec(key.keyPair().getPublic().getEncoded(), "HmacSHA256");
        return claims().jws().algorithm(SignatureAlgorithm.HS256).keyId(kid).sign(secret);
    }

    /** The same claims with {@code alg: none} and no signature: the classic downgrade attack. */
    public String unsigned() {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(issuer);
            claims.setSubject(subject);
            claims.setClaim("upn", subject);
            claims.setStringListClaim("groups", groups.stream().toList());
            claims.setAudience(audience.stream().toList());
            claims.setIssuedAt(NumericDate.fromSeconds(issuedAt.getEpochSecond()));
            claims.setExpirationTime(NumericDate.fromSeconds(issuedAt.plus(lifetime).getEpochSecond()));
            claims.setJwtId(UUID.randomUUID().toString());
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
            jws.setKeyIdHeaderValue(kid);
            jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
