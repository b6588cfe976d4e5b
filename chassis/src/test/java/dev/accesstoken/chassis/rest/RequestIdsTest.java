package dev.accesstoken.chassis.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdsTest {

    /** The rule as it was written before the loop replaced it: the two must agree. */
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._-]{8,64}");

    @ParameterizedTest
    @ValueSource(strings = { "abcdefgh", "4f6c2a1e-9b7d-4c3e-8f00-123456789abc", "A.b_C-d.0123", "ZZZZZZZZ", "--------",
            "0123456789012345678901234567890123456789012345678901234567890123" })
    void plausibleIdsAreTaken(String id) {
        assertTrue(RequestIds.plausible(id), id);
        assertTrue(RULE.matcher(id).matches(), id);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "short", "abcdefg", // too short
            "01234567890123456789012345678901234567890123456789012345678901234", // 65: too long
            "abcd efgh", "abcdefgh\r\nX-Injected: 1", "abcdefgh\nfake log line", "abcdefgh\u0000", "abc\"defgh",
            "abcdefgh;drop", "abcd/efgh", "abcd:efgh", "abcd{efgh}", "caf\u00e9caf\u00e9", "abcdefgh\u0660", // non-ASCII digit
            "abcd@efgh", "abcd`efgh", "abcd[efgh", "abcd\u007fefgh" })
    void anythingElseIsReplaced(String id) {
        assertFalse(RequestIds.plausible(id), id);
        assertFalse(RULE.matcher(id).matches(), id);
    }

    @Test
    void noHeaderIsReplaced() {
        assertFalse(RequestIds.plausible(null));
    }

    @Test
    void theLoopAgreesWithTheRuleOnEveryAsciiCharacter() {
        for (char c = 0; c < 256; c++) {
            String id = "abcdefg" + c;
            assertEquals(RULE.matcher(id).matches(), RequestIds.plausible(id), "character " + (int) c);
        }
        for (int length = 0; length < 80; length++) {
            String id = "a".repeat(length);
            assertEquals(RULE.matcher(id).matches(), RequestIds.plausible(id), "length " + length);
        }
    }

    @Test
    void madeUpIdsAreVersion4UuidsThatThisServiceWouldTakeBack() {
        String first = RequestIds.newId();
        UUID uuid = UUID.fromString(first);
        assertEquals(4, uuid.version());
        assertEquals(2, uuid.variant());
        assertEquals(uuid.toString(), first);
        assertTrue(RequestIds.plausible(first), first);
        assertNotEquals(first, RequestIds.newId());
    }
}
