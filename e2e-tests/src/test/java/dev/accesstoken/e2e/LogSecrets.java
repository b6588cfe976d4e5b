package dev.accesstoken.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * After an end-to-end run, the services' logs must hold no secret: no JWT, no refresh token the run was
 * given, no password the run typed, no bcrypt hash, no private key. Also checks that audit lines are JSON.
 */
final class LogSecrets {

    /** Passwords the tests type that are not also usernames, and refresh tokens they were given. */
    static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}"), // a JWT: header.payload
            Pattern.compile("\\$2[aby]\\$\\d\\d\\$"), // a bcrypt hash
            Pattern.compile("PRIVATE KEY"),
            Pattern.compile("order-service-secret")); // the demo client secret

    private LogSecrets() {
    }

    /** Every *.log directly in {@code dir}; at least one must exist, so that the check cannot pass on nothing. */
    static void assertNone(Path dir) {
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(f -> f.toString().endsWith(".log")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(!logs.isEmpty(), "no service log in " + dir);
        List<String> found = new ArrayList<>();
        int auditLines = 0;
        ObjectMapper json = new ObjectMapper();
        for (Path log : logs) {
            List<String> lines;
            try {
                lines = Files.readAllLines(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String line : lines) {
                PATTERNS.stream().filter(p -> p.matcher(line).find())
                        .forEach(p -> found.add(log.getFileName() + ": matches " + p + ": " + line));
                SECRETS.stream().filter(line::contains).forEach(s -> found.add(log.getFileName() + ": a secret: " + line));
                int audit = line.indexOf("[audit] {");
                if (audit >= 0) {
                    auditLines++;
                    try {
                        JsonNode event = json.readTree(line.substring(line.indexOf('{', audit)));
                        assertTrue(event.hasNonNull("audit") && event.hasNonNull("who") && event.hasNonNull("why")
                                && event.hasNonNull("requestId") && event.hasNonNull("service"), line);
                    } catch (IOException e) {
                        found.add(log.getFileName() + ": an audit line that is not JSON: " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
        assertTrue(auditLines > 0, "no audit line in " + dir);
    }
}
