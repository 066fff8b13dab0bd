package io.outdial.dialer.storage;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * Whether the node can reach its database, as its own connection attempts show. A connection that cannot be had
 * because the database does not answer (the driver's connection error, also behind the pool's timeout) marks the
 * database unreachable;
 * the next connection had, by anyone, or a background probe on its own worker (every {@link #PROBE_MS} ms while
 * unreachable) marks it reachable again. Work that can wait (API requests, readiness) asks {@link #reachable()} and
 * fails at once during an outage instead of waiting the connect timeout; work that must not be lost (a runner's
 * writes) keeps using the data source, which never refuses by itself.
 */
final class DatabaseHealth implements DataSource {
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(DatabaseHealth.class);
    /** How often the probe tries a connection while the database is unreachable. */
    static final long PROBE_MS = 1_000;

    private final Vertx vertx;
    private final DataSource pool;
    private final String description;
    private final AtomicBoolean unreachable = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile WorkerExecutor probe;
    private volatile boolean closed;

    DatabaseHealth(Vertx vertx, DataSource pool, String description) {
        this.vertx = vertx;
        this.pool = pool;
        this.description = description;
    }

    /** False from a failed connection attempt until a connection is had again. */
    boolean reachable() {
        return !unreachable.get();
    }

    /** The pool this wraps (closed by the owner). */
    DataSource pool() {
        return pool;
    }

    /** Stops the probe. */
    void close() {
        closed = true;
        WorkerExecutor p = probe;
        probe = null;
        if (p != null) {
            p.close();
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        return watch(pool::getConnection);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return watch(() -> pool.getConnection(username, password));
    }

    private interface Acquire {
        Connection get() throws SQLException;
    }

    private Connection watch(Acquire acquire) throws SQLException {
        try {
            Connection c = acquire.get();
            if (unreachable.compareAndSet(true, false)) {
                LOG.info("database reachable again: {}", description);
            }
            return c;
        } catch (SQLException | RuntimeException e) {
            if (unreachable(e)) {
                down(e);
            }
            throw e;
        }
    }

    private void down(Throwable cause) {
        if (unreachable.compareAndSet(false, true)) {
            LOG.warn("database unreachable: {}: {}; requests are refused at once (503) until it answers again",
                description, Database.rootMessage(cause));
        }
        if (!closed && probing.compareAndSet(false, true)) {
            vertx.setTimer(PROBE_MS, t -> tryProbe());
        }
    }

    private void tryProbe() {
        if (closed || !unreachable.get()) {
            probing.set(false);
            return;
        }
        WorkerExecutor p = probe;
        if (p == null) {
            p = vertx.createSharedWorkerExecutor("outdial-db-probe", 1);
            probe = p;
        }
        p.executeBlocking(() -> {
            try (Connection c = getConnection()) {
                return c.isValid(2);
            }
        }, false).onComplete(ar -> {
            if (ar.succeeded() && ar.result() || closed || !unreachable.get()) {
                probing.set(false);
            } else {
                vertx.setTimer(PROBE_MS, t -> tryProbe());
            }
        });
    }

    /**
     * Whether {@code failure} says the database cannot be reached: a connection error ({@code
     * SQLNonTransientConnectionException}, SQL state class 08, also as the cause HikariCP gives its timeout when its
     * own attempts failed) or the server shutting down (57P). A pool timeout without such a cause is a busy pool
     * (every connection in use), not an outage.
     */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException) {
                String state = ((SQLException) t).getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(pool) ? iface.cast(pool) : pool.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(pool) || pool.isWrapperFor(iface);
    }
}
