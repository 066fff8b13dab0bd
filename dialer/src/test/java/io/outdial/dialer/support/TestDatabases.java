package io.outdial.dialer.support;

import java.util.concurrent.atomic.AtomicInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** Fresh migrated databases for storage tests. */
public final class TestDatabases {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private TestDatabases() { }

    /** A new in-memory H2 database with every migration applied. */
    public static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:campaign" + SEQ.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        return migrate(ds);
    }

    /**
     * A fresh schema in the PostgreSQL named by system property {@code outdial.test.pg.url} or environment
     * variable {@code OUTDIAL_TEST_PG_URL} (e.g. {@code jdbc:postgresql://127.0.0.1:55432/postgres?user=outdial}),
     * migrated; the test is skipped when neither is set. The lead's EmbeddedPostgres fixture can replace this.
     */
    public static DataSource postgres() {
        String url = System.getProperty("outdial.test.pg.url", System.getenv("OUTDIAL_TEST_PG_URL"));
        Assumptions.assumeTrue(url != null && !url.isBlank(), "no PostgreSQL configured (OUTDIAL_TEST_PG_URL)");
        String schema = "campaign_t" + ProcessHandle.current().pid() + "_" + SEQ.incrementAndGet();
        PGSimpleDataSource admin = new PGSimpleDataSource();
        admin.setURL(url);
        try (Connection c = admin.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema in " + url, e);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(url);
        ds.setCurrentSchema(schema);
        return migrate(ds);
    }

    /** Applies the project's migrations to {@code ds} (also used for a PostgreSQL DataSource). */
    public static DataSource migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }
}
