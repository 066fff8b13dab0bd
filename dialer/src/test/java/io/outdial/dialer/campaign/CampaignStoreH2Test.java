package io.outdial.dialer.campaign;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

class CampaignStoreH2Test extends CampaignStoreContract {
    private final DataSource ds = MigratedDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
