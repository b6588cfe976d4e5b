package dev.accesstoken.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime role a service connects as has DML rights only. Against a real PostgreSQL, the database is
 * initialised with the very SQL the Kubernetes databases run (k8s/base/db-init/app-role.psql); then the
 * owner creates a table and a sequence, as Flyway does later; then the runtime role tries every kind of
 * schema change and privilege escalation (each refused with SQLState 42501, insufficient privilege) and
 * does its normal work on what the owner created (allowed).
 */
class DatabaseRolesTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static Postgres.Database db;

    @BeforeAll
    static void initialiseThenMigrateAsTheOwner() {
        db = Postgres.newDatabase("roles");
        // As a Flyway migration, after the init: the owner's default privileges must cover these.
        db.execute("CREATE TABLE orders (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item TEXT NOT NULL)");
        db.execute("CREATE SEQUENCE order_numbers");
        db.execute("INSERT INTO orders (item) VALUES ('from the owner')");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "CREATE TABLE evil (x INT)",
            "CREATE TEMP TABLE evil (x INT)",
            "CREATE VIEW evil AS SELECT 1",
            "CREATE FUNCTION evil() RETURNS INT LANGUAGE sql AS 'SELECT 1'",
            "CREATE SCHEMA evil",
            "CREATE INDEX evil ON orders (item)",
            "DROP TABLE orders",
            "DROP SEQUENCE order_numbers",
            "ALTER TABLE orders ADD COLUMN evil TEXT",
            "ALTER TABLE orders DISABLE ROW LEVEL SECURITY",
            "TRUNCATE orders",
            "CREATE ROLE evil LOGIN PASSWORD 'evil'",
            "ALTER ROLE CURRENT_USER SUPERUSER",
            "ALTER ROLE CURRENT_USER CREATEROLE",
            "CREATE DATABASE evil",
            "CREATE TRIGGER evil BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()"})
    void theRuntimeRoleCannotChangeTheSchemaNorItsRights(String attack) throws SQLException {
        try (Connection app = db.connectAsApp(); Statement sql = app.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> sql.execute(attack), attack + " was allowed");
            assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), attack + ": " + refused.getMessage());
        }
        // Nothing changed for the owner either.
        assertEquals(List.of("id", "item"), db.queryStrings(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position"));
    }

    @Test
    void theRuntimeRoleReadsAndWritesWhatTheOwnerCreatedLater() throws SQLException {
        try (Connection app = db.connectAsApp(); Statement sql = app.createStatement()) {
            assertEquals(1, sql.executeUpdate("INSERT INTO orders (item) VALUES ('from the app')"));
            assertEquals(1, sql.executeUpdate("UPDATE orders SET item = 'changed' WHERE item = 'from the app'"));
            try (ResultSet rows = sql.executeQuery("SELECT count(*) FROM orders WHERE item = 'changed'")) {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1));
            }
            try (ResultSet next = sql.executeQuery("SELECT nextval('order_numbers')")) {
                assertTrue(next.next());
            }
            assertEquals(1, sql.executeUpdate("DELETE FROM orders WHERE item = 'changed'"));
            // SELECT ... FOR UPDATE and LOCK (row and table locks the application may take) need only DML rights.
            app.setAutoCommit(false);
            sql.execute("LOCK TABLE orders IN ROW EXCLUSIVE MODE");
            sql.executeQuery("SELECT id FROM orders FOR UPDATE").close();
            app.commit();
        }
    }

    /** GRANT without grant options is no error in PostgreSQL, only a warning: what counts is that nothing is granted. */
    @Test
    void theRuntimeRoleCannotPassItsRightsOn() throws SQLException {
        try (Connection app = db.connectAsApp(); Statement sql = app.createStatement()) {
            sql.execute("GRANT SELECT, INSERT ON orders TO PUBLIC");
            assertTrue(String.valueOf(sql.getWarnings()).contains("no privileges were granted"), String.valueOf(sql.getWarnings()));
        }
        assertEquals("0", db.queryString("SELECT count(*) FROM information_schema.role_table_grants"
                + " WHERE grantee = 'PUBLIC' AND table_name = 'orders'"));
    }

    @Test
    void theRuntimeRoleIsAnotherRoleWithoutAttributes() {
        assertFalse(db.appUsername().equals(db.username()));
        assertEquals("f f f f f", db.queryString("SELECT concat_ws(' ', rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls)"
                + " FROM pg_roles WHERE rolname = '" + db.appUsername() + "'"));
    }

    @Test
    void psqlVariablesAreQuotedAsPsqlQuotesThem() {
        assertEquals(List.of("CREATE ROLE \"a\"\"b\" PASSWORD 'it''s'", "GRANT x TO \"a\"\"b\""),
                Postgres.statements("-- a comment; with a semicolon\nCREATE ROLE :\"u\" PASSWORD :'p';\nGRANT x TO :\"u\";\n",
                        Map.of("u", "a\"b", "p", "it's")));
        assertThrows(IllegalArgumentException.class, () -> Postgres.statements("SELECT :u;\n", Map.of("u", "x")));
        assertThrows(IllegalArgumentException.class, () -> Postgres.statements("\\set u x\nSELECT 1;\n", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Postgres.statements("SELECT :'nope';\n", Map.of()));
    }
}
