package dev.accesstoken.gateway.model;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "LoginRequest", description = "A user's credentials (the demo users are in the README)")
public record LoginRequest(@NotBlank @Size(max = 100) @Schema(example = "alice") String username,
        @NotBlank @Size(max = 200) @Schema(example = "alice", format = "password") String password) {

    @Override
    public String toString() {
        return "LoginRequest[username=" + username + "]";
    }
}
