package io.outdial.dialer.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.outdial.dialer.storage.DatabaseConfig;

import javax.sql.DataSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Fresh, empty databases for storage tests, on both engines. The pattern to copy:
 * <pre>{@code
 * @ParameterizedTest(name = "{0}")
 * @MethodSource("io.outdial.dialer.support.TestDatabases#both")
 * void savesAndLoads(TestDatabases.TestDatabase db) { ... db.dataSource() ... }
 * }</pre>
 * Each argument is a new database (H2 in memory with our PostgreSQL-compatibility flags, or a new database
 * on the shared {@link EmbeddedPostgres}); JUnit closes it after the test.
 */
public final class TestDatabases {
    private static final AtomicInteger H2_IDS = new AtomicInteger();

    private TestDatabases() {
    }

    /** One fresh H2 and one fresh PostgreSQL database. */
    public static Stream<TestDatabase> both() {
        return Stream.of(h2(), postgres());
    }

    /** A fresh in-memory H2 database. */
    public static TestDatabase h2() {
        String url = "jdbc:h2:mem:outdial_t" + H2_IDS.incrementAndGet() + ";DB_CLOSE_DELAY=-1"
            + DatabaseConfig.H2_COMPAT;
        return new TestDatabase("H2", url, pool(url, "sa", ""));
    }

    /** A fresh database on the shared embedded PostgreSQL server. */
    public static TestDatabase postgres() {
        String url = EmbeddedPostgres.get().createDatabase();
        return new TestDatabase("PostgreSQL", url, pool(url, "postgres", ""));
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(0);
        hc.setPoolName("test-" + url.substring(url.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9_]", "_"));
        return new HikariDataSource(hc);
    }

    /**
     * A test database.
     *
     * @param engine  {@code H2} or {@code PostgreSQL} (the parameterized test's display name)
     * @param url     its JDBC URL
     * @param pool    a small connection pool on it
     */
    public record TestDatabase(String engine, String url, HikariDataSource pool) implements AutoCloseable {
        public DataSource dataSource() {
            return pool;
        }

        @Override
        public void close() {
            pool.close();
            if (engine.equals("H2")) {
                // In-memory H2 lives until SHUTDOWN (DB_CLOSE_DELAY=-1); free it with the test.
                try {
                    java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
                    c.createStatement().execute("SHUTDOWN");
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("cannot shut down " + url + ": " + e, e);
                }
            }
        }

        @Override
        public String toString() {
            return engine;
        }
    }
}
