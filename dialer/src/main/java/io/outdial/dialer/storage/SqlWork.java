package io.outdial.dialer.storage;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A unit of JDBC work. Runs on a database worker thread, never on the event loop.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface SqlWork<T> {
    T apply(Connection connection) throws SQLException;
}
