package io.outdial.dialer.cascade;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

class ChatPeersH2Test extends ChatPeersContract {
    private final DataSource ds = MigratedDatabases.h2();

    @Override
    DataSource dataSource() {
        return ds;
    }
}
