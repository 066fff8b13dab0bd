package io.outdial.dialer.dialing;

import io.outdial.dialer.storage.Database;
import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.dialer.ari.OriginateRequest;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.calendar.CallingCalendar;
import io.outdial.dialer.campaign.Campaign;
import io.outdial.dialer.campaign.CampaignState;
import io.outdial.dialer.campaign.JdbcCampaignStore;
import io.outdial.dialer.contact.Contact;
import io.outdial.dialer.contact.ContactState;
import io.outdial.dialer.contact.JdbcContactStore;
import io.outdial.dialer.contact.Phone;
import io.outdial.dialer.contact.PhoneSet;
import io.outdial.dialer.pacing.LineLimits;
import io.outdial.dialer.pacing.RateLimit;
import io.outdial.dialer.pacing.RateLimits;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.sandbox.pbx.CalleeScript;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crash safety on start (ARCHITECTURE §3 rule 1): attempts a previous process left DIALING are recovered by
 * the runner: a live channel is re-attached and ends with its real outcome, a vanished one ends LOST and is
 * retried only after the LOST delay (or waits again, no attempt counted, when its originate was never marked sent), a
 * contact claimed but never dialed goes back to waiting.
 */
class RunnerRecoveryIT {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    @Timeout(60)
    void attemptsLeftDialingByACrashEndWithAFinalOutcomeAndAreNeverRedialedAtOnce() throws Exception {
        DataSource ds = MigratedDatabases.h2();
        try (RunnerHarness h = new RunnerHarness(START, 20, false)) {
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, h.clock);
            campaigns.create(Campaign.draft("crash", "Crash", START));
            campaigns.moveTo(campaigns.get("crash").orElseThrow(), CampaignState.RUNNING, "test");
            JdbcContactStore contacts = new JdbcContactStore(ds);
            for (String n : List.of("+33612340001", "+33612340011", "+33612340021", "+33612340031")) {
                contacts.insertAll(List.of(new JdbcContactStore.NewContact("crash", n,
                        new PhoneSet(List.of(new Phone("mobile", n, 0, false))), "UTC", Map.of(),
                        ContactState.WAITING, null, START)));
            }
            // the "live" callee rings for 20 s (virtual) then answers and presses 1
            h.pbx.scripts().registerNumber("+33612340011", CalleeScript.answerAfter(Duration.ofSeconds(20))
                    .withDigits(Duration.ofSeconds(1), "1").withHangupAfter(Duration.ofSeconds(5)));
            CampaignSettings settings = new CampaignSettings("crash",
                    CallingCalendar.builder().everyDay("00:00-24:00").build(), AttemptRules.defaults(),
                    ZoneOffset.UTC, new LineLimits(100, Map.of(), Map.of()), new RateLimits(RateLimit.NONE, Map.of(),
                    Map.of()), false, 10);
            Database runnerDb = Database.open(h.vertx, ds, "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, h.engine, h.trunk, settings,
                    null, h.clock, "FR", "node-old")).await();

            // the process that crashed: claimed all four, wrote three attempt rows, marked two of them sent (the
            // one whose channel is gone had been sent, its call ended meanwhile), originated one of them
            CampaignScheduler.Pick pick = parts.scheduler().pick(10);
            assertThat(pick.tasks()).hasSize(4);
            CampaignScheduler.DialTask gone = task(pick, "+33612340001");
            CampaignScheduler.DialTask live = task(pick, "+33612340011");
            CampaignScheduler.DialTask unsent = task(pick, "+33612340031");
            parts.records().save(dialing("crash-" + gone.contact().id() + "-1", gone, "od-gone-1", h)).await();
            parts.records().save(dialing("crash-" + live.contact().id() + "-1", live, "od-live-1", h)).await();
            CallRecord notSent = dialing("crash-" + unsent.contact().id() + "-1", unsent, "od-unsent-1", h);
            parts.records().save(new CallRecord(notSent.attemptId(), notSent.campaignId(), notSent.contactId(),
                    notSent.phone(), notSent.trunk(), null, notSent.server(), notSent.channelId(), CallState.DIALING,
                    null, null, null, null, null, null, null, "", List.of())).await();
            h.server.rest().originate(OriginateRequest.toApp("PJSIP/+33612340011@carrier", "od-live-1", "dialer",
                    "attempt=old", Duration.ofSeconds(30), null, Map.of())).await();
            Instant crashedAt = h.clock.instant();

