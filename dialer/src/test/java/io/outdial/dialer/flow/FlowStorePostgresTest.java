package io.outdial.dialer.flow;

import io.outdial.dialer.support.MigratedDatabases;

import javax.sql.DataSource;

/** The flow store contract on Postgres. */
class FlowStorePostgresTest extends FlowStoreContract {
    private final DataSource ds = MigratedDatabases.postgres();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
