package io.outdial.dialer.dialing;

import io.outdial.dialer.storage.Database;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.support.CountingDataSource;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.SqlCount;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call's line lease ends with the call (its hangup), not when its outcome is stored: with the outcome writes held
 * back (a slow database), the ended calls count as live no more, their lines are free and the next contacts are
 * dialed; once the database answers, every outcome is stored.
 */
class LeaseAtCallEndIT {
    private static final int LINES = 2;
    /** Twice the lines: the last two can only be dialed on lines freed by calls whose outcome is still held. */
    private static final int CONTACTS = 4;

    @Test
    @Timeout(120)
    void linesAreFreeAtTheHangupWhileTheOutcomesAreStillBeingStored() throws Exception {
        DataSource raw = MigratedDatabases.h2();
        Instant start = Instant.now();
        try (RunnerHarness h = new RunnerHarness(start, 1.0, false)) {
            h.pbx.scripts().register(".*", CalleeScript.busy(Duration.ofMillis(200)));
            h.runningCampaign(raw, "held", CONTACTS, start.minusSeconds(60));
            CountingDataSource db = new CountingDataSource(raw);
            // the contact's result, the last write of an outcome: held as a database under load would
            db.hold(sql -> sql.startsWith("UPDATE contact SET state = ?, result = ?"));
            CampaignSettings settings = new CampaignSettings("held", CallingCalendar.builder()
                    .everyDay("00:00-24:00").build(), AttemptRules.defaults(), ZoneOffset.UTC,
                    new LineLimits(1000, Map.of(), Map.of("held", LINES)),
                    new RateLimits(RateLimit.NONE, Map.of(), Map.of()), false, 20);
            Database runnerDb = Database.open(h.vertx, db.dataSource(), "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, h.engine,
                    h.trunk, settings, null, h.clock, "FR", "node-test")).await();
            WorkerExecutor worker = h.vertx.createSharedWorkerExecutor("lease-test", 8);
            CampaignRunner runner = new CampaignRunner(h.vertx, parts, worker);
            runner.start().await();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(h.pbx.originateCount()).as("all dialed, 2 of them on lines of calls whose outcome waits")
                        .isEqualTo(CONTACTS);
                assertThat(h.pbx.liveCallCount()).isZero();
                assertThat(db.waiting()).as("outcomes held").isEqualTo(CONTACTS);
                assertThat(runner.stats().live()).as("ended calls are not live").isZero();
                assertThat(parts.pacer().usage(LimitKey.campaign("held")).inUse()).as("leases").isZero();
                assertThat(runner.stats().storing()).as("outcomes still being stored").isEqualTo(CONTACTS);
            });
            long dialed = h.pbx.originateCount();
            db.release();
            runner.pause().await();
            assertThat(runner.stats().storing()).isZero();
            assertThat(runner.stats().ended()).as("every outcome stored").isEqualTo(runner.stats().started());
            assertThat(SqlCount.of(raw, "SELECT COUNT(*) FROM contact WHERE campaign_id = 'held' AND attempts > 0"))
                    .isEqualTo(runner.stats().started()).isGreaterThanOrEqualTo(dialed);
            assertThat(SqlCount.of(raw, "SELECT COUNT(*) FROM contact WHERE campaign_id = 'held'"
                    + " AND state = 'DIALING'")).isZero();
            worker.close();
        }
    }
}
