package io.outdial.dialer.reporting;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A result set ordered by contact id (its first column), walked alongside the contacts ordered by id: positioned on
 * its next unread row, it skips the rows of contacts that no longer exist and tells whether the current row is the
 * asked contact's, so only that contact's rows are read at a time.
 */
final class ByContact {
    final ResultSet rs;
    private boolean more;
    private long cid;

    ByContact(ResultSet rs) throws SQLException {
        this.rs = rs;
        advance();
    }

    /** Moves to the next row. */
    void advance() throws SQLException {
        more = rs.next();
        if (more) {
            cid = rs.getLong(1);
        }
    }

    /** Skips rows of contacts before {@code id} (ids asked in increasing order); true while the row is {@code id}'s. */
    boolean at(long id) throws SQLException {
        while (more && cid < id) {
            advance(); // a row of a contact that no longer exists
        }
        return more && cid == id;
    }
}
