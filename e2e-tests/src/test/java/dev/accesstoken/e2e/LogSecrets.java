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
 * given, no password the run typed, no bcrypt hash, no private key. The processes run the prod profile, so
 * their logs are JSON lines ({@code quarkus-logging-json}); an audit record is such a line of the logger
 * {@code audit} whose message is the audit's own JSON object. Also checks that every audit record parses and
 * names its event, who, why, service and request id, and that the request id is the one in the line's MDC.
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
        int jsonLines = 0;
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
                jsonLines += line.startsWith("{\"") ? 1 : 0;
                String audit = auditRecord(json, line, log, found);
                if (audit != null) {
                    auditLines++;
                    try {
                        JsonNode event = json.readTree(audit);
                        assertTrue(event.hasNonNull("audit") && event.hasNonNull("who") && event.hasNonNull("why")
                                && event.hasNonNull("requestId") && event.hasNonNull("service"), line);
                    } catch (IOException e) {
                        found.add(log.getFileName() + ": an audit record that is not JSON: " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
        assertTrue(auditLines > 0, "no audit line in " + dir);
        // The processes run the prod profile, whose log lines are JSON (plain ones are the JVM's own, before logging).
        assertTrue(jsonLines > 0, "no JSON log line in " + dir);
    }

    /**
     * The audit record a log line holds, or null: in a JSON line (prod), the message of logger {@code audit}, whose
     * request id must match the line's MDC; in a plain line (dev, test), the JSON after {@code [audit]}.
     */
    private static String auditRecord(ObjectMapper json, String line, Path log, List<String> found) {
        if (line.startsWith("{")) {
            JsonNode record;
            try {
                record = json.readTree(line);
            } catch (IOException e) {
                found.add(log.getFileName() + ": a line that starts like JSON but is not: " + line);
                return null;
            }
            if (!"audit".equals(record.path("loggerName").asText())) {
                return null;
            }
            String message = record.path("message").asText();
            try {
                String requestId = json.readTree(message).path("requestId").asText(null);
                if (requestId != null && !requestId.equals(record.path("mdc").path("requestId").asText(null))) {
                    found.add(log.getFileName() + ": an audit record whose request id is not its line's: " + line);
                }
            } catch (IOException notJson) {
                // Reported by the caller.
            }
            return message;
        }
        int audit = line.indexOf("[audit] {");
        return audit < 0 ? null : line.substring(line.indexOf('{', audit));
    }
}
