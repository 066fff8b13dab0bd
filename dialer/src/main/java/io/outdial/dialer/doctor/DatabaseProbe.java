package io.outdial.dialer.doctor;

import io.outdial.dialer.storage.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.Callable;
import javax.sql.DataSource;

/** Blocking database probes for {@link DoctorSetup#database()}: open a connection, ask it whether it is valid. */
final class DatabaseProbe {
    private DatabaseProbe() {
    }

    /** A probe of the configured database with its own connection (the command line: no pool). */
    public static Callable<String> of(DatabaseConfig config) {
        return () -> {
            if (config.embedded() && !Files.exists(Path.of(config.dataDir()).resolve("outdial.mv.db"))) {
                return "embedded H2 under " + config.dataDir() + " (not created yet: the first start creates it)";
            }
            try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
                return describe(c, config.embedded() ? "embedded H2 under " + config.dataDir()
                    : config.url().replaceAll("\\?.*", ""));
            } catch (SQLException e) {
                if (config.embedded() && String.valueOf(e.getMessage()).toLowerCase().contains("lock")) {
                    return "embedded H2 under " + config.dataDir() + " is open in a running node";
                }
                throw e;
            }
        };
    }

    /** A probe of a running node's pool. */
    static Callable<String> of(DataSource ds, String what) {
        return () -> {
            try (Connection c = ds.getConnection()) {
                return describe(c, what);
            }
        };
    }

    private static String describe(Connection c, String what) throws SQLException {
        if (!c.isValid(5)) {
            throw new SQLException("the connection is not valid");
        }
        var meta = c.getMetaData();
        return meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion() + " reachable (" + what + ")";
    }
}
