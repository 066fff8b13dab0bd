package io.outdial.fallback.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.outdial.fallback.channel.ChannelEvent;
import io.outdial.fallback.channel.OutboundMessage;
import io.outdial.fallback.channel.SendException;
import io.outdial.fallback.scheme.ChannelType;
import io.outdial.fallback.scheme.Status;
import io.outdial.fallback.store.Counter;
import io.outdial.fallback.store.MessageRecord;
import io.outdial.fallback.store.Run;
import io.outdial.fallback.store.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CascadeEngineTest {

    private EngineHarness h;

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void smsRendersContactFieldsAndWaitsForItsDecisionTime() {
        h = new EngineHarness();
        Run r = h.start("r1", "sms-voice");
        assertThat(r.state()).isEqualTo(RunState.WAITING);
        assertThat(r.blockId()).isEqualTo("sms");
        OutboundMessage m = h.sms.sent().get(0);
        assertThat(m.text()).isEqualTo("Hi Анна, reply YES");
        assertThat(m.to()).isEqualTo(r.recipient().address());
        assertThat(h.counter("sms-voice", "sms", Counter.SENT)).isEqualTo(1);
        assertThat(h.counter("sms-voice", "sms", Counter.WAITING)).isEqualTo(1);
        assertThat(h.store.timerCount()).isEqualTo(1);
    }

    @Test
    void silenceUntilTheDecisionTimeFallsBackToVoice() {
        h = new EngineHarness();
        h.start("r1", "sms-voice");
        h.advance(Duration.ofMinutes(59));
        assertThat(h.voice.sent()).isEmpty();
        h.advance(Duration.ofMinutes(1));
        assertThat(h.voice.sent()).hasSize(1);
        assertThat(h.voice.sent().get(0).content()).containsEntry("flow", "main");
        assertThat(h.run("r1").blockId()).isEqualTo("call");
        assertThat(h.counter("sms-voice", "sms", Counter.WAITING)).isZero();
        assertThat(h.counter("sms-voice", "sms", Counter.RUNNING)).isZero();
        assertThat(h.counter("sms-voice", "call", Counter.WAITING)).isEqualTo(1);
    }

    @Test
    void decisionTimeIsMeasuredFromTheRealSendNotFromEnteringTheBlock() {
        h = new EngineHarness();
        var started = h.startHeld("r1", "+79001");
        h.clock.advance(Duration.ofMinutes(20)); // the SMSC answers 20 minutes late
        h.sms.release(h.sms.held().get(0));
        started.await();
        h.advance(Duration.ofMinutes(59));
        assertThat(h.voice.sent()).isEmpty();
        h.advance(Duration.ofMinutes(1));
        assertThat(h.voice.sent()).hasSize(1);
    }

    @Test
    void replyMatchesContainsAndRegexCaseInsensitively() {
        h = new EngineHarness();
        Run a = h.start("a", "sms-voice");
        Run b = h.start("b", "sms-voice");
        h.event(h.reply(a.recipient().address(), "Yes, please"));
        h.event(h.reply(b.recipient().address(), "  ДА конечно"));
        assertThat(h.run("a").state()).isEqualTo(RunState.DONE);
        assertThat(h.path("a")).isEqualTo("sms(reply contains \"yes\") > won(goal confirmed) > done(end)");
        assertThat(h.path("b")).startsWith("sms(reply matches /^\\s*да/) > won");
        assertThat(h.counter("sms-voice", "won", Counter.GOAL_REACHED)).isEqualTo(2);
        assertThat(h.counter("sms-voice", "sms", Counter.REPLIED)).isEqualTo(2);
        assertThat(h.voice.sent()).isEmpty();
    }

    @Test
    void duplicateReceiptsCountOnceAndMoveOnce() {
        h = new EngineHarness(EngineOptions.defaults().withPrices(new PricePlan(Map.of(ChannelType.SMS, 250L),
                true)));
        h.start("r1", "sms-voice");
        String pid = h.sms.providerIds(h.sms.sent().get(0).id()).get(0);
        h.event(h.status(ChannelType.SMS, pid, Status.UNDELIVERED));
        h.event(h.status(ChannelType.SMS, pid, Status.UNDELIVERED));
        h.event(h.status(ChannelType.SMS, pid, Status.UNDELIVERED));
        assertThat(h.voice.sent()).hasSize(1);
        assertThat(h.counter("sms-voice", "sms", Counter.FAILED)).isEqualTo(1);
        assertThat(h.store.costs("r1")).extracting(e -> e.amount()).containsExactly(250L, -250L);
    }

    @Test
    void aSentStatusAfterAFailureLeavesTheMessageFailed() {
        h = new EngineHarness();
        h.start("r1", "sms-voice");
        String id = h.sms.sent().get(0).id();
        String pid = h.sms.providerIds(id).get(0);
        h.event(h.status(ChannelType.SMS, pid, Status.UNDELIVERED));
        h.event(h.status(ChannelType.SMS, pid, Status.SENT));
        assertThat(h.store.message(id).orElseThrow().status()).isEqualTo(Status.UNDELIVERED);
        assertThat(h.voice.sent()).hasSize(1);
    }

    @Test
    void anAcceptedMessageThatFailsLaterTakesItsErrorLinkOnce() {
        h = new EngineHarness();
        h.start("r1", "sms-voice");
        String id = h.sms.sent().get(0).id();
        h.engine.failAccepted("r1", id, "never sent after all").await();
        assertThat(h.store.message(id).orElseThrow().state())
                .isEqualTo(io.outdial.fallback.store.MessageRecord.MessageState.FAILED);
        assertThat(h.run("r1").blockId()).isEqualTo("call");
        assertThat(h.counter("sms-voice", "sms", Counter.FAILED)).isEqualTo(1);
        h.engine.failAccepted("r1", id, "again").await();
        String call = h.voice.sent().get(0).id();
        h.event(h.status(ChannelType.VOICE, h.voice.providerIds(call).get(0), Status.ANSWERED));
        h.engine.failAccepted("r1", call, "a status came first").await();
        assertThat(h.voice.sent()).hasSize(1);
        assertThat(h.run("r1").state()).isEqualTo(RunState.DONE);
        assertThat(h.counter("sms-voice", "sms", Counter.FAILED)).isEqualTo(1);
    }

    @Test
    void receiptAfterTheDecisionTimeIsRecordedAndRefundedButMovesNothing() {
        h = new EngineHarness(EngineOptions.defaults().withPrices(new PricePlan(Map.of(ChannelType.SMS, 100L),
                true)));
        h.start("r1", "sms-voice");
        String pid = h.sms.providerIds(h.sms.sent().get(0).id()).get(0);
        h.advance(Duration.ofHours(1));
        assertThat(h.voice.sent()).hasSize(1);
        h.event(h.status(ChannelType.SMS, pid, Status.EXPIRED));
        assertThat(h.voice.sent()).hasSize(1);
        assertThat(h.sms.sent()).hasSize(1);
        MessageRecord m = h.store.messages("r1").get(0);
        assertThat(m.status()).isEqualTo(Status.EXPIRED);
        assertThat(m.refunded()).isTrue();
        assertThat(h.store.costs("r1")).extracting(e -> e.amount()).containsExactly(100L, -100L);
        assertThat(h.path("r1")).isEqualTo("sms(timeout) > call");
    }

    @Test
    void receiptPastTheDeadlineBeforeTheTimerFiredStillLosesToTheTimeout() {
        h = new EngineHarness();
        h.start("r1", "sms-voice");
        String pid = h.sms.providerIds(h.sms.sent().get(0).id()).get(0);
        h.clock.advance(Duration.ofHours(2)); // no tick: the timer has not fired yet
        h.event(h.status(ChannelType.SMS, pid, Status.UNDELIVERED));
        assertThat(h.path("r1")).isEqualTo("sms(timeout) > call");
        assertThat(h.voice.sent()).hasSize(1);
        h.engine.tick().await();
        assertThat(h.voice.sent()).hasSize(1);
    }

    @Test
    void receiptBeforeTheSubmitResponseIsAppliedOnceTheResponseComes() {
        h = new EngineHarness();
        var started = h.startHeld("r1", "+79001");
        String id = h.sms.held().get(0);
        h.event(h.status(ChannelType.SMS, h.sms.providerIds(id).get(0), Status.UNDELIVERED));
        assertThat(h.voice.sent()).isEmpty();
        h.sms.release(id);
        started.await();
        org.awaitility.Awaitility.await().until(() -> h.voice.sent().size() == 1);
        assertThat(h.path("r1")).isEqualTo("sms(status undelivered) > call");
    }

    @Test
    void replyWhileTheMessageToItsSenderIsBeingSubmittedWaitsForTheSubmitResponse() {
        h = new EngineHarness();
        var started = h.startHeld("r1", "+79001");
        // the provider's answer to the submit is not recorded yet when the reply comes
        var replied = h.engine.onEvent(h.reply("+79001", "yes"));
        assertThat(replied.isComplete()).isFalse();
        h.sms.release(h.sms.held().get(0));
        started.await();
        replied.await();
        assertThat(h.path("r1")).isEqualTo("sms(reply contains \"yes\") > won(goal confirmed) > done(end)");
        assertThat(h.counter("sms-voice", "sms", Counter.REPLIED)).isEqualTo(1);
    }

    @Test
    void replyAfterTheFallbackWasQueuedMovesNothing() {
        h = new EngineHarness();
        Run r = h.start("r1", "sms-voice");
        h.voice.hold(true);
        h.clock.advance(Duration.ofHours(1));
        var fired = h.engine.tick();
        org.awaitility.Awaitility.await().until(() -> h.voice.held().size() == 1);
        // the callee's "yes" arrives while the fallback call is being placed
        var reply = h.engine.onEvent(h.reply(r.recipient().address(), "yes"));
        h.voice.release(h.voice.held().get(0));
        fired.await();
        reply.await();
        assertThat(h.path("r1")).isEqualTo("sms(timeout) > call");
        assertThat(h.counter("sms-voice", "sms", Counter.REPLIED)).isEqualTo(1);
        assertThat(h.counter("sms-voice", "won", Counter.GOAL_REACHED)).isZero();
        assertThat(h.run("r1").state()).isEqualTo(RunState.WAITING);
    }

    @Test
    void stopReplyDuringADelayStopsTheNextSend() {
        h = new EngineHarness();
        Run r = h.start("r1", "reminder");
        h.advance(Duration.ofMinutes(30));
        assertThat(h.run("r1").blockId()).isEqualTo("wait");
        h.event(h.reply(r.recipient().address(), " stop "));
        assertThat(h.stopList.contains(r.recipient().address())).isTrue();
        h.advance(Duration.ofMinutes(10));
        assertThat(h.sms.sent()).hasSize(1);
        assertThat(h.run("r1").state()).isEqualTo(RunState.STOPPED);
        assertThat(h.counter("reminder", "again", Counter.STOPPED)).isEqualTo(1);
    }

    @Test
    void stopListedRecipientIsSentNothing() {
        h = new EngineHarness();
        h.stopList.add("+79001", "test");
        Run r = h.engine.startRun("r1", null, "sms-voice", 1,
                new io.outdial.fallback.store.Recipient("c1", "+79001", Map.of())).await();
        assertThat(r.state()).isEqualTo(RunState.STOPPED);
        assertThat(h.sms.sent()).isEmpty();
    }

    @Test
    void delayCountsFromEnteringAndSendsTheReminder() {
        h = new EngineHarness();
        h.start("r1", "reminder");
        h.advance(Duration.ofMinutes(30));
        h.advance(Duration.ofMinutes(9));
        assertThat(h.sms.sent()).hasSize(1);
        assertThat(h.counter("reminder", "wait", Counter.WAITING)).isEqualTo(1);
        h.advance(Duration.ofMinutes(1));
        assertThat(h.sms.sent()).extracting(OutboundMessage::text).containsExactly("First", "Reminder");
    }

    @Test
    void frequencyCapTurnsTheSendIntoAnError() {
        h = new EngineHarness(EngineOptions.defaults().withDailyCaps(Map.of(ChannelType.SMS, 1)));
        var rcpt = new io.outdial.fallback.store.Recipient("c1", "+79001", Map.of());
        h.engine.startRun("r1", null, "reminder", 1, rcpt).await();
        h.engine.startRun("r2", null, "sms-voice", 1, rcpt).await();
        assertThat(h.sms.sent()).hasSize(1);
        assertThat(h.voice.sent()).hasSize(1);
        assertThat(h.path("r2")).startsWith("sms(error: frequency cap: 1 sms message(s) to +79001 today, at most 1)");
        h.clock.advance(Duration.ofDays(1));
        h.engine.startRun("r3", null, "reminder", 1, rcpt).await();
        assertThat(h.sms.sent()).hasSize(2);
    }

    @Test
    void sendErrorTakesTheErrorLink() {
        h = new EngineHarness();
        h.sms.failWith(new SendException(SendException.Reason.REJECTED, "submit_sm_resp 0x0000000b"));
        h.start("r1", "sms-voice");
        assertThat(h.path("r1")).startsWith("sms(error: REJECTED: submit_sm_resp 0x0000000b) > call");
        assertThat(h.store.messages("r1").get(0).state()).isEqualTo(MessageRecord.MessageState.FAILED);
    }

    @Test
    void ivrKeyTwoSendsTheLinkAndALaterOutcomeMovesNothing() {
        h = new EngineHarness();
        h.sms.failWith(new SendException(SendException.Reason.UNAVAILABLE, "down"));
        h.start("r1", "sms-voice");
        h.sms.failWith(null);
        String call = h.voice.providerIds(h.voice.sent().get(0).id()).get(0);
        h.event(new ChannelEvent.IvrKey(ChannelType.VOICE, call, "2", h.clock.instant()));
        h.event(h.status(ChannelType.VOICE, call, Status.ANSWERED));
        assertThat(h.sms.sent()).hasSize(2);
        assertThat(h.sms.sent().get(1).text()).isEqualTo("Your link: https://ex.am/c-r1");
        String link = h.sms.providerIds(h.sms.sent().get(1).id()).get(0);
        h.event(h.status(ChannelType.SMS, link, Status.DELIVERED));
        assertThat(h.path("r1")).endsWith("call(key 2) > link(status delivered) > won(goal confirmed) > done(end)");
    }

    @Test
    void longSmsIsBilledPerPartAndRefundedWhenAPartFails() {
        h = new EngineHarness(EngineOptions.defaults().withPrices(new PricePlan(Map.of(ChannelType.SMS, 10L),
                true)));
        h.start("r1", "sms-voice");
        MessageRecord m = h.store.messages("r1").get(0);
        assertThat(m.segments()).isEqualTo(1);
        assertThat(m.cost()).isEqualTo(10L);
        var rcpt = new io.outdial.fallback.store.Recipient("c2", "+79002", Map.of("name", "x".repeat(300)));
        h.engine.startRun("r2", "camp2", "sms-voice", 1, rcpt).await();
        MessageRecord longOne = h.store.messages("r2").get(0);
        assertThat(longOne.segments()).isEqualTo(3);
        assertThat(longOne.cost()).isEqualTo(30L);
        List<String> parts = longOne.providerIds();
        h.event(h.status(ChannelType.SMS, parts.get(0), Status.DELIVERED));
        h.event(h.status(ChannelType.SMS, parts.get(1), Status.UNDELIVERED));
        assertThat(h.store.messages("r2").get(0).status()).isEqualTo(Status.UNDELIVERED);
        assertThat(h.store.campaignCost("camp2")).isZero();
        assertThat(h.store.costByBlock("sms-voice")).containsEntry("sms", 10L);
    }

    @Test
    void cancelledRunSendsNothingMoreAndDropsItsTimer() {
        h = new EngineHarness();
        h.start("r1", "sms-voice");
        h.engine.cancel("r1").await();
        h.advance(Duration.ofHours(2));
        assertThat(h.voice.sent()).isEmpty();
        assertThat(h.run("r1").state()).isEqualTo(RunState.CANCELLED);
        assertThat(h.store.timerCount()).isZero();
        assertThat(h.counter("sms-voice", "sms", Counter.CANCELLED)).isEqualTo(1);
        assertThat(h.counter("sms-voice", "sms", Counter.RUNNING)).isZero();
        assertThat(h.counter("sms-voice", "sms", Counter.WAITING)).isZero();
    }

    @Test
    void startingTheSameRunTwiceSendsOnce() {
        h = new EngineHarness();
        h.start("r1", "sms-voice");
        h.start("r1", "sms-voice");
        assertThat(h.sms.sent()).hasSize(1);
    }

    @Test
    void restartedEngineResumesTimersAndSendsNothingTwice() {
        h = new EngineHarness();
        h.start("r1", "sms-voice");
        h.start("r2", "reminder");
        h.advance(Duration.ofMinutes(30)); // r2 enters its delay
        h.restart();
        assertThat(h.sms.sent()).isEmpty();
        h.advance(Duration.ofMinutes(10)); // r2's delay ends on the new engine
        assertThat(h.sms.sent()).extracting(OutboundMessage::text).containsExactly("Reminder");
        h.advance(Duration.ofMinutes(20)); // r1's decision time ends on the new engine
        assertThat(h.voice.sent()).hasSize(1);
        assertThat(h.sms.sent()).hasSize(1);
        assertThat(h.path("r1")).isEqualTo("sms(timeout) > call");
    }

    @Test
    void restartWhileASubmitWasUnderWayNeverSubmitsItAgain() {
        h = new EngineHarness();
        h.sms.hold(true);
        h.engine.startRun("r1", null, "sms-voice", 1, new io.outdial.fallback.store.Recipient("c1", "+79001",
                Map.of()));
        org.awaitility.Awaitility.await().until(() -> h.sms.held().size() == 1);
        // the process dies here: the engine never hears the submit response
        h.sms = new io.outdial.fallback.support.FakeChannel(ChannelType.SMS);
        h.voice = new io.outdial.fallback.support.FakeChannel(ChannelType.VOICE);
        h.engine = h.newEngine();
        h.engine.start().await();
        assertThat(h.sms.sent()).isEmpty();
        assertThat(h.voice.sent()).hasSize(1);
        assertThat(h.store.messages("r1").get(0).state()).isEqualTo(MessageRecord.MessageState.UNKNOWN);
        assertThat(h.path("r1")).startsWith("sms(error: submit outcome unknown after a restart; not sent again)");
    }

    @Test
    void splitSendsEachRecipientDownOneStableBranch() {
        h = new EngineHarness();
        for (int i = 0; i < 200; i++) {
            h.start("r" + i, "ab");
        }
        long a = h.counter("ab", "split/a", Counter.ENTERED);
        long b = h.counter("ab", "split/b", Counter.ENTERED);
        assertThat(a + b).isEqualTo(200);
        assertThat(a).isBetween(35L, 85L);
        for (int i = 0; i < 20; i++) {
            String branch = h.run("r" + i).blockId();
            assertThat(ABSplit.pick("ab", "split", "c-r" + i,
                    (io.outdial.fallback.scheme.Block.Split) h.schemes.get(2).block("split")).next()).isEqualTo(branch);
        }
    }
}
