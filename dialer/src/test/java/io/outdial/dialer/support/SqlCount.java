package io.outdial.dialer.support;

import io.outdial.dialer.storage.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The one number a test query returns ({@code SELECT COUNT(*) ...}, {@code SUM}), read on the test thread. */
public final class SqlCount {
    private SqlCount() { }

    /** Through a data source (a connection of its own). */
    public static long of(DataSource ds, String sql) {
        try (Connection c = ds.getConnection()) {
            return read(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test query failed: " + sql, e);
        }
    }

    /** Through a running node's database (its worker threads). */
    public static long of(Database db, String sql) {
        return Await.result(db.withConnection(c -> read(c, sql)));
    }

    private static long read(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
