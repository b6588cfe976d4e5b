package dev.accesstoken.testsupport;

import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/** Tokens that are each wrong in exactly one way; every service must answer all of them with 401. */
public final class BadTokens {

    private BadTokens() {
    }

    /**
     * @param foreignAudience an audience the service under test must not accept
     * @return pairs of (what is wrong, token), for a {@code @ParameterizedTest}
     */
    public static Stream<Arguments> all(String foreignAudience) {
        return Stream.of(
                Arguments.of("wrong issuer", Tokens.user("alice").issuer("https://evil.example").sign()),
                Arguments.of("wrong audience", Tokens.user("alice").audience(foreignAudience).sign()),
                Arguments.of("expired", Tokens.user("alice").expired().sign()),
                Arguments.of("alg none", Tokens.user("alice").unsigned()),
                Arguments.of("HS256 keyed with the public key", Tokens.user("alice").hmacWithThePublicKey()),
                Arguments.of("bad signature", Tokens.tamperedToAdmin("alice")),
                Arguments.of("untrusted key", Tokens.user("alice").signedByStranger().sign()),
                Arguments.of("unknown kid", Tokens.user("alice").unknownKid().sign()),
                Arguments.of("not a JWT", "not-a-jwt"));
    }

    /**
     * One token per refusal reason, with the reason a service names for it (RFC 6750 {@code error_description},
     * the problem's detail, the audit and the {@code tokens_refused_total} label).
     *
     * @return pairs of (reason, token)
     */
    public static Stream<Arguments> byReason(String foreignAudience) {
        return Stream.of(
                Arguments.of("expired", Tokens.user("alice").expired().sign()),
                Arguments.of("not yet valid", Tokens.user("alice").notYetValid().sign()),
                Arguments.of("bad signature", Tokens.tamperedToAdmin("alice")),
                Arguments.of("unknown kid or unsigned", Tokens.user("alice").unknownKid().sign()),
                Arguments.of("unknown kid or unsigned", Tokens.user("alice").signedByStranger().sign()),
                Arguments.of("unknown kid or unsigned", Tokens.user("alice").unsigned()),
                Arguments.of("wrong issuer", Tokens.user("alice").issuer("https://evil.example").sign()),
                Arguments.of("wrong audience", Tokens.user("alice").audience(foreignAudience).sign()),
                // Key confusion: no RS256 key of the JWKS is an HMAC key, so none resolves for it.
                Arguments.of("unknown kid or unsigned", Tokens.user("alice").hmacWithThePublicKey()),
                Arguments.of("malformed or unverifiable", "not-a-jwt"));
    }

    /** The challenge a service sends with a token refused for {@code reason}. */
    public static String challenge(String service, String reason) {
        return "Bearer realm=\"" + service + "\", error=\"invalid_token\", error_description=\"" + reason + "\"";
    }

    /** The problem detail that goes with it. */
    public static String detail(String reason) {
        return "The bearer token was refused: " + reason;
    }
}
