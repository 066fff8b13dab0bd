package io.outdial.dialer.it;

import io.outdial.dialer.storage.Database;
import io.outdial.dialer.attempt.AttemptOutcome;
import io.outdial.dialer.attempt.AttemptRules;
import io.outdial.dialer.ari.OriginatePermit;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRecordStore;
import io.outdial.dialer.call.CallRecordWriter;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.MachinePolicy;
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
import io.outdial.dialer.trunk.TrunkHealth;
import io.outdial.dialer.dialing.CampaignRunner;
import io.outdial.dialer.campaign.CampaignSettings;
import io.outdial.dialer.dialing.RunnerHarness;
import io.outdial.dialer.dialing.DialGate;
import io.outdial.dialer.support.MigratedDatabases;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.Prompt;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Asterisk shutting down ({@code core stop now}) against the sandbox PBX, which does what Asterisk does: live calls
 * are hung up with cause 0 and every request is refused with 503 and an HTML page "Shutdown in progress".
 * Cut calls end LOST (their result is unknown), refused originates are no attempt (the contact waits again, no
 * cap used up) and the server takes no call until it is healthy again.
 */
class AsteriskShutdownIT {
    private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    @Timeout(30)
    void answeredCallsCutByTheShutdownEndLostAndRefusedOriginatesAreNotPlacedWithAReadableDetail() {
        try (SandboxFixture f = new SandboxFixture()) {
            f.pbx.scripts().registerNumber("+15556660000", CalleeScript.answerAfter(Duration.ofMillis(100))
                    .withHangupAfter(Duration.ofSeconds(30)));
            AtomicReference<ScriptedFlow.Session> running = new AtomicReference<>();
            ScriptedFlow flow = new ScriptedFlow(s -> {
                running.set(s);
                s.control.play("p", List.of(new Prompt.Media("sound:demo-congrats")));
            }, (s, e) -> { });
            Future<CallRecord> call = f.call("+15556660000", flow);
            await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() != null);

            f.pbx.faults().shutdown();
            CallRecord cut = call.await();
            assertThat(cut.outcome().kind()).isEqualTo(OutcomeKind.LOST);
            assertThat(cut.outcome().cause()).isZero();
            assertThat(cut.answerAt()).isNotNull();
            assertThat(RunnerHarness.attemptOutcome(cut.outcome())).as("not LEFT_EARLY: the callee did not hang up")
                    .isEqualTo(AttemptOutcome.LOST);
            assertThat(flow.events).contains(new CallEvent.HungUp(true, 0));

            CallRecord refused = f.call("+15556660000", null).await();
            assertThat(refused.outcome().kind()).isEqualTo(OutcomeKind.NOT_PLACED);
            assertThat(refused.outcome().detail()).contains("Shutdown in progress").doesNotContain("<", "html");
            assertThat(refused.answerAt()).isNull();
            await().atMost(5, TimeUnit.SECONDS).until(() -> !f.server.ready());

            f.pbx.faults().down().await();
            f.pbx.faults().up().await();
            await().atMost(10, TimeUnit.SECONDS).until(f.server::ready);
            assertThat(f.call("+15556660000", null).await().outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        }
    }

    @Test
    @Timeout(30)
    void aRequestWaitingForItsRateTokenWhenAsteriskGoesAwayIsWithdrawnAndNotCountedAsAnAttempt() {
        try (SandboxFixture f = new SandboxFixture(Duration.ofSeconds(1))) { // the PBX stays down: not ready
            f.pbx.scripts().registerNumber("+15556660001", CalleeScript.answerAfter(Duration.ofMillis(100)));
            java.util.concurrent.CompletableFuture<Long> token = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            OriginatePermit waiting = caller -> {
                asked.incrementAndGet();
                return token;
            };
            Future<CallRecord> call = f.engine.originate(new CallRequest("w1", "camp", "contact-w1", "+15556660001",
                    Map.of(), f.trunk, 1, null, null, MachinePolicy.HANG_UP, null, Map.of()), waiting);
            await().atMost(5, TimeUnit.SECONDS).until(() -> asked.get() == 1); // waits at the permit, ready to send

            f.pbx.faults().down().await();
            await().atMost(5, TimeUnit.SECONDS).until(() -> !f.server.ready());
            token.complete(OriginatePermit.GO); // its token comes after Asterisk went away

            CallRecord r = call.toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(r.outcome().kind()).as(r.toString()).isEqualTo(OutcomeKind.NOT_PLACED);
            assertThat(r.outcome().detail()).contains("withdrawn before the originate was sent");
            assertThat(f.pbx.log().originateTimes()).as("nothing was sent").isEmpty();
        }
    }

