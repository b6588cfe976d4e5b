package dev.accesstoken.chassis.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.accesstoken.chassis.client.DatabaseFailures;
import dev.accesstoken.testsupport.Postgres;

/** The helper against a real PostgreSQL: binding, mapping, conditional updates, and failures DatabaseFailures can read. */
class SqlTest {

    enum Colour {
        RED, GREEN
    }

    record Thing(String id, BigDecimal amount, Colour colour, Instant at, String note) {
    }

    static Sql sql;

    @BeforeAll
    static void database() {
        Postgres.Database database = Postgres.newDatabase("sql");
        database.execute("""
                CREATE TABLE thing (id TEXT PRIMARY KEY, amount NUMERIC(9, 2) NOT NULL CHECK (amount >= 0),
                                    colour TEXT NOT NULL, at TIMESTAMPTZ, note TEXT)""");
        sql = new Sql(dataSource(database.jdbcUrl(), database.username(), database.password()));
    }

    static PGSimpleDataSource dataSource(String url, String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    static Thing thing(java.sql.ResultSet row) throws SQLException {
        return new Thing(row.getString("id"), row.getBigDecimal("amount"), Sql.enumOf(Colour.class, row, "colour"),
                Sql.instant(row, "at"), row.getString("note"));
    }

    static String insert(String id, String amount, Colour colour, Instant at, String note) {
        sql.update("INSERT INTO thing (id, amount, colour, at, note) VALUES (?, ?, ?, ?, ?)",
                id, new BigDecimal(amount), colour, at, note);
        return id;
    }

    @Test
    void bindsAndMapsEnumsInstantsDecimalsAndNulls() {
        Instant at = Instant.parse("2026-01-02T03:04:05.123456Z");
        insert("a", "12.50", Colour.RED, at, null);
        Thing read = sql.first("SELECT * FROM thing WHERE id = ?", SqlTest::thing, "a").orElseThrow();
        assertEquals(new Thing("a", new BigDecimal("12.50"), Colour.RED, at, null), read);
        // An Instant binds as a timestamptz, so it compares with the column in the database.
        assertEquals(List.of("a"), sql.list("SELECT id FROM thing WHERE at = ? AND colour = ?", row -> row.getString(1),
                at, Colour.RED));
        insert("b", "1", Colour.GREEN, null, "x");
        assertNull(sql.first("SELECT * FROM thing WHERE id = ?", SqlTest::thing, "b").orElseThrow().at());
    }

    @Test
    void firstIsEmptyWithoutARowAndListKeepsTheOrder() {
        assertEquals(Optional.empty(), sql.first("SELECT id FROM thing WHERE id = ?", row -> row.getString(1), "none"));
        insert("l2", "2", Colour.RED, null, "list");
        insert("l1", "1", Colour.RED, null, "list");
        assertEquals(List.of("l1", "l2"), sql.list("SELECT id FROM thing WHERE note = ? ORDER BY id",
                row -> row.getString(1), "list"));
    }

    @Test
    void aConditionalUpdateSaysWhetherItsConditionHeld() {
        insert("c", "10", Colour.RED, null, null);
        String debit = "UPDATE thing SET amount = amount - ? WHERE id = ? AND amount >= ?";
        assertEquals(1, sql.update(debit, new BigDecimal("7"), "c", new BigDecimal("7")));
        assertEquals(0, sql.update(debit, new BigDecimal("7"), "c", new BigDecimal("7")));
        assertEquals(0, sql.update("INSERT INTO thing (id, amount, colour) VALUES (?, 1, 'RED') ON CONFLICT DO NOTHING", "c"));
    }

    @Test
    void aRefusedStatementKeepsTheDriversExceptionAndNoBoundValue() {
        insert("d", "1", Colour.RED, null, null);
        Sql.Failure duplicate = assertThrows(Sql.Failure.class, () -> insert("d", "1", Colour.RED, null, "secret-value"));
        SQLException cause = assertInstanceOf(SQLException.class, duplicate.getCause());
        assertEquals("23505", cause.getSQLState());
        assertTrue(duplicate.getMessage().contains("INSERT INTO thing"), duplicate.getMessage());
        assertFalse(duplicate.getMessage().contains("secret-value"), duplicate.getMessage());
        assertFalse(DatabaseFailures.isUnavailable(duplicate), "a bug or a conflict is not an outage");

        // A NUL byte: a value the database cannot take, the caller's input (400).
        Sql.Failure nul = assertThrows(Sql.Failure.class, () -> insert("e", "1", Colour.RED, null, "a\u0000b"));
        assertTrue(DatabaseFailures.isInvalidValue(nul), nul.getMessage());
    }

    @Test
    void aDatabaseOutOfReachIsAnOutage() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Sql gone = new Sql(dataSource("jdbc:postgresql://localhost:" + closed + "/none", "x", "x"));
        Sql.Failure failure = assertThrows(Sql.Failure.class, () -> gone.first("SELECT 1", row -> row.getInt(1)));
        assertTrue(DatabaseFailures.isUnavailable(failure), failure.getMessage());
    }
}
