package dev.accesstoken.testsupport;

import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The native build's rule, checked without a native toolchain: Quarkus initialises application classes
 * while it builds the image, so whatever a static initialiser makes is frozen into the executable. A
 * {@link SecureRandom} made there would hand every process the same seed (GraalVM refuses the build, issue
 * 15); a key, a UUID or a timestamp made there would be the same in every process and every replica.
 * <p>
 * Two checks over the production classes of the given packages (test classes are not imported):
 * <ol>
 * <li>no static field whose type is a random generator, a key, a key generator, a cipher, a MAC or a
 * signature engine;</li>
 * <li>no static initialiser that reaches, directly or through the project's own constructors and methods,
 * a call that makes randomness, a key or a clock reading ({@code new SecureRandom()},
 * {@code UUID.randomUUID()}, {@code KeyPairGenerator}, {@code Instant.now()}, ...).</li>
 * </ol>
 * ArchUnit counts a call inside a lambda as a call of the method that declares the lambda, so a lambda
 * written in a static initialiser counts too, even if it runs later: stricter than needed, never laxer.
 */
public final class NativeSafety {

    private static final List<Class<?>> FORBIDDEN_STATIC_FIELD_TYPES = List.of(Random.class, SplittableRandom.class,
            Key.class, KeyPair.class, KeyPairGenerator.class, KeyGenerator.class, Cipher.class, Mac.class,
            Signature.class);

    private NativeSafety() {
    }

    /** Every violation in the production classes of these packages (and their sub-packages), one line each. */
    public static List<String> violations(String... packages) {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(packages);
        if (classes.isEmpty()) {
            throw new IllegalStateException("No production class found in " + List.of(packages)
                    + ": the rule would pass without looking at anything");
        }
        return violations(classes, packages);
    }

    /** The same over classes imported by the caller (the rule's own test imports its fixtures this way). */
    static List<String> violations(JavaClasses classes, String... packages) {
        List<String> violations = new ArrayList<>();
        for (JavaClass c : classes) {
            for (JavaField field : c.getFields()) {
                if (field.getModifiers().contains(JavaModifier.STATIC) && forbiddenFieldType(field.getRawType())) {
                    violations.add("static field " + field.getFullName() + " of type " + field.getRawType().getName()
                            + " would be created while the native image is built");
                }
            }
            c.getStaticInitializer().ifPresent(init -> violations.addAll(reachedFromStaticInit(init, packages)));
        }
        return violations;
    }

    /** Fails with every violation listed. */
    public static void check(String... packages) {
        List<String> violations = violations(packages);
        if (!violations.isEmpty()) {
            throw new AssertionError("Randomness, keys or clock readings made at image build time (Quarkus "
                    + "initialises classes at build time; make them per call or in a bean at run time):\n  "
                    + String.join("\n  ", violations));
        }
    }

    private static boolean forbiddenFieldType(JavaClass type) {
        return FORBIDDEN_STATIC_FIELD_TYPES.stream().anyMatch(type::isAssignableTo);
    }

    private static List<String> reachedFromStaticInit(JavaCodeUnit staticInit, String[] packages) {
        List<String> found = new ArrayList<>();
        Set<JavaCodeUnit> seen = new HashSet<>();
        Deque<JavaCodeUnit> todo = new ArrayDeque<>(List.of(staticInit));
        while (!todo.isEmpty()) {
            JavaCodeUnit unit = todo.pop();
            if (!seen.add(unit)) {
                continue;
            }
            for (JavaCall<?> call : unit.getCallsFromSelf()) {
                if (forbiddenCall(call)) {
                    found.add(staticInit.getOwner().getName() + ".<clinit> reaches " + call.getTarget().getFullName()
                            + " (" + call.getSourceCodeLocation() + ")");
                }
                if (inPackages(call.getTargetOwner(), packages)) {
                    Optional<? extends JavaCodeUnit> target = call.getTarget().resolveMember();
                    target.ifPresent(todo::push);
                }
            }
        }
        return found;
    }

    private static boolean forbiddenCall(JavaCall<?> call) {
        JavaClass owner = call.getTargetOwner();
        String name = call.getName();
        boolean constructor = com.tngtech.archunit.core.domain.JavaConstructor.CONSTRUCTOR_NAME.equals(name);
        return constructor && (owner.isAssignableTo(Random.class) || owner.isAssignableTo(SplittableRandom.class))
                || owner.isEquivalentTo(SecureRandom.class) && name.startsWith("getInstance")
                || owner.isEquivalentTo(ThreadLocalRandom.class) && name.equals("current")
                || owner.isEquivalentTo(UUID.class) && name.equals("randomUUID")
                || owner.isEquivalentTo(KeyPairGenerator.class) || owner.isEquivalentTo(KeyGenerator.class)
                || owner.getName().equals("io.smallrye.jwt.util.KeyUtils") && name.startsWith("generate")
                || owner.isEquivalentTo(System.class) && (name.equals("currentTimeMillis") || name.equals("nanoTime"))
                || owner.getPackageName().equals("java.time") && name.equals("now");
    }

    private static boolean inPackages(JavaClass owner, String[] packages) {
        for (String p : packages) {
            if (owner.getPackageName().equals(p) || owner.getPackageName().startsWith(p + ".")) {
                return true;
            }
        }
        return false;
    }
}
