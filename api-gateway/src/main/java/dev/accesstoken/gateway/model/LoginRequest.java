package dev.accesstoken.gateway.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A user's credentials. No control character in a username (a NUL byte once reached the database). A password of
 * at most 72 bytes of UTF-8: bcrypt reads no further, so a longer one would match whatever follows byte 72.
 */
@Schema(name = "LoginRequest", description = "A user's credentials (the demo users are in the README)")
public record LoginRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "\\P{Cntrl}*", message = "must not contain control characters")
        @Schema(example = "alice") String username,
        @NotBlank @MaxUtf8Bytes(value = 72, message = "must be at most 72 bytes in UTF-8 (bcrypt reads no further)")
        @Schema(example = "alice", format = "password", description = "At most 72 bytes of UTF-8") String password) {

    @Override
    public String toString() {
        return "LoginRequest[username=" + username + "]";
    }
}