            CampaignRunner runner = new CampaignRunner(h.vertx, parts, h.vertx.createSharedWorkerExecutor("rec", 2));
            runner.start().await();
            runner.finished().toCompletionStage().toCompletableFuture().get(45, TimeUnit.SECONDS);

            CallRecord goneFirst = parts.records().store().find("crash-" + gone.contact().id() + "-1").orElseThrow();
            assertThat(goneFirst.state()).isEqualTo(CallState.ENDED);
            assertThat(goneFirst.outcome().kind()).isEqualTo(OutcomeKind.LOST);
            CallRecord goneRetry = parts.records().store().find("crash-" + gone.contact().id() + "-2").orElseThrow();
            assertThat(goneRetry.originateAt()).as("LOST retried after its delay, never at once")
                    .isAfterOrEqualTo(goneFirst.endAt().plus(Duration.ofMinutes(5)));
            assertThat(goneRetry.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);

            CallRecord liveFirst = parts.records().store().find("crash-" + live.contact().id() + "-1").orElseThrow();
            assertThat(liveFirst.outcome().kind()).as("re-attached live call ends with its real outcome")
                    .isEqualTo(OutcomeKind.ANSWERED);
            assertThat(liveFirst.endAt()).isAfter(crashedAt);
            assertThat(parts.records().store().find("crash-" + live.contact().id() + "-2")).isEmpty();

