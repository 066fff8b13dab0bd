package io.outdial.dialer.support;

import io.outdial.dialer.app.DialerApp;
import io.outdial.dialer.auth.Role;
import io.outdial.dialer.auth.TestTokens;
import javax.sql.DataSource;

/** API credentials for tests: tokens made through the node's own store, as an admin would make them. */
public final class TestAuth {
    private TestAuth() {
    }

    /** A new admin token of a started node (blocking: call from the test thread). */
    public static String adminToken(DialerApp app) {
        return token(app, Role.ADMIN);
    }

    /** A new token with {@code role} of a started node. */
    public static String token(DialerApp app, Role role) {
        return app.security().createToken("test-" + role.label(), role, "test", null);
    }

    /** A new token with {@code role} in a migrated database. */
    public static String token(DataSource ds, Role role) {
        return TestTokens.create(ds, "test-" + role.label(), role);
    }

    /** {@code Bearer <token>}. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }
}
