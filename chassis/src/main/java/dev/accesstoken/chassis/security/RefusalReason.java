package dev.accesstoken.chassis.security;

import java.util.Locale;

/**
 * Why a bearer token was refused: a fixed set, so that the problem's detail, the {@code WWW-Authenticate}
 * {@code error_description}, the audit's {@code token.refused} and the {@code tokens_refused_total{reason}} label
 * all say the same thing, and none of them ever quotes the token (docs/errors.md, docs/operations.md).
 */
public enum RefusalReason {
    EXPIRED("expired"),
    BAD_SIGNATURE("bad signature"),
    WRONG_AUDIENCE("wrong audience"),
    WRONG_ISSUER("wrong issuer"),
    NOT_YET_VALID("not yet valid"),
    UNKNOWN_KID_OR_UNSIGNED("unknown kid or unsigned"),
    ALGORITHM_NOT_ALLOWED("algorithm not allowed"),
    MALFORMED_OR_UNVERIFIABLE("malformed or unverifiable");

    private final String phrase;

    RefusalReason(String phrase) {
        this.phrase = phrase;
    }

    /** What a client and the audit read: {@code wrong audience}. */
    public String phrase() {
        return phrase;
    }

    /** The metric tag value, a Prometheus label value without spaces: {@code wrong_audience}. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
