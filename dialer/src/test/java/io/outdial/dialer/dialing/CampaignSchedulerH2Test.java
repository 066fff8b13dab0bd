package io.outdial.dialer.dialing;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

class CampaignSchedulerH2Test extends CampaignSchedulerContract {
    private final DataSource ds = MigratedDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
