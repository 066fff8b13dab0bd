package io.outdial.dialer.dialing;

import io.outdial.dialer.storage.Database;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.SqlCount;
import io.outdial.sandbox.pbx.CalleeScript;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The database goes away for two seconds while a campaign has live calls: picks, attempt rows, hand-backs and the
 * storage of outcomes fail meanwhile. Nothing may be lost: every outcome is stored once the database is back, no
 * contact is left claimed without a call, no contact is dialed twice, and the campaign runs to its end.
 */
class DatabaseOutageIT {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
    private static final int CONTACTS = 20;

    /** A data source whose connections can be refused for a while (open connections are not affected). */
    private static final class Outage implements DataSource {
        private final DataSource db;
        private volatile boolean down;
        private volatile int refused;

        Outage(DataSource db) {
            this.db = db;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (down) {
                refused++;
                throw new SQLException("database unreachable (test outage)", "08001");
            }
            return db.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return db.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            db.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            db.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return db.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return db.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return db.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return db.isWrapperFor(iface);
        }
    }

    private static String number(int i) {
        return String.format("+3361234%04d", 5000 + i);
    }

    @Test
    @Timeout(120)
    void aTwoSecondOutageWithLiveCallsLosesNoOutcomeAndLeavesNoContactClaimed() throws Exception {
        DataSource db = MigratedDatabases.h2();
        Outage ds = new Outage(db);
        try (RunnerHarness h = new RunnerHarness(START, 1, false)) {
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, h.clock);
            campaigns.create(Campaign.draft("outage", "Outage", START));
            campaigns.moveTo(campaigns.get("outage").orElseThrow(), CampaignState.RUNNING, "test");
            List<JdbcContactStore.NewContact> list = new ArrayList<>();
            for (int i = 0; i < CONTACTS; i++) {
                list.add(new JdbcContactStore.NewContact("outage", "c" + i, new PhoneSet(List.of(new Phone("mobile",
                        number(i), 0, false))), "UTC", Map.of(), ContactState.WAITING, null, START));
                h.pbx.scripts().registerNumber(number(i), CalleeScript.answerAfter(Duration.ofMillis(500))
                        .withHangupAfter(Duration.ofMillis(1500)));
            }
            new JdbcContactStore(ds).insertAll(list);
            CampaignSettings settings = new CampaignSettings("outage",
                    CallingCalendar.builder().everyDay("00:00-24:00").build(), AttemptRules.defaults(),
                    ZoneOffset.UTC, new LineLimits(100, Map.of(), Map.of("outage", 4)),
                    new RateLimits(RateLimit.NONE, Map.of(), Map.of()), false, 2);
            Database runnerDb = Database.open(h.vertx, ds, "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, h.engine, h.trunk, settings,
                    null, h.clock, "FR", "node-test")).await();
            CampaignRunner runner = new CampaignRunner(h.vertx, parts, h.vertx.createSharedWorkerExecutor("out", 4));
            runner.start().await();

            await().atMost(Duration.ofSeconds(20)).until(() -> h.live.get() >= 3);
            ds.down = true;
            // the live calls end while the database is away: their outcomes cannot be stored yet
            await().atMost(Duration.ofSeconds(10)).until(() -> ds.refused >= 3 && h.live.get() == 0);
            // the outage lasts until the runner has been refused again after the calls ended (its retries run)
            int refusedWhenCallsEnded = ds.refused;
            await().atMost(Duration.ofSeconds(10)).until(() -> ds.refused >= refusedWhenCallsEnded + 2);
            ds.down = false;

            try {
                runner.finished().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("campaign not finished 60 s after the outage: " + runner.whyNot().message()
                        + "; " + runner.stats(), e);
            }
            assertThat(ds.refused).as("connections refused during the outage").isPositive();
            assertThat(runner.stats().live()).isZero();
            assertThat(SqlCount.of(db, "SELECT COUNT(*) FROM contact WHERE campaign_id = 'outage'"
                    + " AND state <> 'CLOSED'")).as("every contact closed, none left claimed").isZero();
            assertThat(SqlCount.of(db, "SELECT COUNT(*) FROM call_records WHERE campaign_id = 'outage'"
                    + " AND state <> 'ENDED'")).as("every outcome stored").isZero();
            assertThat(SqlCount.of(db, "SELECT COUNT(DISTINCT contact_id) FROM call_records"
                    + " WHERE campaign_id = 'outage'")).isEqualTo(CONTACTS);
            assertThat(SqlCount.of(db, "SELECT COUNT(*) FROM call_records WHERE campaign_id = 'outage'"))
                    .as("each contact answered once: no attempt lost or repeated").isEqualTo(CONTACTS);
            assertThat(SqlCount.of(db, "SELECT SUM(attempts) FROM contact WHERE campaign_id = 'outage'"))
                    .isEqualTo(CONTACTS);
        }
    }
}
