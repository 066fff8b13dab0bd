package io.outdial.dialer.dialing;

import io.outdial.dialer.storage.Database;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
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
 * A rate-limited campaign with many contacts due waits cheaply: it picks only as many contacts as the limit lets it
 * dial, so no picked contact is handed back and the database sees a handful of statements per call, however many
 * contacts wait. Counted in statements (behaviour), not in time.
 */
class RateLimitedWaitIT {
    private static final int CONTACTS = 2_000;
    private static final int CALLS = 8;

    @Test
    @Timeout(120)
    void aRateLimitedCampaignPicksOnlyWhatItCanDialAndHandsNothingBack() throws Exception {
        DataSource raw = MigratedDatabases.h2();
        Instant start = Instant.now();
        try (RunnerHarness h = new RunnerHarness(start, 1.0, false)) {
            h.pbx.scripts().register(".*", CalleeScript.busy(Duration.ofMillis(100)));
            h.runningCampaign(raw, "slow", CONTACTS, start.minusSeconds(60));
            CountingDataSource counting = new CountingDataSource(raw);
            CampaignSettings settings = new CampaignSettings("slow", CallingCalendar.builder()
                    .everyDay("00:00-24:00").build(), AttemptRules.defaults(), ZoneOffset.UTC,
                    new LineLimits(1000, Map.of(), Map.of("slow", 10)),
                    new RateLimits(RateLimit.NONE, Map.of(), Map.of("slow", new RateLimit(2, 0))), false, 20);
            Database runnerDb = Database.open(h.vertx, counting.dataSource(), "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, h.engine,
                    h.trunk, settings, null, h.clock, "FR", "node-test")).await();
            WorkerExecutor worker = h.vertx.createSharedWorkerExecutor("rate-wait-test", 4);
            CampaignRunner runner = new CampaignRunner(h.vertx, parts, worker);
            long before = counting.total();
            runner.start().await();
            await().atMost(Duration.ofSeconds(60)).until(() -> h.pbx.originateCount() >= CALLS);
            // counted before the pause: a pause withdraws a picked contact still waiting for its token (handed back)
            long handedBack = counting.count(sql -> sql.startsWith("UPDATE contact SET state = 'WAITING'"));
            String beforePause = counting.snapshot().toString();
            runner.pause().await();
            long calls = h.pbx.originateCount();
            long statements = counting.total() - before;

            assertThat(handedBack).as("contacts handed back after a pick: %s", beforePause).isZero();
            assertThat(SqlCount.of(raw, "SELECT COUNT(*) FROM contact WHERE campaign_id = 'slow' AND attempts > 0"))
                    .as("every picked contact was dialed").isEqualTo(calls);
            assertThat(statements).as("statements for %d calls: %s", calls, counting.snapshot())
                    .isLessThanOrEqualTo(calls * 12);
            worker.close();
        }
    }
}
