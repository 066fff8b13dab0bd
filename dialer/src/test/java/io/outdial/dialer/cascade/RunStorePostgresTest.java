package io.outdial.dialer.cascade;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

/** The cascade store contract on PostgreSQL. */
class RunStorePostgresTest extends RunStoreContract {
    private final DataSource ds = MigratedDatabases.postgres();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
