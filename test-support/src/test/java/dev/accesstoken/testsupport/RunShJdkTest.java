package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run.sh's JDK logic (scripts/jdk.sh), run by bash: on the JDK running this test, and on stand-in `java`
 * launchers that answer as older JDKs do, since only a JDK 25 is installed where this is built.
 */
class RunShJdkTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final String REAL_JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;

    @Test
    void theJdkAtHandIsAskedItsVersionAndWhetherItTakesTheAotOptions() throws Exception {
        int feature = Runtime.version().feature();
        assertEquals(String.valueOf(feature), bash("jdk_major '" + REAL_JAVA + "'").out.strip());
        assertEquals(0, bash("jdk_require_21 '" + REAL_JAVA + "'").rc);
        // -XX:AOTCacheOutput came with JDK 25 (JEP 514); the probe must agree with the JDK's own answer.
        assertEquals(feature >= 25 ? 0 : 1, bash("jdk_supports_aot_cache '" + REAL_JAVA + "'").rc);
    }

    @Test
    void aCacheNewerThanTheJarIsUsedAndAnOlderOneRecordedAgain() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "needs a JDK 25 (the AOT cache options)");
        Path jar = Files.writeString(dir.resolve("app.jar"), "jar");
        Path cache = Files.writeString(dir.resolve("app.aot"), "cache");
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));
        assertEquals("-XX:AOTCache=" + cache, options(REAL_JAVA, cache, jar));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertEquals("-XX:AOTCacheOutput=" + cache, options(REAL_JAVA, cache, jar));
    }

    @Test
    void aJdkThatRefusesTheAotOptionsGetsNone() throws Exception {
        // What a JDK 21 answers to -XX:AOTMode (and a JDK 24 to -XX:AOTCacheOutput); anything else goes to the real JDK.
        Path java = launcher("refuses-aot", """
                for a in "$@"; do case $a in -XX:AOT*)
                  echo "Unrecognized VM option '${a#-XX:}'"; echo "Error: Could not create the Java Virtual Machine."
                  exit 1 ;; esac; done
                exec '%s' "$@"
                """.formatted(REAL_JAVA));
        assertEquals(1, bash("jdk_supports_aot_cache '" + java + "'").rc);
        assertEquals(0, bash("jdk_require_21 '" + java + "'").rc);
        assertEquals("", options(java.toString(), dir.resolve("app.aot"), dir.resolve("app.jar")));
    }

    @Test
    void aJdkBelow21IsRefusedWithOneLineBeforeAnythingIsBuilt() throws Exception {
        Path java = launcher("jdk17", """
                echo 'Property settings:'; echo '    java.specification.version = 17'
                echo 'openjdk version "17.0.14" 2025-01-21' >&2
                """);
        Result check = bash("jdk_require_21 '" + java + "'");
        assertEquals(1, check.rc);
        assertEquals(1, check.err.strip().lines().count(), check.err);
        assertTrue(check.err.contains("needs a JDK 21 or newer") && check.err.contains("Java 17"), check.err);

        // run.sh itself: the same line, and nothing built (it stops before Maven and before target/local-run).
        Result run = run(List.of("bash", ROOT.resolve("run.sh").toString()), "JAVA_HOME", java.getParent().getParent().toString());
        assertEquals(1, run.rc, run.out + run.err);
        assertEquals(check.err.strip().replace(java.toString(), ""), run.err.strip().replace(java.toString(), ""));
        assertEquals("", run.out);
    }

    @Test
    void eachServiceRunsWithItsPodsHeapAndGcFlags() throws Exception {
        for (String service : List.of("api-gateway", "order-service", "customer-service")) {
            List<String> flags = bash("jdk_pod_options " + service).out.lines().toList();
            assertTrue(flags.contains("-XX:+UseSerialGC") && flags.stream().anyMatch(f -> f.startsWith("-Xmx")), service + ": " + flags);
            assertTrue(flags.stream().allMatch(f -> f.startsWith("-X") && !f.isBlank()), service + ": " + flags);
            // The JVM takes them as they are.
            List<String> java = new java.util.ArrayList<>(List.of(REAL_JAVA));
            java.addAll(flags);
            java.add("-version");
            assertEquals(0, run(java, null, null).rc, service + ": " + flags);
        }
    }

    private String options(String java, Path cache, Path jar) throws Exception {
        return bash("jdk_aot_options '" + java + "' '" + cache + "' '" + jar + "'").out.strip();
    }

    /** A stand-in JAVA_HOME whose bin/java is the given script. */
    private Path launcher(String name, String script) throws IOException {
        Path bin = Files.createDirectories(dir.resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n" + script);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return java;
    }

    record Result(int rc, String out, String err) {
    }

    private Result bash(String command) throws Exception {
        return run(List.of("bash", "-c", ". scripts/jdk.sh && " + command), null, null);
    }

    private Result run(List<String> command, String envName, String envValue) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        if (envName != null) {
            builder.environment().put(envName, envValue);
        }
        Path out = dir.resolve("out"), err = dir.resolve("err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
