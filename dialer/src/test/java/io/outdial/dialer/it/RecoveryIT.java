package io.outdial.dialer.it;

import io.outdial.dialer.ari.AriServer;
import io.outdial.dialer.ari.AriServerConfig;
import io.outdial.dialer.call.CallEngine;
import io.outdial.dialer.call.CallListener;
import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallRequest;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.call.PromptResolver;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A new engine takes over the attempts of a dialer that stopped without ending its calls. */
@Timeout(60)
class RecoveryIT {

    @Test
    void afterARestartGoneCallsEndLostDialingOnesGetTheirRealOutcomeAndAnsweredOnesEndLostNotCompleted() {
        try (SandboxFixture f = new SandboxFixture()) {
            f.pbx.scripts().registerNumber("+15554440000", CalleeScript.answerAfter(Duration.ofMillis(100)));
            f.pbx.scripts().registerNumber("+15554440005", CalleeScript.noAnswer());
            AtomicReference<ScriptedFlow.Session> running = new AtomicReference<>();
            CallRequest answered = request(f, "r-ans", "+15554440000", new ScriptedFlow(running::set, (s, e) -> { }));
            CallRequest ringing = request(f, "r-ring", "+15554440005", null);
            CallRequest vanished = request(f, "r-gone", "+15554449999", null);
            f.engine.originate(answered);
            f.engine.originate(ringing);
            await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() != null && f.pbx.liveCallCount() == 2);
            Instant originated = Instant.now();
            f.server.stop().await(); // the old node is gone; its calls stay up in Asterisk

            AriServer server2 = new AriServer(f.vertx, new AriServerConfig("sandbox",
                    "http://127.0.0.1:" + f.pbx.port(), "dialer", "pw", "dialer"), Clock.systemUTC());
            CallEngine engine2 = new CallEngine(f.vertx, server2, PromptResolver.mediaOnly(), n -> null,
                    Clock.systemUTC(), CallListener.NONE);
            server2.start().await();
            Future<CallRecord> a = engine2.recover(answered, stored(answered, originated));
            Future<CallRecord> b = engine2.recover(ringing, stored(ringing, originated));
            Future<CallRecord> c = engine2.recover(vanished, stored(vanished, originated));
            assertThat(c.await().outcome().kind()).isEqualTo(OutcomeKind.LOST);
            CallRecord ans = a.await();
            assertThat(ans.outcome().kind()).as("its flow result died with the old process: not a completed call")
                    .isEqualTo(OutcomeKind.LOST);
            assertThat(ans.outcome().flowResult()).isNull();
            assertThat(ans.answerAt()).isNotNull();
            assertThat(io.outdial.dialer.dialing.RunnerHarness.attemptOutcome(ans.outcome()))
                    .isEqualTo(io.outdial.dialer.attempt.AttemptOutcome.LOST);
            assertThat(ans.outcome().detail()).contains("interrupted by a dialer restart");
            assertThat(ans.originateAt()).isEqualTo(originated);
            CallRecord ring = b.await();
            assertThat(ring.outcome().kind()).isEqualTo(OutcomeKind.NO_ANSWER);
            assertThat(ring.outcome().cause()).isEqualTo(19);
            await().atMost(15, TimeUnit.SECONDS).until(() -> f.pbx.liveCallCount() == 0);
            server2.stop().await();
        }
    }

    @Test
    void aStoredAttemptNeverMarkedSentEndsNotPlacedWhenItsChannelIsGoneAndIsTakenOverWhenItExists() {
        try (SandboxFixture f = new SandboxFixture()) {
            f.pbx.scripts().registerNumber("+15554440005", CalleeScript.noAnswer());
            CallRequest sent = request(f, "r-sent", "+15554440005", null);
            CallRequest unsent = request(f, "r-unsent", "+15554440006", null);
            Instant before = Instant.now();
            f.engine.originate(sent);
            await().atMost(5, TimeUnit.SECONDS).until(() -> f.pbx.liveCallCount() == 1);
            f.server.stop().await(); // stopped before either send time was stored

            AriServer server2 = new AriServer(f.vertx, new AriServerConfig("sandbox",
                    "http://127.0.0.1:" + f.pbx.port(), "dialer", "pw", "dialer"), Clock.systemUTC());
            CallEngine engine2 = new CallEngine(f.vertx, server2, PromptResolver.mediaOnly(), n -> null,
                    Clock.systemUTC(), CallListener.NONE);
            server2.start().await();
            Future<CallRecord> live = engine2.recover(sent, stored(sent, null));
            CallRecord never = engine2.recover(unsent, stored(unsent, null)).await();
            assertThat(never.outcome().kind()).as("no channel and no send time: the request never left")
                    .isEqualTo(OutcomeKind.NOT_PLACED);
            assertThat(never.outcome().detail()).contains("never sent");
            assertThat(f.pbx.originateCount()).as("nothing dialled for it").isEqualTo(1);
            CallRecord ring = live.await();
            assertThat(ring.outcome().kind()).as("its channel exists: it was sent, and is taken over")
                    .isEqualTo(OutcomeKind.NO_ANSWER);
            assertThat(ring.originateAt()).as("the send time is the channel's creation time")
                    .isBetween(before.minusSeconds(1), ring.endAt());
            server2.stop().await();
        }
    }

    private static CallRequest request(SandboxFixture f, String id, String phone, ScriptedFlow flow) {
        return new CallRequest(id, "camp", "contact-" + id, phone, Map.of(), f.trunk, 1, "ch-" + id, false, null, flow,
                Map.of());
    }

    private static CallRecord stored(CallRequest r, Instant originated) {
        return new CallRecord(r.attemptId(), r.campaignId(), r.contactId(), r.phone(), r.trunk().name(), null,
                "sandbox", r.channelId(), CallState.DIALING, originated, null, null, null, null, null, null, "",
                List.of());
    }
}
