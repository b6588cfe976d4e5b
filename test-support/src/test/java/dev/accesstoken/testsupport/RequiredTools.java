package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a tool beyond the JDK (kubectl, Chromium and Node.js, python3 with PyYAML) skip themselves
 * where it is missing, so that {@code ./mvnw verify} passes on a machine with only a JDK, and say which command
 * enables them. {@code -Drequire.tools=true} (or REQUIRE_TOOLS=true) turns the skip into a failure: CI
 * ({@code .ci/run}) runs with it, so that nothing is skipped there unnoticed.
 */
public final class RequiredTools {

    /** The system property (passed on to surefire and failsafe by the parent POM) that forbids skipping. */
    public static final String SWITCH = "require.tools";

    private RequiredTools() {
    }

    /** True when -Drequire.tools=true or REQUIRE_TOOLS=true. */
    public static boolean required() {
        String value = System.getProperty(SWITCH);
        if (value == null || value.isBlank()) {
            value = System.getenv("REQUIRE_TOOLS");
        }
        return Boolean.parseBoolean(value);
    }

    /**
     * Returns when {@code present}; otherwise skips the calling test (a JUnit assumption) or, with the switch,
     * fails it. {@code what} names the missing tool, {@code enable} the command that installs it.
     */
    public static void require(boolean present, String what, String enable) {
        require(present, what, enable, required());
    }

    static void require(boolean present, String what, String enable, boolean forbidSkipping) {
        if (present) {
            return;
        }
        if (forbidSkipping) {
            fail(what + " is missing and -D" + SWITCH + "=true forbids skipping this test. To install it: " + enable);
        }
        Assumptions.abort("skipped: " + what + " is missing. To run this test: " + enable
                + " (CI runs with -D" + SWITCH + "=true, which fails instead of skipping)");
    }

    /** True when {@code command} is an executable file in a directory of the PATH (or an executable path). */
    public static boolean onPath(String command) {
        if (command.contains(File.separator)) {
            return Files.isExecutable(Path.of(command));
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
