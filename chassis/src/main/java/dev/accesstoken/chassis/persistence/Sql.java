package dev.accesstoken.chassis.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * Plain SQL on a service's own pool, for one small repository per aggregate: the statements stay visible
 * (the conditional updates are the point), and the JDBC ceremony (connection, binding, closing) is written once.
 * Inside a {@code @Transactional} method the pool hands every statement the transaction's one connection.
 * Parameters are bound in order; an enum is bound as its name, an {@link Instant} as a {@code timestamptz}.
 */
public final class Sql {

    /** Reads one row; the result set is already on it. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    /**
     * A statement failed. The driver's {@link SQLException} is the cause, so that the chassis's
     * {@code DatabaseFailures} tells an outage (503) from a refused value (400) or a bug (500).
     * The message holds the SQL with its placeholders, never a bound value.
     */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String sql, SQLException cause) {
            super("SQL failed (" + cause.getSQLState() + "): " + sql, cause);
        }
    }

    private final DataSource dataSource;

    public Sql(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every row, mapped. */
    public <T> List<T> list(String sql, Row<T> mapper, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(mapper.map(rows));
            }
            return result;
        } catch (SQLException e) {
            throw new Failure(sql, e);
        }
    }

    /** The first row, mapped; empty if there is none. */
    public <T> Optional<T> first(String sql, Row<T> mapper, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.setMaxRows(1);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(mapper.map(rows)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new Failure(sql, e);
        }
    }

    /** An INSERT, UPDATE or DELETE; returns how many rows it changed (0: its condition did not hold). */
    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new Failure(sql, e);
        }
    }

    /** A {@code timestamptz} column as an Instant, or null. */
    public static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime at = row.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }

    /** A text column as a constant of {@code type}, or null. */
    public static <E extends Enum<E>> E enumOf(Class<E> type, ResultSet row, String column) throws SQLException {
        String name = row.getString(column);
        return name == null ? null : Enum.valueOf(type, name);
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, bindable(parameters[i]));
            }
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    private static Object bindable(Object value) {
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof Instant at) {
            return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
        }
        return value;
    }
}
