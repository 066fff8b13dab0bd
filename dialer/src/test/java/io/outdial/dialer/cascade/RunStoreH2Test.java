package io.outdial.dialer.cascade;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

/** The cascade store contract on H2. */
class RunStoreH2Test extends RunStoreContract {
    private final DataSource ds = MigratedDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
