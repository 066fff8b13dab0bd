package io.outdial.dialer.support;

import javax.sql.DataSource;

/**
 * Base of storage tests: subclasses supply a migrated, empty database. The H2 subclasses run now; a
 * PostgreSQL subclass only has to return the EmbeddedPostgres DataSource (migrated via
 * {@link TestDatabases#migrate}) to run the same tests there.
 */
public interface DatabaseTest {
    /** A migrated database no other test uses. */
    DataSource dataSource();
}
