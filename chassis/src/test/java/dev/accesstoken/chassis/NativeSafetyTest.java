package dev.accesstoken.chassis;

import org.junit.jupiter.api.Test;

import dev.accesstoken.testsupport.NativeSafety;

/**
 * Nothing random, secret or time-dependent is made while the native image is built: no such static field,
 * no such call reached from a static initialiser (see {@link NativeSafety}). Every service ships it, so a defect here would be in all three executables.
 */
class NativeSafetyTest {

    @Test
    void noRandomnessKeysOrClockReadingsAtImageBuildTime() {
        NativeSafety.check("dev.accesstoken.chassis");
    }
}
