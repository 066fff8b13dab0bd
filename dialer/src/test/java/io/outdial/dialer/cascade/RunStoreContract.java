package io.outdial.dialer.cascade;

import io.outdial.dialer.support.DatabaseTest;
import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.SchemeDocuments;
import io.outdial.fallback.scheme.SchemeTemplates;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.CostEntry;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Recipient;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunState;
import io.outdial.fallback.store.Step;
import io.outdial.fallback.store.Timer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDBC RunStore and scheme store on every database a subclass supplies (H2 and PostgreSQL). */
public abstract class RunStoreContract implements DatabaseTest {
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private JdbcRunStore store;

    @BeforeEach
    void setUp() {
        store = new JdbcRunStore(dataSource());
    }

    private static Run run(String id) {
        return new Run(id, "camp", "voice-sms", 1, new Recipient("7", "+33612340007", Map.of("name", "Zoé")),
            RunState.RUNNING, null, 0, T0, T0, null);
    }

    @Test
    void runsInsertOnceAndUpdate() {
        assertThat(store.insertRun(run("camp/7"))).isTrue();
        assertThat(store.insertRun(run("camp/7"))).as("a run id seen before starts nothing").isFalse();
        Run r = store.run("camp/7").orElseThrow();
        assertThat(r.recipient().fields()).containsEntry("name", "Zoé");
        store.updateRun(r.at("call", 1, RunState.WAITING, T0.plusSeconds(1)));
        assertThat(store.run("camp/7").orElseThrow().state()).isEqualTo(RunState.WAITING);
        assertThat(store.activeRuns()).extracting(Run::id).containsExactly("camp/7");
        store.updateRun(store.run("camp/7").orElseThrow().with(RunState.DONE, T0.plusSeconds(2), "end"));
        assertThat(store.activeRuns()).isEmpty();
        assertThat(store.runsOf("camp", 10, 0)).hasSize(1);
        assertThat(store.runCount("camp")).isEqualTo(1);
    }

    @Test
    void stepsAreInsertedOrReplacedAndReadInOrder() {
        store.insertRun(run("r1"));
        store.saveStep(new Step("r1", 2, "sms", Step.StepState.ENTERED, T0, null, null, null, null));
        store.saveStep(new Step("r1", 1, "call", Step.StepState.ENTERED, T0, null, null, null, null));
        store.saveStep(store.step("r1", 1).orElseThrow().done("status no_answer", "sms"));
        assertThat(store.steps("r1")).extracting(Step::blockId).containsExactly("call", "sms");
        assertThat(store.step("r1", 1).orElseThrow().outcome()).isEqualTo("status no_answer");
    }

    @Test
    void messagesRoundTripAndTheLatestSubmittedOneTakesReplies() {
        Run r = run("r2");
        store.insertRun(r);
        MessageRecord m = MessageRecord.pending("r2/2", r, 2, "sms", ChannelType.SMS, "hello", T0);
        store.saveMessage(m);
        assertThat(store.latestMessageTo(ChannelType.SMS, r.recipient().address())).as("not submitted yet").isEmpty();
        store.saveMessage(m.submitted(List.of("a1", "a2"), 2, 10, T0.plusSeconds(1))
            .statuses(Map.of("a1", Status.DELIVERED), Status.SENT, 10, false));
        MessageRecord back = store.message("r2/2").orElseThrow();
        assertThat(back.providerIds()).containsExactly("a1", "a2");
        assertThat(back.parts()).containsEntry("a1", Status.DELIVERED);
        assertThat(back.cost()).isEqualTo(10);
        assertThat(store.latestMessageTo(ChannelType.SMS, r.recipient().address()).orElseThrow().id())
            .isEqualTo("r2/2");
        assertThat(store.messages("r2")).hasSize(1);
        assertThat(store.sendsSince(r.recipient().address(), ChannelType.SMS, T0)).isEqualTo(1);
        assertThat(store.sendsSince(r.recipient().address(), ChannelType.SMS, T0.plusSeconds(5))).isZero();
    }

