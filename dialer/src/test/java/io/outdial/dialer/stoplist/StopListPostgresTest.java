package io.outdial.dialer.stoplist;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

/** The same tests on PostgreSQL; skipped unless OUTDIAL_TEST_PG_URL is set (see TestDatabases). */
class StopListPostgresTest extends StopListContract {
    private final DataSource ds = MigratedDatabases.postgres();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
