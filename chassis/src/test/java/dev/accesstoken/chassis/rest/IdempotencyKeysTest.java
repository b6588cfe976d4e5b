package dev.accesstoken.chassis.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import jakarta.ws.rs.BadRequestException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdempotencyKeysTest {

    @Test
    void noHeaderIsNoKey() {
        assertNull(IdempotencyKeys.of((List<String>) null));
        assertNull(IdempotencyKeys.of(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "order-42", "~!#$%&'*+-.^_`|", "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" })
    void visibleAsciiKeysAreTakenAsTheyAre(String key) {
        assertEquals(key, IdempotencyKeys.of(List.of(key)));
        assertEquals("k".repeat(255), IdempotencyKeys.of(List.of("k".repeat(255))));
    }

    @ParameterizedTest
    // "<a UUID you choose>": the OpenAPI example, a placeholder that "Try it out" cannot send as a key.
    @ValueSource(strings = { "", " ", "with space", "tab\there", "caf\u00e9", "line\nbreak", "<a UUID you choose>" })
    void anythingElseIs400(String key) {
        assertThrows(BadRequestException.class, () -> IdempotencyKeys.of(List.of(key)));
    }

    @Test
    void tooLongOrTwiceIs400() {
        assertThrows(BadRequestException.class, () -> IdempotencyKeys.of(List.of("k".repeat(256))));
        assertThrows(BadRequestException.class, () -> IdempotencyKeys.of(List.of("a", "b")));
    }
}