            Contact neverDialed = contacts.get(task(pick, "+33612340021").contact().id()).orElseThrow();
            assertThat(neverDialed.attempts().total()).as("claimed but never dialed: one real attempt later")
                    .isEqualTo(1);
            assertThat(neverDialed.state()).isEqualTo(ContactState.CLOSED);
            Contact neverSent = contacts.get(unsent.contact().id()).orElseThrow();
            assertThat(neverSent.attempts().total()).as("its row was stored, its originate never sent: not an "
                    + "attempt, dialed once later").isEqualTo(1);
            assertThat(neverSent.state()).isEqualTo(ContactState.CLOSED);
            CallRecord unsentRow = parts.records().store().find(notSent.attemptId()).orElseThrow();
            assertThat(unsentRow.outcome().kind()).as("the attempt number is used again by the real call")
                    .isEqualTo(OutcomeKind.ANSWERED);
            assertThat(unsentRow.channelId()).isNotEqualTo("od-unsent-1");
            assertThat(contacts.get(live.contact().id()).orElseThrow().attempts().total()).isEqualTo(1);
            assertThat(contacts.get(gone.contact().id()).orElseThrow().attempts().total()).isEqualTo(2);
            assertThat(parts.records().store().findUnfinished("sandbox")).isEmpty();
            assertThat(runner.stats().live()).as("recovered attempts count as started, so none is left live")
                    .isZero();
            assertThat(runner.stats().started()).isEqualTo(runner.stats().ended());
        }
    }

    @Test
    @Timeout(60)
    void anAttemptWhoseCallEndedButWhoseResultWasNotStoredIsFinishedNotDialedAgain() throws Exception {
        DataSource ds = MigratedDatabases.h2();
        try (RunnerHarness h = new RunnerHarness(START, 20, false)) {
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, h.clock);
            campaigns.create(Campaign.draft("half", "Half", START));
            campaigns.moveTo(campaigns.get("half").orElseThrow(), CampaignState.RUNNING, "test");
            JdbcContactStore contacts = new JdbcContactStore(ds);
            contacts.insertAll(List.of(new JdbcContactStore.NewContact("half", "+33612340001",
                    new PhoneSet(List.of(new Phone("mobile", "+33612340001", 0, false))), "UTC", Map.of(),
                    ContactState.WAITING, null, START)));
            CampaignSettings settings = new CampaignSettings("half",
                    CallingCalendar.builder().everyDay("00:00-24:00").build(), AttemptRules.defaults(),
                    ZoneOffset.UTC, new LineLimits(100, Map.of(), Map.of()), new RateLimits(RateLimit.NONE, Map.of(),
                    Map.of()), false, 10);
            Database runnerDb = Database.open(h.vertx, ds, "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, h.engine, h.trunk, settings,
                    null, h.clock, "FR", "node-old")).await();
            // the process that stopped: claimed the contact, its call ended BUSY and the record was stored, but the
            // contact's result was not written
            CampaignScheduler.DialTask t = parts.scheduler().pick(10).tasks().get(0);
            String attemptId = "half-" + t.contact().id() + "-1";
            parts.records().save(new CallRecord(attemptId, "half", Long.toString(t.contact().id()), t.e164(),
                    "carrier", null, "sandbox", "od-half-1", CallState.ENDED, h.clock.instant(), null, null,
                    h.clock.instant(), io.outdial.dialer.call.CallOutcome.of(OutcomeKind.BUSY, 17, "busy"), null,
                    null, "", List.of())).await();

            CampaignRunner runner = new CampaignRunner(h.vertx, parts, h.vertx.createSharedWorkerExecutor("half", 2));
            runner.start().await();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    runner.stats().outcomes().getOrDefault(io.outdial.dialer.attempt.AttemptOutcome.BUSY, 0) == 1);
            runner.pause().await();
            assertThat(runner.stats().outcomes()).containsEntry(io.outdial.dialer.attempt.AttemptOutcome.BUSY, 1);
            // the stored BUSY counts as the first attempt; the harness's clock jumps over idle time, so the rule's
            // retry (10 min later) may already have been dialed, but never before its time and never as attempt 1
            List<Object[]> rows = new ArrayList<>();
            try (java.sql.Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("SELECT attempt_id, originate_at FROM call_records"
                         + " WHERE campaign_id = 'half' ORDER BY originate_at")) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant()});
                }
            }
            assertThat(rows).as("attempt rows").isNotEmpty();
            assertThat(rows.get(0)[0]).isEqualTo(attemptId);
            assertThat(rows.stream().filter(r -> attemptId.equals(r[0]))).as("the ended attempt is not dialed again")
                    .hasSize(1);
            for (Object[] r : rows.subList(1, rows.size())) {
                assertThat((java.time.Instant) r[1]).as("a later attempt waits for the BUSY rule's delay")
                        .isAfterOrEqualTo(START.plus(Duration.ofMinutes(10)));
            }
            // a later attempt's row is written before its originate is sent, and the pause may withdraw the send
            assertThat(h.pbx.originateCount()).as("only later attempts reach the PBX")
                    .isLessThanOrEqualTo(rows.size() - 1);
        }
    }

    @Test
    @Timeout(60)
    void asteriskDownPausesDialingWithThatReasonAndItResumesByItself() throws Exception {
        DataSource ds = MigratedDatabases.h2();
        try (RunnerHarness h = new RunnerHarness(START, 20, false)) {
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, h.clock);
            campaigns.create(Campaign.draft("down", "Down", START));
            campaigns.moveTo(campaigns.get("down").orElseThrow(), CampaignState.RUNNING, "test");
            new JdbcContactStore(ds).insertAll(List.of(new JdbcContactStore.NewContact("down", "a",
                    new PhoneSet(List.of(new Phone("mobile", "+33612340001", 0, false))), "UTC", Map.of(),
                    ContactState.WAITING, null, START)));
            CampaignSettings settings = new CampaignSettings("down",
                    CallingCalendar.builder().everyDay("00:00-24:00").build(), AttemptRules.defaults(),
                    ZoneOffset.UTC, new LineLimits(100, Map.of(), Map.of()), new RateLimits(RateLimit.NONE, Map.of(),
                    Map.of()), false, 10);
            Database runnerDb = Database.open(h.vertx, ds, "test", 4);
            RunnerParts parts = h.vertx.executeBlocking(() -> RunnerWiring.parts(runnerDb, h.engine, h.trunk, settings,
                    null, h.clock, "FR", "node")).await();
            h.pbx.faults().down().await();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !h.server.ready());
            CampaignRunner runner = new CampaignRunner(h.vertx, parts, h.vertx.createSharedWorkerExecutor("down", 2));
            runner.start().await();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> runner.whyNot().code().equals("asterisk_down"));
            assertThat(h.pbx.originateCount()).isZero();
            h.pbx.faults().up().await();
            runner.finished().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(h.pbx.originateCount()).isEqualTo(1);
            assertThat(runner.stats().outcomes()).containsEntry(io.outdial.dialer.attempt.AttemptOutcome
                    .ANSWERED_COMPLETED, 1);
        }
    }

    private static CampaignScheduler.DialTask task(CampaignScheduler.Pick pick, String e164) {
        return pick.tasks().stream().filter(t -> t.e164().equals(e164)).findFirst().orElseThrow();
    }

    private static CallRecord dialing(String attemptId, CampaignScheduler.DialTask t, String channel, RunnerHarness h) {
        return new CallRecord(attemptId, "crash", Long.toString(t.contact().id()), t.e164(), "carrier", null,
                "sandbox", channel, CallState.DIALING, h.clock.instant(), null, null, null, null, null, null, "",
                List.of());
    }
}
