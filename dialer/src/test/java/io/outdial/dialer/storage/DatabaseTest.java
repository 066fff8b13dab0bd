package io.outdial.dialer.storage;

import io.outdial.dialer.ready.DependencyStatus;
import io.outdial.dialer.support.Await;
import io.outdial.dialer.support.TestDatabases.TestDatabase;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Storage on both engines: migrations, transactions, worker threads, readiness. */
class DatabaseTest {
    private static final String BOTH = "io.outdial.dialer.support.TestDatabases#both";

    private Vertx vertx;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() {
        Await.result(vertx.close());
    }

    private Database started(TestDatabase db) {
        Database database = Database.using(vertx, db.dataSource(), db.engine(), 2);
        Await.result(database.start());
        return database;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void startMigratesTheBaseSchema(TestDatabase db) {
        Database database = started(db);

        Integer version = Await.result(database.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery(
                "SELECT MAX(CAST(version AS INT)) FROM flyway_schema_history WHERE success = TRUE")) {
                rs.next();
                return rs.getInt(1);
            }
        }));
        assertThat(version).isGreaterThanOrEqualTo(1);
        assertThat(count(database, "app_setting")).isZero();
        assertThat(count(database, "node_start")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void migratingTwiceAppliesNothingTheSecondTime(TestDatabase db) {
        started(db);
        assertThat(Database.migrate(db.dataSource()).migrationsExecuted).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void transactionCommitsWhenWorkReturns(TestDatabase db) {
        Database database = started(db);
        OffsetDateTime at = OffsetDateTime.of(2026, 3, 29, 1, 30, 0, 0, ZoneOffset.ofHours(2));

        Await.result(database.inTransaction(c -> {
            insertSetting(c, "a", "1", at);
            return insertSetting(c, "b", "2", at);
        }));

        assertThat(count(database, "app_setting")).isEqualTo(2);
        OffsetDateTime read = Await.result(database.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT updated_at FROM app_setting WHERE setting_name = 'a'")) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class);
            }
        }));
        assertThat(read.toInstant()).isEqualTo(at.toInstant());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void transactionRollsBackEverythingWhenWorkThrows(TestDatabase db) {
        Database database = started(db);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);

        Throwable failure = Await.failure(database.inTransaction(c -> {
            insertSetting(c, "a", "1", now);
            return insertSetting(c, "a", "duplicate key", now);
        }));

        assertThat(failure).isInstanceOf(SQLException.class);
        assertThat(count(database, "app_setting")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void jdbcWorkRunsOnANamedWorkerNotTheEventLoop(TestDatabase db) {
        Database database = started(db);

        io.vertx.core.Promise<String> thread = io.vertx.core.Promise.promise();
        vertx.runOnContext(v -> {
            assertThat(Context.isOnEventLoopThread()).isTrue();
            database.withConnection(c -> {
                assertThat(Context.isOnEventLoopThread()).isFalse();
                return Thread.currentThread().getName();
            }).onComplete(thread);
        });

        assertThat(Await.result(thread.future())).startsWith("outdial-db");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource(BOTH)
    void readinessIsUpWithTheProductNameOnceStarted(TestDatabase db) {
        Database database = Database.using(vertx, db.dataSource(), db.engine(), 2);
        assertThat(Await.result(database.check()).stateName()).isEqualTo("DOWN");

        Await.result(database.start());
        DependencyStatus status = Await.result(database.check());

        assertThat(status.stateName()).isEqualTo("UP");
        assertThat(status.detail()).containsIgnoringCase(db.engine());
    }

    private static int insertSetting(java.sql.Connection c, String name, String value, OffsetDateTime at)
        throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO app_setting (setting_name, setting_value, updated_at) VALUES (?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, value);
            ps.setObject(3, at);
            return ps.executeUpdate();
        }
    }

    private static int count(Database database, String table) {
        return Await.result(database.withConnection(c -> {
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                return rs.getInt(1);
            }
        }));
    }
}
