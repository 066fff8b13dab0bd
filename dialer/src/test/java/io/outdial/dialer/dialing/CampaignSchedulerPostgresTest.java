package io.outdial.dialer.dialing;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

/** The same tests on PostgreSQL (a fresh database on the embedded server, see EmbeddedPostgres). */
class CampaignSchedulerPostgresTest extends CampaignSchedulerContract {
    private final DataSource ds = MigratedDatabases.postgres();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
