package io.outdial.dialer.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.outdial.dialer.ready.DependencyStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The relational store: a connection pool, Flyway migrations ({@code classpath:db/migration}, run at
 * {@link #start()}) and a named worker pool so JDBC never runs on the event loop.
 *
 * <p>Use {@link #withConnection(SqlWork)} for reads and single statements, {@link #inTransaction(SqlWork)}
 * for work that must commit or roll back as a whole. Both return Futures completed on the caller's context.
 */
public final class Database {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** Where every module's migrations live on the classpath ({@code V1__base.sql}, {@code V2__...}). */
    public static final String MIGRATIONS = "classpath:db/migration";

    private final Vertx vertx;
    private final String description;
    private final Supplier<DataSource> dataSourceFactory;
    private final int workers;
    private final boolean ownsPool;
    /** The pool as the node uses it: connection attempts tell {@link #reachable()}. */
    private volatile DataSource dataSource;
    private volatile DatabaseHealth health;
    private volatile WorkerExecutor executor;
    private volatile String product = "";

    private Database(Vertx vertx, String description, int workers, Supplier<DataSource> dataSourceFactory,
                     boolean ownsPool) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.description = description;
        this.workers = workers;
        this.dataSourceFactory = dataSourceFactory;
        this.ownsPool = ownsPool;
    }

    /** A database from configuration: a Hikari pool on the configured URL, or embedded H2 under dataDir. */
    public static Database create(Vertx vertx, DatabaseConfig config) {
        return create(vertx, config, null);
    }

    /** As {@link #create(Vertx, DatabaseConfig)}, reporting pool meters ({@code hikaricp_*}) to {@code meters}. */
    public static Database create(Vertx vertx, DatabaseConfig config, MeterRegistry meters) {
        String where = config.embedded() ? "H2 file database in " + config.dataDir() : "database "
            + io.outdial.dialer.secret.Secrets.maskUrls(config.url());
        return new Database(vertx, where, config.poolSize(), () -> pool(config, meters), true);
    }

    /** A database on an existing DataSource (tests, tools); the caller closes the DataSource. */
    public static Database using(Vertx vertx, DataSource dataSource, String description, int workers) {
        return new Database(vertx, description, workers, () -> dataSource, false);
    }

    /**
     * A started database on an existing DataSource whose schema is already migrated (the headless run, tools,
     * tests): its worker pool is open at once, no migration runs; the caller closes the DataSource.
     */
    public static Database open(Vertx vertx, DataSource dataSource, String description, int workers) {
        Database db = new Database(vertx, description, workers, () -> dataSource, false);
        db.executor = vertx.createSharedWorkerExecutor("outdial-db", workers);
        db.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        return db;
    }

    /** Opens the pool and migrates the schema; fails with a {@link StorageException} naming the cause. */
    public Future<Void> start() {
        executor = vertx.createSharedWorkerExecutor("outdial-db", workers);
        return executor.executeBlocking(() -> {
            DataSource ds;
            try {
                ds = dataSourceFactory.get();
            } catch (RuntimeException e) {
                throw new StorageException(description + ": cannot connect: " + rootMessage(e), e);
            }
            try {
                MigrateResult result = migrate(ds);
                try (Connection c = ds.getConnection()) {
                    DatabaseMetaData md = c.getMetaData();
                    product = md.getDatabaseProductName() + " " + md.getDatabaseProductVersion();
                }
                LOG.info("database ready: {} ({}), schema version {}, {} migration(s) applied", description,
                    product, result.targetSchemaVersion == null ? "unchanged" : result.targetSchemaVersion,
                    result.migrationsExecuted);
            } catch (RuntimeException | SQLException e) {
                closeQuietly(ds);
                throw new StorageException(description + ": cannot open or migrate: " + rootMessage(e), e);
            }
            DatabaseHealth h = new DatabaseHealth(vertx, ds, description);
            health = h;
            dataSource = h;
            return null;
        });
    }

    /** Applies every pending migration of {@link #MIGRATIONS} to {@code ds}. */
    public static MigrateResult migrate(DataSource ds) {
        return Flyway.configure(Database.class.getClassLoader())
            .dataSource(ds)
            .locations(MIGRATIONS)
            .failOnMissingLocations(true)
            .load()
            .migrate();
    }

    /** Runs {@code work} on a database worker with a connection in auto-commit mode. */
    public <T> Future<T> withConnection(SqlWork<T> work) {
        DataSource ds = requireStarted();
        return executor.executeBlocking(() -> {
            try (Connection c = ds.getConnection()) {
                return work.apply(c);
            }
        }, false);
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> Future<T> inTransaction(SqlWork<T> work) {
        DataSource ds = requireStarted();
        return executor.executeBlocking(() -> inTransaction(ds, work), false);
    }

    /**
     * The blocking face of {@link #inTransaction(SqlWork)}, for code already on a worker thread (the headless run,
     * imports): {@code work} in one transaction on a connection of {@code ds}, committed when it returns, rolled
     * back when it throws.
     */
    public static <T> T inTransaction(DataSource ds, SqlWork<T> work) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (Exception | Error e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Whether the database answered the node's last connection attempt. False from an attempt that found it
     * unreachable until a connection is had again (a background probe tries every second meanwhile): requests that
     * can be retried by their client are refused at once while it is false, instead of each waiting the connect
     * timeout. True before the start.
     */
    public boolean reachable() {
        DatabaseHealth h = health;
        return h == null || h.reachable();
    }

    /** Readiness: UP with the product and version when {@code SELECT 1} answers, DOWN otherwise. */
    public Future<DependencyStatus> check() {
        if (dataSource == null) {
            return Future.succeededFuture(DependencyStatus.down(description + ": not started"));
        }
        if (!reachable()) {
            return Future.succeededFuture(DependencyStatus.down(description + ": unreachable (tried again every"
                + " second)"));
        }
        return withConnection(c -> c.isValid(2))
            .map(valid -> valid ? DependencyStatus.up(product + " (" + description + ")")
                : DependencyStatus.down(description + ": connection not valid"));
    }

    /** The pooled DataSource, for libraries that need one; JDBC calls on it must run off the event loop. */
    public DataSource dataSource() {
        return requireStarted();
    }

    public String description() {
        return description;
    }

    /** Closes the pool (when this Database created it) and the worker pool. */
    public Future<Void> close() {
        DatabaseHealth h = health;
        health = null;
        dataSource = null;
        DataSource ds = h == null ? null : h.pool();
        if (h != null) {
            h.close();
        }
        WorkerExecutor ex = executor;
        if (ex == null) {
            return Future.succeededFuture();
        }
        return ex.executeBlocking(() -> {
            closeQuietly(ds);
            return null;
        }).<Void>mapEmpty().eventually(ex::close);
    }

    private void closeQuietly(DataSource ds) {
        if (ownsPool && ds instanceof HikariDataSource) {
            ((HikariDataSource) ds).close();
            LOG.info("database closed: {}", description);
        }
    }

    private DataSource requireStarted() {
        DataSource ds = dataSource;
        if (ds == null) {
            throw new IllegalStateException(description + " is not started");
        }
        return ds;
    }

    private static HikariDataSource pool(DatabaseConfig config, MeterRegistry meters) {
        if (config.embedded()) {
            try {
                Files.createDirectories(Path.of(config.dataDir()));
            } catch (IOException e) {
                throw new IllegalStateException("database.dataDir " + config.dataDir() + " cannot be created: " + e, e);
            }
        }
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("outdial-db");
        if (meters != null) {
            hc.setMetricRegistry(meters);
        }
        hc.setJdbcUrl(config.jdbcUrl());
        if (config.user() != null) {
            hc.setUsername(config.user());
        } else if (config.embedded()) {
            hc.setUsername(DatabaseConfig.H2_USER);
        }
        if (config.password() != null) {
            hc.setPassword(config.password());
        } else if (config.embedded()) {
            hc.setPassword(DatabaseConfig.H2_PASSWORD);
        }
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setConnectionTimeout(config.connectTimeout().toMillis());
        hc.setInitializationFailTimeout(config.connectTimeout().toMillis());
        hc.setValidationTimeout(Math.min(config.connectTimeout().toMillis(), TimeUnit.SECONDS.toMillis(5)));
        return new HikariDataSource(hc);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : msg;
    }
}
