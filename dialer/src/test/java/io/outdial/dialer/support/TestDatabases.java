package io.outdial.dialer.support;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
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

    /** Applies the project's migrations to {@code ds} (also used for a PostgreSQL DataSource). */
    public static DataSource migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }
}
