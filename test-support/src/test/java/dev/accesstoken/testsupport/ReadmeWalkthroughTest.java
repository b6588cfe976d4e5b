package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The walkthrough run.sh prints is the README's, line for line (with the default ports), so that either can be pasted. */
class ReadmeWalkthroughTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void runShPrintsTheReadmesWalkthrough() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int from = readme.indexOf("```sh\n", readme.indexOf("walkthrough; paste it")) + "```sh\n".length();
        String documented = readme.substring(from, readme.indexOf("```", from)).strip();

        String script = Files.readString(ROOT.resolve("run.sh"));
        int start = script.indexOf('\n', script.indexOf("Walkthrough, to paste")) + 1;
        String printed = script.substring(start, script.indexOf("\nPress Ctrl-C", start)).strip()
                // what the unquoted here-document makes of it
                .replace("\\$", "$").replace("\\\\", "\\").replace("$GATEWAY_PORT", "8080");

        assertFalse(documented.isEmpty());
        assertEquals(documented, printed);
        assertFalse(documented.contains("<"), "a < in a pasted command is a shell redirect");
    }
}
