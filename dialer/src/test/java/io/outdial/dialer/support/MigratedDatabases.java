package io.outdial.dialer.support;

import io.outdial.dialer.storage.DatabaseConfig;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh databases with every project migration applied, for store tests written as a contract class with an
 * H2 and a PostgreSQL subclass. PostgreSQL is the shared {@link EmbeddedPostgres}: never skipped.
 */
public final class MigratedDatabases {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private MigratedDatabases() { }

    /** A new in-memory H2 database (same compatibility flags as production) with every migration applied. */
    public static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:migrated" + SEQ.incrementAndGet() + ";DB_CLOSE_DELAY=-1" + DatabaseConfig.H2_COMPAT);
        ds.setUser("sa");
        return migrate(ds);
    }

    /** A new database on the embedded PostgreSQL server with every migration applied. */
    public static DataSource postgres() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(EmbeddedPostgres.get().createDatabase());
        ds.setUser("postgres");
        return migrate(ds);
    }

    /** Applies the project's migrations to {@code ds}. */
    public static DataSource migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }
}
