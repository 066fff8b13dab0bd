package io.outdial.dialer.contact;

import io.outdial.dialer.support.MigratedDatabases;
import javax.sql.DataSource;

class ContactStoreH2Test extends ContactStoreContract {
    private final DataSource ds = MigratedDatabases.h2();

    @Override
    public DataSource dataSource() {
        return ds;
    }
}
