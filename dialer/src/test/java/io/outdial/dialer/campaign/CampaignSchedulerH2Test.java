package io.outdial.dialer.campaign;

import io.outdial.dialer.support.TestDatabases;
import javax.sql.DataSource;

class CampaignSchedulerH2Test extends CampaignSchedulerContract {
    private final DataSource ds = TestDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
