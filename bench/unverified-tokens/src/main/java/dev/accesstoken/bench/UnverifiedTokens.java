package dev.accesstoken.bench;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * BENCHMARK ONLY. The "unsecured" baseline of the same chain: the token still travels and its claims still
 * drive every rule, but no signature, issuer, audience or expiry is checked, so the difference to a normal
 * build is the price of verification. Outranks the chassis's cache (priority 10 over 1). Refuses to start
 * unless {@code -Dbench.unverified-tokens=accept-forged-tokens} is given, which only bench/run.sh does.
 */
@ApplicationScoped
@Alternative
@Priority(10)
public class UnverifiedTokens extends JWTCallerPrincipalFactory {

    public UnverifiedTokens() {
        if (!"accept-forged-tokens".equals(System.getProperty("bench.unverified-tokens"))) {
            throw new IllegalStateException("This build accepts forged tokens and exists only for bench/run.sh");
        }
        Logger.getLogger(UnverifiedTokens.class).warn("BENCHMARK BUILD: tokens are NOT verified");
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        try {
            var claims = new JwtConsumerBuilder().setSkipSignatureVerification().setSkipAllValidators()
                    .build().processToClaims(token);
            claims.setClaim("raw_token", token);
            return new DefaultJWTCallerPrincipal(claims);
        } catch (InvalidJwtException e) {
            throw new ParseException("Not a JWT", e);
        }
    }
}
