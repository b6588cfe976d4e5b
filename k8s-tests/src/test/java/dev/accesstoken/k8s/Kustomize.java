package dev.accesstoken.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.accesstoken.testsupport.RequiredTools;

/**
 * Renders the project's kustomizations with {@code kubectl kustomize}.
 *
 * <p>base/ includes the Secrets that {@code k8s/generate-secrets.sh} writes into the gitignored
 * k8s/secrets/, so the tree is first copied (without any secrets/) to a temporary folder and the
 * script is run there: the render never depends on, nor touches, a developer's own keys.
 */
public final class Kustomize {

    /** The kubectl binary: -Dkubectl=..., else $KUBECTL, else "kubectl" from the PATH. */
    static final String KUBECTL = System.getProperty("kubectl",
            System.getenv().getOrDefault("KUBECTL", "kubectl"));

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();
    private static Path copy;

    private Kustomize() {
    }

    /** The project's k8s/ folder: -Dk8s.dir=..., else ../k8s from the module. */
    public static Path sourceDir() {
        Path dir = Path.of(System.getProperty("k8s.dir", "../k8s")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("kustomization.yaml"))) {
            throw new IllegalStateException("No kustomization.yaml in " + dir + " (set -Dk8s.dir)");
        }
        return dir;
    }

    /** The rendered YAML of a kustomization below k8s/, e.g. "overlays/jvm" or "." for k8s/ itself. */
    public static String render(String kustomization) {
        requireTools();
        return RENDERED.computeIfAbsent(kustomization,
                k -> run(List.of(KUBECTL, "kustomize", preparedCopy().resolve(k).toString())));
    }

    /** A temporary copy of k8s/ whose secrets/ the project's script has just generated. */
    /** What the renders pass generate-secrets.sh as TRUSTED_PROXIES: an ingress controller's pod CIDR. */
    public static final String TRUSTED_PROXIES = "10.244.0.0/16";

    public static synchronized Path preparedCopy() {
        requireTools();
        if (copy == null) {
            Path target = copyWithoutSecrets(sourceDir());
            run(List.of("bash", target.resolve("generate-secrets.sh").toString()));
            copy = target;
        }
        return copy;
    }

    /**
     * Skips the calling test where kubectl or openssl (generate-secrets.sh) is missing, or fails it with
     * -Drequire.tools=true.
     */
    static void requireTools() {
        requireKubectl();
        requireOpenssl();
    }

    static void requireKubectl() {
        RequiredTools.require(RequiredTools.onPath(KUBECTL), "kubectl (" + KUBECTL + ", with kustomize)",
                "install kubectl 1.27+ (https://kubernetes.io/docs/tasks/tools/; .ci/run fetches one),"
                        + " or pass -Dkubectl=/path/to/kubectl");
    }

    static void requireOpenssl() {
        RequiredTools.require(RequiredTools.onPath("openssl"), "openssl (k8s/generate-secrets.sh)",
                "apt-get install -y openssl");
    }

    /** Copies k8s/ without its secrets/ to a new temporary folder, deleted when the JVM exits. */
    public static Path copyWithoutSecrets(Path source) {
        try {
            Path target = Files.createTempDirectory("k8s-render-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(target)));
            try (Stream<Path> files = Files.walk(source)) {
                for (Path from : (Iterable<Path>) files::iterator) {
                    Path relative = source.relativize(from);
                    if (relative.startsWith("secrets")) {
                        continue;
                    }
                    Path to = target.resolve(relative.toString());
                    if (Files.isDirectory(from)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command, returns its standard output, fails with its standard error. */
    public static String run(List<String> command) {
        if (command.get(0).equals(KUBECTL)) {
            requireKubectl();
        }
        if (command.stream().anyMatch(arg -> arg.endsWith("generate-secrets.sh"))) {
            requireOpenssl();
        }
        Process process;
        try {
            Path err = Files.createTempFile("k8s-render-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(err.toFile());
            // generate-secrets.sh needs the deployment's trusted proxies (no default); a test removes it with env -u.
            builder.environment().putIfAbsent("TRUSTED_PROXIES", TRUSTED_PROXIES);
            process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Timed out: " + String.join(" ", command));
            }
            String stderr = Files.readString(err);
            Files.delete(err);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("Failed (exit " + process.exitValue() + "): "
                        + String.join(" ", command) + "\n" + stderr);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + command.get(0) + " (" + e.getMessage()
                    + "). The manifest tests need kubectl with kustomize (see k8s/README.md) or "
                    + "-Dkubectl=/path/to/kubectl, plus bash and openssl.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort, a temporary folder
        }
    }
}
