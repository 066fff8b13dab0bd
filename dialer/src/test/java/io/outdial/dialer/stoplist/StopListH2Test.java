package io.outdial.dialer.stoplist;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

class StopListH2Test extends StopListContract {
    private final DataSource ds = MigratedDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
