package io.outdial.dialer.dialing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.pacing.LimitKey;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.Pacer;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimiter;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.pacing.SlidingWindowRateLimiter;
import io.outdial.dialer.pacing.TestPacers;
import io.outdial.dialer.storage.Database;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.SqlCount;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A rate token whose grant reaches the event loop that sends the originate later than the send guard allows (a
 * slow hop, a descheduled thread) is given back unused and asked for again: the request never leaves later than
 * {@link CampaignRunner#LATE_GRANT_MS} after the instant its token was counted at, each contact is still dialed
 * once, and the stored send time is the token that was used.
 */
class LateRateTokenIT {
    private static final int CONTACTS = 6;
    private static final int SLOW = 3;
    private static final long HOP_MS = 80;

    /** The send limiter of a node alone whose first {@link #SLOW} grants reach their caller {@link #HOP_MS} late. */
    private static final class SlowHops implements RateLimiter {
        final SlidingWindowRateLimiter inner;
        final AtomicInteger slowLeft = new AtomicInteger(SLOW);
        final List<Instant> slowed = new CopyOnWriteArrayList<>();
        final List<Instant> granted = new CopyOnWriteArrayList<>();
        final List<Instant> givenBack = new CopyOnWriteArrayList<>();

        SlowHops(RateLimits limits) {
            inner = SlidingWindowRateLimiter.atSend(limits);
        }

        @Override
        public Decision tryAcquire(List<LimitKey> levels, Instant now) {
            return inner.tryAcquire(levels, now);
        }

        @Override
        public CompletionStage<Decision> acquire(List<LimitKey> levels, Instant now, Executor caller) {
            Decision d = inner.tryAcquire(levels, now);
            if (d.granted()) {
                granted.add(d.retryAt());
            }
            if (d.granted() && slowLeft.getAndDecrement() > 0) {
                slowed.add(d.retryAt());
                return CompletableFuture.supplyAsync(() -> d,
                        CompletableFuture.delayedExecutor(HOP_MS, TimeUnit.MILLISECONDS, caller));
            }
            return CompletableFuture.completedFuture(d);
        }

        @Override
        public void giveBack(List<LimitKey> levels, Instant at) {
            givenBack.add(at);
            inner.giveBack(levels, at);
        }

        @Override
        public Room room(List<LimitKey> levels, Instant now) {
            return inner.room(levels, now);
        }
    }

    @Test
    @Timeout(120)
    void aGrantThatReachesTheSenderLateIsGivenBackAndAskedAgain() throws Exception {
        DataSource raw = MigratedDatabases.h2();
        Instant start = Instant.now();
        try (RunnerHarness h = new RunnerHarness(start, 1.0, false)) {
            h.pbx.scripts().register(".*", CalleeScript.rejected(Duration.ofMillis(100)));
            h.runningCampaign(raw, "late", CONTACTS, start.minusSeconds(60));
            LineLimits lines = new LineLimits(1000, Map.of(), Map.of("late", 10));
            RateLimits rates = new RateLimits(RateLimit.NONE, Map.of(), Map.of("late", new RateLimit(4, 0)));
            CampaignSettings settings = new CampaignSettings("late", CallingCalendar.builder()
                    .everyDay("00:00-24:00").build(), AttemptRules.defaults(), ZoneOffset.UTC, lines, rates, false,
                    20);
            SlowHops limiter = new SlowHops(rates);
            Pacer pacer = TestPacers.withRates(lines, limiter, h.clock);
            Database db = Database.open(h.vertx, raw, "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(db, new CallRecordWriter(db),
                    Dialing.of(h.engine), h.trunk, settings, null, h.clock, "FR", "node-test", pacer,
                    new LineSharing(pacer), 0, 1)).await();
            WorkerExecutor worker = h.vertx.createSharedWorkerExecutor("late-token-test", 4);
            CampaignRunner runner = new CampaignRunner(h.vertx, parts, worker);
            runner.start().await();
            await().atMost(Duration.ofSeconds(60)).until(() -> SqlCount.of(raw,
                    "SELECT COUNT(*) FROM call_records WHERE campaign_id = 'late' AND end_at IS NOT NULL") == CONTACTS);
            runner.pause().await();

            assertThat(limiter.slowed).hasSize(SLOW);
            assertThat(limiter.givenBack).as("every late grant was given back").containsAll(limiter.slowed);
            assertThat(h.pbx.originateCount()).as("each contact dialed once").isEqualTo(CONTACTS);
            assertThat(SqlCount.of(raw, "SELECT COUNT(*) FROM contact WHERE campaign_id = 'late' AND attempts = 1"))
                    .isEqualTo(CONTACTS);
            List<Long> sent = new ArrayList<>();
            try (Connection c = raw.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT originate_at FROM call_records WHERE campaign_id = 'late'")) {
                while (rs.next()) {
                    sent.add(rs.getTimestamp(1).toInstant().toEpochMilli());
                }
            }
            // the tokens kept: every grant less those given back (two grants may share a millisecond: counted)
            Map<Long, Integer> kept = new java.util.HashMap<>();
            limiter.granted.forEach(t -> kept.merge(t.toEpochMilli(), 1, Integer::sum));
            limiter.givenBack.forEach(t -> kept.merge(t.toEpochMilli(), -1, Integer::sum));
            Map<Long, Integer> stored = new java.util.HashMap<>();
            sent.forEach(t -> stored.merge(t, 1, Integer::sum));
            stored.forEach((t, n) -> assertThat(kept.getOrDefault(t, 0))
                    .as("stored send time %d is a token kept, not one given back (kept %s, given back %s)", t, kept,
                            limiter.givenBack).isGreaterThanOrEqualTo(n));
            worker.close();
        }
    }
}
