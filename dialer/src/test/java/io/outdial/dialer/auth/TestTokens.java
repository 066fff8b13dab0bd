package io.outdial.dialer.auth;

import java.time.Clock;
import javax.sql.DataSource;

/** API tokens written straight into a migrated database, for tests that run no guard of their own. */
public final class TestTokens {
    private TestTokens() {
    }

    /** A new token {@code name} with {@code role} made by {@code test}, never expiring; returns its plain value. */
    public static String create(DataSource ds, String name, Role role) {
        return new AuthStore(ds, Clock.systemUTC()).createToken(name, role, "test", null).plain();
    }
}
