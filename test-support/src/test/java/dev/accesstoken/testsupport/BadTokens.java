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
}
