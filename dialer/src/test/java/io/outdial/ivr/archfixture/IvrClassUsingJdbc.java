package io.outdial.ivr.archfixture;

import java.sql.Connection;

/** Test fixture: a class in the ivr namespace that breaks the module rules, so the rule is shown to fire. */
public final class IvrClassUsingJdbc {
    private IvrClassUsingJdbc() {
    }

    public static boolean closed(Connection c) throws java.sql.SQLException {
        return c.isClosed();
    }
}