    @Test
    void anEarlyReceiptIsParkedAndHandedOverOnceWhenTheIdIsAttached() {
        store.insertRun(run("r3"));
        store.saveMessage(MessageRecord.pending("r3/1", run("r3"), 1, "sms", ChannelType.SMS, "x", T0));
        ChannelEvent early = new ChannelEvent.StatusReport(ChannelType.SMS, "p-1", Status.DELIVERED, null, T0);
        assertThat(store.findOrPark(ChannelType.SMS, "p-1", early)).isEmpty();
        List<ChannelEvent> handed = store.attachProviderIds("r3/1", ChannelType.SMS, List.of("p-1"));
        assertThat(handed).containsExactly(early);
        assertThat(store.attachProviderIds("r3/1", ChannelType.SMS, List.of("p-1"))).as("handed over once").isEmpty();
        assertThat(store.findOrPark(ChannelType.SMS, "p-1", early).orElseThrow().id()).isEqualTo("r3/1");
    }

    @Test
    void racingParksAndAttachesLoseNoEventAndApplyNoneTwice() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int n = 40;
            List<Future<Boolean>> parks = new ArrayList<>();
            List<Future<List<ChannelEvent>>> attaches = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < n; i++) {
                String id = "race/" + i;
                String pid = "pid-" + i;
                store.saveMessage(MessageRecord.pending(id, run("race"), i, "sms", ChannelType.SMS, "x", T0));
                ChannelEvent ev = new ChannelEvent.StatusReport(ChannelType.SMS, pid, Status.DELIVERED, null, T0);
                parks.add(pool.submit(() -> {
                    go.await();
                    return store.findOrPark(ChannelType.SMS, pid, ev).isPresent();
                }));
                attaches.add(pool.submit(() -> {
                    go.await();
                    return store.attachProviderIds(id, ChannelType.SMS, List.of(pid));
                }));
            }
            go.countDown();
            for (int i = 0; i < n; i++) {
                boolean foundDirectly = parks.get(i).get(60, TimeUnit.SECONDS);
                int handedOver = attaches.get(i).get(60, TimeUnit.SECONDS).size();
                assertThat((foundDirectly ? 1 : 0) + handedOver).as("event %d applied exactly once", i).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aProviderIdKeepsItsFirstOwnerAndItsSeenStatusesWhenAttachedAgain() {
        Run r = run("own");
        store.insertRun(r);
        ChannelEvent sent = new ChannelEvent.StatusReport(ChannelType.SMS, "dup", Status.SENT, null, T0);
        store.batch(() -> {
            store.saveMessage(MessageRecord.pending("own/1", r, 1, "sms", ChannelType.SMS, "a", T0)
                .submitted(List.of("dup"), 1, 0, T0));
            return store.attachProviderIds("own/1", ChannelType.SMS, List.of("dup"));
        });
        assertThat(new JdbcRunStore(dataSource()).rememberedOwner(ChannelType.SMS, "dup"))
            .as("a store that neither attached nor looked the id up does not hold its owner").isEmpty();
        assertThat(store.rememberedOwner(ChannelType.SMS, "dup").orElseThrow().id()).isEqualTo("own/1");
        assertThat(store.findOrPark(ChannelType.SMS, "dup", sent).orElseThrow().id()).isEqualTo("own/1");
        assertThat(store.recordStatus(ChannelType.SMS, "dup", Status.SENT)).isTrue();
        // a provider that hands out the same id again: the id stays with the message that attached it first
        store.batch(() -> {
            store.saveMessage(MessageRecord.pending("own/2", r, 2, "sms", ChannelType.SMS, "b", T0)
                .submitted(List.of("dup"), 1, 0, T0));
            assertThat(store.attachProviderIds("own/2", ChannelType.SMS, List.of("dup"))).isEmpty();
            assertThat(store.recordStatus(ChannelType.SMS, "dup", Status.SENT))
                .as("a status seen before the id was attached again is a duplicate").isFalse();
            assertThat(store.recordStatus(ChannelType.SMS, "dup", Status.DELIVERED)).isTrue();
            return null;
        });
        for (JdbcRunStore s : List.of(store, new JdbcRunStore(dataSource()))) {
            assertThat(s.findOrPark(ChannelType.SMS, "dup", sent).orElseThrow().id()).isEqualTo("own/1");
            assertThat(s.rememberedOwner(ChannelType.SMS, "dup").orElseThrow().id()).isEqualTo("own/1");
        }
        assertThat(store.recordStatus(ChannelType.SMS, "dup", Status.DELIVERED)).isFalse();
    }

    @Test
    void aStatusIsSeenOncePerProviderId() {
        assertThat(store.recordStatus(ChannelType.SMS, "p", Status.DELIVERED)).isTrue();
        assertThat(store.recordStatus(ChannelType.SMS, "p", Status.DELIVERED)).isFalse();
        assertThat(store.recordStatus(ChannelType.SMS, "p", Status.EXPIRED)).isTrue();
    }

    @Test
    void timersAreDueInOrderAndReplacedPerStep() {
        store.saveTimer(new Timer("a", 1, Timer.Kind.DECISION, T0.plusSeconds(30)));
        store.saveTimer(new Timer("b", 1, Timer.Kind.DELAY, T0.plusSeconds(10)));
        store.saveTimer(new Timer("a", 1, Timer.Kind.DECISION, T0.plusSeconds(5)));
        assertThat(store.timerCount()).isEqualTo(2);
        assertThat(store.dueTimers(T0.plusSeconds(10), 10)).extracting(Timer::runId).containsExactly("a", "b");
        assertThat(store.dueTimers(T0.plusSeconds(10), 1)).hasSize(1);
        store.deleteTimer("a", 1);
        assertThat(store.dueTimers(T0.plusSeconds(60), 10)).extracting(Timer::runId).containsExactly("b");
    }

    @Test
    void costsAndCountersAddUp() {
        store.book(new CostEntry("r", "camp", "s", "sms", "r/2", ChannelType.SMS, 2, 10, T0));
        store.book(new CostEntry("r", "camp", "s", "sms", "r/2", ChannelType.SMS, 2, -10, T0));
        store.book(new CostEntry("q", "camp", "s", "sms", "q/2", ChannelType.SMS, 1, 5, T0));
        assertThat(store.costs("r")).hasSize(2);
        assertThat(store.costByBlock("s")).containsEntry("sms", 5L);
        assertThat(store.campaignCost("camp")).isEqualTo(5);
        store.addCounter("s", "sms", Counter.SENT, 1);
        store.addCounter("s", "sms", Counter.SENT, 2);
        store.addCounter("s", "sms", Counter.WAITING, -1);
        assertThat(store.counters("s").get("sms")).containsEntry(Counter.SENT, 3L).containsEntry(Counter.WAITING, -1L);
        assertThat(store.countedSchemes()).containsExactly("s");
    }

    @Test
    void concurrentCounterUpdatesAreAllCounted() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(pool.submit(() -> store.addCounter("c", "b", Counter.ENTERED, 1)));
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.counters("c").get("b")).containsEntry(Counter.ENTERED, 40L);
    }

    @Test
    void countersFoldedWhileStepsCountLoseNothing() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                all.add(pool.submit(() -> store.batch(() -> {
                    for (int k = 0; k < 60; k++) {
                        store.addCounter("f", "b" + (k % 3), Counter.ENTERED, 1);
                        store.addCounter("f", "b" + (k % 3), Counter.RUNNING, 1);
                        store.addCounter("f", "b" + (k % 3), Counter.RUNNING, k % 2 == 0 ? -1 : 0);
                    }
                    return null;
                })));
                if (i % 10 == 0) {
                    all.add(pool.submit(store::foldCounters));
                }
            }
            for (Future<?> f : all) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int b = 0; b < 3; b++) {
            assertThat(store.counters("f").get("b" + b)).containsEntry(Counter.ENTERED, 800L)
                .containsEntry(Counter.RUNNING, 400L);
        }
        while (store.foldCounters() > 0) {
            assertThat(store.counters("f").get("b0")).containsEntry(Counter.ENTERED, 800L);
        }
        assertThat(store.counters("f").get("b2")).as("all folded").containsEntry(Counter.ENTERED, 800L)
            .containsEntry(Counter.RUNNING, 400L);
        assertThat(store.countedSchemes()).contains("f");
    }

    @Test
    void aStepsWritesAreReadInsideItAndWrittenTogether() {
        Run r = run("u1");
        Run after = store.batch(() -> {
            assertThat(store.insertRun(r)).isTrue();
            Step s = new Step("u1", 1, "sms", Step.StepState.ENTERED, T0, null, null, null, null);
            store.saveStep(s);
            store.updateRun(r.at("sms", 1, RunState.RUNNING, T0));
            store.addCounter("u", "sms", Counter.ENTERED, 1);
            store.addCounter("u", "sms", Counter.RUNNING, 1);
            store.addCounter("u", "sms", Counter.RUNNING, -1);
            MessageRecord m = MessageRecord.pending("u1/1", r, 1, "sms", ChannelType.SMS, "hi", T0);
            store.saveMessage(m);
            store.saveStep(s.with(Step.StepState.SENDING, null, "u1/1"));
            assertThat(store.step("u1", 1).orElseThrow().state()).isEqualTo(Step.StepState.SENDING);
            assertThat(store.message("u1/1").orElseThrow().state()).isEqualTo(MessageRecord.MessageState.PENDING);
            assertThat(new JdbcRunStore(dataSource()).step("u1", 1)).as("not written before the step ends").isEmpty();
            store.saveTimer(new Timer("u1", 1, Timer.Kind.DECISION, T0.plusSeconds(60)));
            assertThat(store.timerCount()).as("a read that could see them writes them first").isEqualTo(1);
            store.deleteTimer("u1", 1);
            store.book(new CostEntry("u1", "camp", "u", "sms", "u1/1", ChannelType.SMS, 1, 7, T0));
            assertThat(store.recordStatus(ChannelType.SMS, "pu", Status.DELIVERED)).isTrue();
            assertThat(store.recordStatus(ChannelType.SMS, "pu", Status.DELIVERED)).isFalse();
            return store.run("u1").orElseThrow();
        });
        assertThat(after.step()).isEqualTo(1);
        JdbcRunStore fresh = new JdbcRunStore(dataSource());
        assertThat(fresh.run("u1").orElseThrow().blockId()).isEqualTo("sms");
        assertThat(fresh.step("u1", 1).orElseThrow().messageId()).isEqualTo("u1/1");
        assertThat(fresh.message("u1/1")).isPresent();
        assertThat(fresh.timerCount()).isZero();
        assertThat(fresh.campaignCost("camp")).isEqualTo(7);
        assertThat(fresh.counters("u").get("sms")).containsEntry(Counter.ENTERED, 1L);
        assertThat(fresh.recordStatus(ChannelType.SMS, "pu", Status.DELIVERED)).as("seen in that step").isFalse();
    }

    @Test
    void aFailedStepStillWritesWhatItWroteBeforeAndAttachingCommitsFirst() {
        Run r = run("u2");
        store.insertRun(r);
        ChannelEvent early = new ChannelEvent.StatusReport(ChannelType.SMS, "pu2", Status.DELIVERED, null, T0);
        assertThat(store.findOrPark(ChannelType.SMS, "pu2", early)).isEmpty();
        List<ChannelEvent> handed = store.batch(() -> {
            MessageRecord m = MessageRecord.pending("u2/1", r, 1, "sms", ChannelType.SMS, "hi", T0);
            store.saveMessage(m.submitted(List.of("pu2"), 1, 0, T0));
            List<ChannelEvent> out = store.attachProviderIds("u2/1", ChannelType.SMS, List.of("pu2"));
            assertThat(new JdbcRunStore(dataSource()).findOrPark(ChannelType.SMS, "pu2", early).orElseThrow().state())
                .as("committed with the message before the parked events are read")
                .isEqualTo(MessageRecord.MessageState.SUBMITTED);
            return out;
        });
        assertThat(handed).containsExactly(early);
        try {
            store.batch(() -> {
                store.saveStep(new Step("u2", 1, "sms", Step.StepState.WAITING, T0, T0, "u2/1", null, null));
                throw new IllegalStateException("boom");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessage("boom");
        }
        assertThat(store.step("u2", 1)).as("written although the step failed after").isPresent();
    }

    @Test
    void aStepsWritesCommitTogetherOrNotAtAll() {
        Run r = run("u3");
        store.insertRun(r);
        Run tooLong = new Run("u3", "camp", "voice-sms", 1, new Recipient("7", "+3".repeat(30), Map.of()),
            RunState.RUNNING, null, 0, T0, T0, null);
        try {
            store.batch(() -> {
                store.saveStep(new Step("u3", 1, "sms", Step.StepState.ENTERED, T0, null, null, null, null));
                store.updateRun(r.at("sms", 1, RunState.RUNNING, T0));
                store.saveMessage(MessageRecord.pending("u3/1", tooLong, 1, "sms", ChannelType.SMS, "x", T0));
                return null;
            });
            throw new AssertionError("an address over 40 characters was written");
        } catch (io.outdial.dialer.storage.StorageException expected) {
            assertThat(store.step("u3", 1)).as("nothing of the failed step's writes").isEmpty();
            assertThat(store.run("u3").orElseThrow().step()).isZero();
        }
    }

    @Test
    void aStatusMarkedElsewhereFirstFailsTheStepThatAppliedItToo() {
        Run r = run("u4");
        store.insertRun(r);
        try {
            store.batch(() -> {
                assertThat(store.recordStatus(ChannelType.SMS, "pu4", Status.DELIVERED)).isTrue();
                store.saveStep(new Step("u4", 1, "sms", Step.StepState.DONE, T0, null, null, "status delivered", null));
                // another node's engine marks the same status before this step is written
                assertThat(new JdbcRunStore(dataSource()).recordStatus(ChannelType.SMS, "pu4", Status.DELIVERED))
                    .isTrue();
                return null;
            });
            throw new AssertionError("the step was written although its status was marked elsewhere first");
        } catch (io.outdial.dialer.storage.StorageException expected) {
            assertThat(store.step("u4", 1)).as("nothing of the step that lost").isEmpty();
        }
    }

    @Test
    void repliesAreKeptPerRun() {
        store.saveReply(new JdbcRunStore.StoredReply("r", "r/2", ChannelType.SMS, "+33612340007", "YES", T0));
        assertThat(store.replies("r")).extracting(JdbcRunStore.StoredReply::text).containsExactly("YES");
    }

    @Test
    void schemeVersionsArePinnedAndOnlyValidOnesRun() {
        JdbcSchemeStore schemes = new JdbcSchemeStore(dataSource(), Clock.fixed(T0, ZoneOffset.UTC));
        String text = SchemeTemplates.text("voice-sms");
        JdbcSchemeStore.Saved first = schemes.save("voice-sms", text, SchemeDocuments.Format.YAML);
        assertThat(first.created()).isTrue();
        assertThat(first.version().version()).isEqualTo(1);
        assertThat(schemes.save("voice-sms", text, SchemeDocuments.Format.YAML).created()).as("same text").isFalse();
        JdbcSchemeStore.Saved broken = schemes.save("voice-sms", text.replace("next: sms", "next: nowhere"),
            SchemeDocuments.Format.YAML);
        assertThat(broken.version().version()).isEqualTo(2);
        assertThat(broken.version().valid()).isFalse();
        assertThat(broken.version().errors()).anyMatch(e -> e.contains("dangling link"));
        assertThat(schemes.latestValid("voice-sms").orElseThrow().version()).isEqualTo(1);
        assertThat(schemes.get("voice-sms", 1).version()).isEqualTo(1);
        assertThat(schemes.get("voice-sms", 2)).as("an invalid draft never runs").isNull();
        assertThat(schemes.save("other", text, SchemeDocuments.Format.YAML).version().valid())
            .as("saved under another id than its own").isFalse();
        assertThat(schemes.list(10, 0)).extracting(JdbcSchemeStore.SchemeVersion::schemeId)
            .containsExactly("other", "voice-sms");
        assertThat(schemes.pinIfAbsent("camp", "voice-sms", 1).getValue()).isEqualTo(1);
        assertThat(schemes.pinIfAbsent("camp", "voice-sms", 3).getValue()).as("the first pin holds").isEqualTo(1);

        // a pin made before its definition was recorded adopts the definition; a re-pin replaces only the pin it read
        JdbcSchemeStore.Pin old = schemes.pinOf("camp").orElseThrow();
        assertThat(old.requestedScheme()).isNull();
        schemes.adopt("camp", "voice-sms", 0);
        assertThat(schemes.pinOf("camp").orElseThrow().madeFor("voice-sms", 0)).isTrue();
        assertThat(schemes.pinOf("camp").orElseThrow().madeFor("voice-sms", 1)).isFalse();
        JdbcSchemeStore.Pin made = schemes.pinOf("camp").orElseThrow();
        assertThat(schemes.repin("camp", made, "other", 4, "other", 4)).isEqualTo(
            new JdbcSchemeStore.Pin("other", 4, "other", 4));
        assertThat(schemes.repin("camp", made, "voice-sms", 9, "voice-sms", 9)).as("another writer re-pinned first")
            .isEqualTo(new JdbcSchemeStore.Pin("other", 4, "other", 4));
        assertThat(schemes.pinIfAbsent("camp2", "voice-sms", 1, "voice-sms", 0))
            .isEqualTo(new JdbcSchemeStore.Pin("voice-sms", 1, "voice-sms", 0));
    }
}
