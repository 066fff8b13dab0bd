package io.outdial.dialer.storage;

import io.outdial.dialer.support.MigratedDatabases;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The node's view of its database: set unreachable by a failed connection, reachable again by its probe. */
class DatabaseHealthTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger tries = new AtomicInteger();
    /** Every connection in use (the pool's timeout without a connection failure behind it). */
    private final AtomicBoolean busyOnly = new AtomicBoolean();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private DataSource outage(DataSource db) {
        return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
                if (method.getName().equals("getConnection") && down.get()) {
                    tries.incrementAndGet(); // what HikariCP throws after its connect timeout when PostgreSQL is away
                    if (busyOnly.get()) {
                        throw new SQLTransientConnectionException("outdial-db - Connection is not available");
                    }
                    throw new SQLTransientConnectionException("outdial-db - Connection is not available", "08001",
                        new SQLException("Connection to 127.0.0.1:5432 refused", "08001"));
                }
                try {
                    return method.invoke(db, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
    }

    @Test
    void aFailedConnectionMarksTheDatabaseUnreachableUntilTheProbeReachesItAgain() throws Exception {
        Database db = Database.using(vertx, outage(MigratedDatabases.h2()), "test database", 2);
        db.start().await();
        assertThat(db.withConnection(c -> 1).await()).isEqualTo(1);
        assertThat(db.reachable()).isTrue();

        down.set(true);
        assertThatThrownBy(() -> db.withConnection(c -> 1).await()).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(db.reachable()).isFalse();
        int before = tries.get();
        assertThat(db.check().await().stateName()).as("readiness answers without a connection attempt")
            .isEqualTo("DOWN");
        assertThat(tries.get()).isEqualTo(before);
        // writes that must be retried are never refused by the flag: they still try the database
        assertThatThrownBy(() -> db.dataSource().getConnection()).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(tries.get()).isEqualTo(before + 1);

        down.set(false);
        await().atMost(Duration.ofSeconds(20)).until(db::reachable);
        assertThat(db.check().await().stateName()).isEqualTo("UP");
        db.close().await();
    }

    @Test
    void aBusyPoolIsNotAnOutage() throws Exception {
        Database db = Database.using(vertx, outage(MigratedDatabases.h2()), "test database", 2);
        db.start().await();
        busyOnly.set(true);
        down.set(true);
        assertThatThrownBy(() -> db.withConnection(c -> 1).await()).isInstanceOf(SQLTransientConnectionException.class);
        assertThat(db.reachable()).isTrue();
        db.close().await();
    }
}
