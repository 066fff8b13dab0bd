package io.outdial.dialer.stoplist;

import io.outdial.dialer.support.TestDatabases;
import javax.sql.DataSource;

class StopListH2Test extends StopListContract {
    private final DataSource ds = TestDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
