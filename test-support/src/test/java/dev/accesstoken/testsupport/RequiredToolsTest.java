package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolsTest {

    static final String ENABLE = "apt-get install -y kubectl";

    @Test
    void aMissingToolSkipsTheTestWithTheCommandThatEnablesIt() {
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> RequiredTools.require(false, "kubectl", ENABLE, false));
        assertTrue(skipped.getMessage().contains("kubectl is missing") && skipped.getMessage().contains(ENABLE),
                skipped.getMessage());
    }

    @Test
    void withTheSwitchAMissingToolFailsTheTestInstead() {
        AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> RequiredTools.require(false, "kubectl", ENABLE, true));
        assertTrue(failed.getMessage().contains("-Drequire.tools=true forbids skipping")
                && failed.getMessage().contains(ENABLE), failed.getMessage());
    }

    @Test
    void aPresentToolNeitherSkipsNorFails() {
        assertDoesNotThrow(() -> RequiredTools.require(true, "kubectl", ENABLE, true));
        assertDoesNotThrow(() -> RequiredTools.require(true, "kubectl", ENABLE, false));
    }

    @Test
    void onPathFindsBashAndNotAnInventedCommand() {
        assertTrue(RequiredTools.onPath("bash"));
        assertFalse(RequiredTools.onPath("no-such-tool-4f1c9e"));
    }

    @Test
    void theSwitchIsReadFromTheSystemProperty() {
        String before = System.getProperty(RequiredTools.SWITCH);
        try {
            System.setProperty(RequiredTools.SWITCH, "true");
            assertTrue(RequiredTools.required());
            System.setProperty(RequiredTools.SWITCH, "false");
            assertFalse(RequiredTools.required());
        } finally {
            if (before == null) {
                System.clearProperty(RequiredTools.SWITCH);
            } else {
                System.setProperty(RequiredTools.SWITCH, before);
            }
        }
    }
}
