package io.outdial.dialer.storage;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stores' small JDBC helper: run a statement with its parameters bound in order, read its rows with a mapper,
 * and the one way times are written and read ({@code TIMESTAMP WITH TIME ZONE} in UTC). Blocking: call it from a
 * database worker. A failed statement is a {@link StorageException} naming {@code what} was being done.
 */
public final class Rows {
    private Rows() { }

    /** Reads one row into a value. */
    @FunctionalInterface
    public interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The rows of {@code sql} with {@code params} bound in order, each mapped by {@code mapper}. */
    public static <T> List<T> list(DataSource ds, String what, String sql, Mapper<T> mapper, Object... params) {
        try (Connection c = ds.getConnection()) {
            return list(c, sql, mapper, params);
        } catch (SQLException e) {
            throw new StorageException(what + " failed", e);
        }
    }

    /** As {@link #list(DataSource, String, String, Mapper, Object...)} on the caller's connection. */
    public static <T> List<T> list(Connection c, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }
    }

    /** The first row of {@code sql}, if any. */
    public static <T> Optional<T> first(DataSource ds, String what, String sql, Mapper<T> mapper, Object... params) {
        List<T> rows = list(ds, what, sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** The number {@code sql} (a {@code SELECT COUNT(*) ...}) answers. */
    public static long count(DataSource ds, String what, String sql, Object... params) {
        return list(ds, what, sql, rs -> rs.getLong(1), params).get(0);
    }

    /** The number {@code sql} answers, on the caller's connection. */
    public static long count(Connection c, String sql, Object... params) throws SQLException {
        return list(c, sql, rs -> rs.getLong(1), params).get(0);
    }

    /** Rows changed by {@code sql} on the caller's connection. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Binds {@code params} in order: an {@link Instant} as UTC, null as a typed NULL, others as they are. */
    public static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p == null) {
                ps.setNull(i + 1, Types.NULL);
            } else if (p instanceof Instant) {
                ps.setObject(i + 1, utc((Instant) p));
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    /** A time as the stores write it. */
    public static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    /** The time in column {@code i}, or null. */
    public static Instant instant(ResultSet rs, int i) throws SQLException {
        OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
