package dev.accesstoken.chassis.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The refusal reasons are what the docs promise: a dashboard or an alert keyed on a tag, or a client reading the
 * {@code error_description}, must not meet a value the docs never named.
 */
class RefusalReasonDocsTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void theMetricTagsAreTheOnesOperationsMdLists() throws IOException {
        String row = Files.readAllLines(ROOT.resolve("docs/operations.md")).stream()
                .filter(line -> line.startsWith("| `tokens_refused_total`")).findFirst().orElse(null);
        assertNotNull(row, "docs/operations.md has no row for tokens_refused_total");
        String labels = row.split("\\|")[3];
        List<String> documented = matches(labels.substring(labels.indexOf("`reason`:") + "`reason`:".length()), "`([^`]+)`");
        assertEquals(documented, Arrays.stream(RefusalReason.values()).map(RefusalReason::tag).toList());
    }

    @Test
    void theDescriptionsAreTheOnesErrorsMdLists() throws IOException {
        // The rows that show a refused token's challenge: each reason has one (and expired another, on clock skew).
        List<String> documented = matches(Files.readString(ROOT.resolve("docs/errors.md")),
                "^\\|[^\\n]*error_description=\"([^\"]+)\"");
        assertEquals(Arrays.stream(RefusalReason.values()).map(RefusalReason::phrase).sorted().toList(),
                documented.stream().distinct().sorted().toList());
    }

    /** The tag is the phrase with underscores, as it always was: the two never tell different stories. */
    @Test
    void eachTagIsItsPhraseWithoutSpaces() {
        for (RefusalReason reason : RefusalReason.values()) {
            assertEquals(reason.phrase().replace(' ', '_'), reason.tag());
        }
    }

    private static List<String> matches(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
