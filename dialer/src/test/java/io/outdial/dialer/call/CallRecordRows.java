package io.outdial.dialer.call;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/** Test fixture: writes call-record rows directly (blocking), for tests that need rows without a running writer. */
public final class CallRecordRows {
    private CallRecordRows() { }

    /** Inserts or replaces the row of {@code record} on a connection of {@code ds}. */
    public static void save(DataSource ds, CallRecord record) {
        try (Connection c = ds.getConnection()) {
            new CallRecordStore(ds).save(c, record);
        } catch (SQLException e) {
            throw new IllegalStateException("test call record " + record.attemptId() + " not saved", e);
        }
    }
}
