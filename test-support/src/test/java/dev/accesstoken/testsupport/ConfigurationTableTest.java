package dev.accesstoken.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The configuration table of docs/configuration.md against the code, so that neither drifts from the other.
 *
 * <p>The rule. "The code" is every property key that
 * <ol>
 * <li>is set in the main application.properties of chassis, api-gateway, order-service or customer-service, or in
 * the chassis's META-INF/microprofile-config.properties (the defaults they share), in any profile ({@code %dev.},
 * {@code %prod.}, ... stripped), commented-out lines and the source's own {@code config_ordinal} excluded;</li>
 * <li>is read with {@code @ConfigProperty(name = ...)} in their src/main/java;</li>
 * <li>is a leaf of a {@code @ConfigMapping} interface there (prefix + kebab-case method names, through nested
 * interfaces; a {@code Map<String, X>} adds one free segment);</li>
 * <li>or is set as an environment variable (QUARKUS_..., MP_..., SMALLRYE_..., GATEWAY_..., CUSTOMERS_...,
 * ORDERS_..., ACCESS_TOKEN_...) anywhere under k8s/, compared in its environment-variable form.</li>
 * </ol>
 * "The table" is the first column of every row of the table under "## Properties" in docs/configuration.md: one
 * key per row, in backticks, where {@code <name>} stands for one free segment and a trailing {@code .*} for any
 * rest. Every key of the code must match a row, and every row must match a key of the code. Quarkus properties
 * this project leaves at their default are not rows; the text around the table may name them.
 */
class ConfigurationTableTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final List<String> MODULES = List.of("chassis", "api-gateway", "order-service", "customer-service");
    static final List<String> PROPERTIES = List.of("application.properties", "META-INF/microprofile-config.properties");
    static final Pattern ENV = Pattern.compile("\\b(?:QUARKUS|MP|SMALLRYE|GATEWAY|CUSTOMERS|ORDERS|ACCESS_TOKEN)_[A-Z0-9_]*[A-Z0-9]\\b");

    @Test
    void everyPropertyOfTheCodeIsARowOfTheTable() {
        assertEquals(Set.of(), notInTable(codeKeys(), table()),
                "properties of the code missing from the table in docs/configuration.md");
    }

    @Test
    void everyRowOfTheTableIsAPropertyOfTheCode() {
        assertEquals(Set.of(), notInCode(codeKeys(), table()),
                "rows of the table in docs/configuration.md that no code sets or reads");
    }

    @Test
    void aKeyOnOneSideOnlyIsReportedEitherWay() {
        List<String> table = List.of("gateway.users.<name>.roles", "quarkus.oidc-client.exchange.*", "orders.gone");
        Set<String> code = Set.of("gateway.users.alice.roles", "GATEWAY_USERS_BOB_ROLES", "quarkus.oidc-client.exchange.client-id",
                "orders.new-one", "QUARKUS_NEW_ONE");
        assertEquals(Set.of("orders.new-one", "QUARKUS_NEW_ONE"), notInTable(code, table));
        assertEquals(Set.of("orders.gone"), notInCode(code, table));
    }

    @Test
    void configMappingLeavesFollowNestedInterfacesAndMaps() {
        String source = """
                @ConfigMapping(prefix = "shop")
                public interface ShopConfig {
                    /** Kept, keyed by name. */
                    Map<String, Item> items();
                    @WithDefault("3") int maxRetries();
                    Limits limits();
                    interface Limits { Duration perUser(); } // a comment() ;
                    interface Item { BigDecimal price(); Set<String> tags(); }
                }
                """;
        assertEquals(Set.of("shop.items.<key>.price", "shop.items.<key>.tags", "shop.max-retries", "shop.limits.per-user"),
                new TreeSet<>(mappingLeaves(source)));
    }

    static Set<String> notInTable(Set<String> code, List<String> table) {
        Set<String> missing = new TreeSet<>();
        for (String key : code) {
            if (table.stream().noneMatch(row -> matches(row, key))) {
                missing.add(key);
            }
        }
        return missing;
    }

    static Set<String> notInCode(Set<String> code, List<String> table) {
        Set<String> extra = new TreeSet<>();
        for (String row : table) {
            if (code.stream().noneMatch(key -> matches(row, key))) {
                extra.add(row);
            }
        }
        return extra;
    }

    /** A row matches a dotted key by its pattern, and an environment variable by its environment form. */
    static boolean matches(String row, String key) {
        boolean env = key.equals(key.toUpperCase(Locale.ROOT)) && !key.contains(".");
        StringBuilder regex = new StringBuilder();
        Matcher part = Pattern.compile("<[^>]+>|\\.\\*$|[^<]+?(?=<|\\.\\*$|$)").matcher(row);
        while (part.find()) {
            String p = part.group();
            if (p.startsWith("<")) {
                regex.append(env ? "[A-Z0-9_]+" : "[^.]+");
            } else if (p.equals(".*")) {
                regex.append(env ? "_[A-Z0-9_]+" : "\\..+");
            } else {
                regex.append(Pattern.quote(env ? p.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") : p));
            }
        }
        // A mapping's free segment, "<key>", matches a row's free segment as well as a literal one.
        return key.matches(regex.toString()) || key.replace("<key>", "x").matches(regex.toString());
    }

    static List<String> table() {
        String doc = read(ROOT.resolve("docs/configuration.md"));
        int start = doc.indexOf("\n## Properties");
        assertTrue(start >= 0, "docs/configuration.md has no \"## Properties\" section");
        List<String> rows = new ArrayList<>();
        for (String line : doc.substring(start + 1).split("\n")) {
            if (line.startsWith("## ") && !rows.isEmpty()) {
                break;
            }
            if (!line.startsWith("| `")) {
                continue;
            }
            Matcher key = Pattern.compile("^\\| `([^`]+)` \\|").matcher(line);
            assertTrue(key.find(), "a row must start with exactly one key in backticks: " + line);
            rows.add(key.group(1));
        }
        assertFalse(rows.isEmpty(), "no rows under ## Properties in docs/configuration.md");
        return rows;
    }

    static Set<String> codeKeys() {
        Set<String> keys = new TreeSet<>();
        for (String module : MODULES) {
            for (String file : PROPERTIES) {
                Path properties = ROOT.resolve(module).resolve("src/main/resources").resolve(file);
                if (Files.isRegularFile(properties)) {
                    Properties p = new Properties();
                    try {
                        p.load(new StringReader(read(properties)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    p.stringPropertyNames().stream().filter(k -> !k.equals("config_ordinal"))
                            .forEach(k -> keys.add(k.replaceFirst("^%[^.]+\\.", "")));
                }
            }
            for (Path java : files(ROOT.resolve(module).resolve("src/main/java"), ".java")) {
                String source = read(java);
                Matcher property = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"").matcher(source);
                while (property.find()) {
                    keys.add(property.group(1));
                }
                keys.addAll(mappingLeaves(source));
            }
        }
        for (Path file : files(ROOT.resolve("k8s"), "")) {
            Matcher env = ENV.matcher(read(file));
            while (env.find()) {
                keys.add(env.group());
            }
        }
        return keys;
    }

    /** The leaves of the @ConfigMapping interface in a source file (none if it has none). */
    static List<String> mappingLeaves(String source) {
        String code = source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
        Matcher mapping = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)[^{]*?interface\\s+(\\w+)")
                .matcher(code);
        List<String> leaves = new ArrayList<>();
        if (mapping.find()) {
            collect(code, mapping.group(2), mapping.group(1), leaves);
        }
        return leaves;
    }

    private static void collect(String code, String type, String prefix, List<String> leaves) {
        Matcher start = Pattern.compile("interface\\s+" + type + "\\b[^{]*\\{").matcher(code);
        if (!start.find()) {
            throw new IllegalStateException("no interface " + type);
        }
        // The interface's own body, without the bodies of interfaces nested in it.
        StringBuilder own = new StringBuilder();
        int depth = 1;
        for (int i = start.end(); i < code.length() && depth > 0; i++) {
            char c = code.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 1) {
                own.append(c);
            }
        }
        String body = own.toString();
        Matcher method = Pattern.compile("([\\w.]+(?:<[^;()]*>)?)\\s+(\\w+)\\(\\)\\s*;").matcher(body);
        while (method.find()) {
            String returned = method.group(1);
            String name = prefix + "." + method.group(2).replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            Matcher map = Pattern.compile("Map<\\s*String\\s*,\\s*(\\w+)\\s*>").matcher(returned);
            if (map.matches() && declares(code, map.group(1))) {
                collect(code, map.group(1), name + ".<key>", leaves);
            } else if (declares(code, returned)) {
                collect(code, returned, name, leaves);
            } else {
                leaves.add(name);
            }
        }
    }

    private static boolean declares(String code, String type) {
        return type.matches("\\w+") && Pattern.compile("interface\\s+" + type + "\\b").matcher(code).find();
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(suffix))
                    .filter(f -> !f.toString().contains("/secrets/")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
