package io.outdial.dialer.cascade;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

class ChatPeersPostgresTest extends ChatPeersContract {
    private final DataSource ds = MigratedDatabases.postgres();

    @Override
    DataSource dataSource() {
        return ds;
    }
}
