package io.outdial.dialer.flow;

import io.outdial.dialer.support.MigratedDatabases;

import javax.sql.DataSource;

/** The flow store contract on H2. */
class FlowStoreH2Test extends FlowStoreContract {
    private final DataSource ds = MigratedDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