    @Test
    @Timeout(60)
    void aRunnerHandsRefusedContactsBackWithoutCountingAnAttemptAndDialsThemOnceAsteriskIsBack() throws Exception {
        DataSource ds = MigratedDatabases.h2();
        try (RunnerHarness h = new RunnerHarness(START, 20, false)) {
            JdbcCampaignStore campaigns = new JdbcCampaignStore(ds, h.clock);
            campaigns.create(Campaign.draft("stop", "Stop", START));
            campaigns.moveTo(campaigns.get("stop").orElseThrow(), CampaignState.RUNNING, "test");
            JdbcContactStore contacts = new JdbcContactStore(ds);
            for (String n : List.of("+33612340001", "+33612340002")) {
                contacts.insertAll(List.of(new JdbcContactStore.NewContact("stop", n,
                        new PhoneSet(List.of(new Phone("mobile", n, 0, false))), "UTC", Map.of(),
                        ContactState.WAITING, null, START)));
            }
            // one attempt at most: a refused originate counted as FAILED would close the contact
            AttemptRules oneTry = AttemptRules.defaults().withCaps(1, 1);
            CampaignSettings settings = new CampaignSettings("stop",
                    CallingCalendar.builder().everyDay("00:00-24:00").build(), oneTry,
                    ZoneOffset.UTC, new LineLimits(100, Map.of(), Map.of()), new RateLimits(RateLimit.NONE, Map.of(),
                    Map.of()), false, 10);
            Database runnerDb = Database.open(h.vertx, ds, "test", 4);
            CampaignRunner runner = CampaignRunner.alone(h.vertx, h.vertx.getOrCreateContext(),
                    h.vertx.createSharedWorkerExecutor("stop", 2), runnerDb, List.of(h.engine), TrunkHealth::alwaysUp,
                    h.trunk, settings, null, h.clock, "FR", "node", DialGate.OPEN).await();
            CallRecordStore records = new CallRecordWriter(runnerDb).store();
            h.pbx.faults().shutdown();
            runner.start().await();
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> runner.whyNotJson().getString("code").equals("asterisk_down"));
            assertThat(h.pbx.originateCount()).as("refused before any channel").isZero();
            await().atMost(10, TimeUnit.SECONDS).until(() -> contacts.page("stop", null, 0, 10).stream()
                    .allMatch(c -> c.contact().state() == ContactState.WAITING));

            h.pbx.faults().down().await();
            h.pbx.faults().up().await();
            runner.finished().toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
            assertThat(h.pbx.originateCount()).isEqualTo(2);
            for (JdbcContactStore.Listed listed : contacts.page("stop", null, 0, 10)) {
                Contact c = listed.contact();
                assertThat(c.attempts().total()).as("the refused originate was no attempt").isEqualTo(1);
                CallRecord r = records.find("stop-" + c.id() + "-1").orElseThrow();
                assertThat(r.state()).isEqualTo(CallState.ENDED);
                assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
            }
            assertThat(runner.statsJson().getJsonObject("outcomes").getMap())
                    .containsEntry(AttemptOutcome.ANSWERED_COMPLETED.name(), 2)
                    .doesNotContainKey(AttemptOutcome.FAILED.name());
            assertThat(records.findUnfinished("sandbox")).isEmpty();
        }
    }

    @Test
    @Timeout(30)
    void withAmdTheStoredAnswerTimeIsWhenTheChannelWentUpNotTheVerdict() {
        try (SandboxFixture f = new SandboxFixture()) {
            // answers at once, before the app is subscribed to the channel; AMD decides 1.97 s later
            f.pbx.scripts().registerNumber("+15556660010", CalleeScript.answerAfter(Duration.ZERO)
                    .withAmd(CalleeScript.Amd.HUMAN).withHangupAfter(Duration.ofSeconds(20)));
            CallRecord r = f.call("+15556660010", null, f.amdTrunk, MachinePolicy.HANG_UP).await();
            assertThat(r.amdStatus()).isEqualTo("HUMAN");
            assertThat(r.answerAt()).isNotNull();
            assertThat(Duration.between(r.originateAt(), r.answerAt())).as("answer time = channel Up")
                    .isLessThan(Duration.ofMillis(900));
            assertThat(Duration.between(r.answerAt(), r.endAt())).as("the verdict came about 2 s later")
                    .isGreaterThan(Duration.ofMillis(1500));
        }
    }
}
