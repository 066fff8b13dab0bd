package io.outdial.dialer.it;

import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.CallState;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.Prompt;
import io.outdial.sandbox.pbx.CalleeScript;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Originate → outcome against the sandbox PBX over loopback. */
@Timeout(30)
class CallOutcomesIT {
    private SandboxFixture f;

    @BeforeEach
    void setUp() {
        f = new SandboxFixture();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void answeredCallPlaysAPromptReceivesDtmfAndIsHungUpByTheFlow() {
        f.pbx.scripts().registerNumber("+15551110000", CalleeScript.answerAfter(Duration.ofMillis(300))
                .withDigits(Duration.ofMillis(1800), "1").withHangupAfter(Duration.ofSeconds(20)));
        ScriptedFlow flow = new ScriptedFlow(
                s -> s.control.play("welcome", List.of(new Prompt.Media("sound:hello-world"))),
                (s, e) -> {
                    if (e instanceof CallEvent.DtmfReceived) {
                        s.control.hangup(CallControl.HangupReason.NORMAL);
                    }
                });
        CallRecord r = f.call("+15551110000", flow).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(r.outcome().cause()).isEqualTo(16);
        assertThat(r.state()).isEqualTo(CallState.ENDED);
        assertThat(r.dtmf()).isEqualTo("1");
        assertThat(r.answerAt()).isAfterOrEqualTo(r.originateAt());
        assertThat(r.flowResult().answers()).containsEntry("menu", "1");
        assertThat(flow.events).containsSubsequence(
                new CallEvent.PlaybackFinished("welcome", CallEvent.PlaybackStatus.DONE),
                new CallEvent.DtmfReceived('1'), new CallEvent.HungUp(false, 16));
        assertThat(r.callerId()).isEqualTo("+15550000001");
    }

    @Test
    void calleeHangingUpEndsTheFlowWithHungUpByCallee() {
        f.pbx.scripts().registerNumber("+15551110001", CalleeScript.answerAfter(Duration.ofMillis(200))
                .withHangupAfter(Duration.ofMillis(800)));
        ScriptedFlow flow = new ScriptedFlow(
                s -> s.control.play("long", List.of(new Prompt.Media("sound:demo-congrats"))),
                (s, e) -> { });
        CallRecord r = f.call("+15551110001", flow).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(flow.events).contains(new CallEvent.HungUp(true, 16));
        assertThat(flow.events).as("Asterisk fails the playback before StasisEnd; the flow sees the hang-up, not a"
                + " failed prompt").doesNotContain(new CallEvent.PlaybackFinished("long",
                CallEvent.PlaybackStatus.FAILED));
    }

    @Test
    void busyCalleeEndsBusy() {
        f.pbx.scripts().registerNumber("+15551110004", CalleeScript.busy(Duration.ofMillis(300)));
        CallRecord r = f.call("+15551110004", null).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.BUSY);
        assertThat(r.answerAt()).isNull();
    }

    @Test
    void unansweredCallEndsNoAnswerAtTheTrunkTimeoutWithCause19() {
        f.pbx.scripts().registerNumber("+15551110005", CalleeScript.noAnswer());
        long t0 = System.nanoTime();
        CallRecord r = f.call("+15551110005", null).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.NO_ANSWER);
        assertThat(r.outcome().cause()).isEqualTo(19);
        // not before the trunk's 3 s originate timeout; how long after it depends on the machine's load
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(2500));
        assertThat(r.ringAt()).isNotNull();
    }

    @Test
    void engineHangupOfARingingCallEndsItWithItsCause() {
        f.pbx.scripts().registerNumber("+15551110015", CalleeScript.noAnswer());
        io.vertx.core.Future<CallRecord> call = f.call("+15551110015", null);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(2))
                .until(() -> f.pbx.liveCallCount() == 1);
        String channel = f.engine.server().rest().channels().await().stream()
                .filter(c -> !c.id().endsWith("-2")).findFirst().orElseThrow().id();
        f.engine.hangup(channel, "normal").await();
        CallRecord r = call.await();
        assertThat(r.state()).isEqualTo(CallState.ENDED);
        assertThat(r.endAt()).isBefore(r.originateAt().plusSeconds(2));
    }

    @Test
    void invalidNumberEndsInvalidNumber() {
        f.pbx.scripts().registerNumber("+15551110008", CalleeScript.invalidNumber());
        CallRecord r = f.call("+15551110008", null).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.INVALID_NUMBER);
        assertThat(r.outcome().cause()).isEqualTo(1);
    }

    @Test
    void congestionAndRejectionAreTold() {
        f.pbx.scripts().registerNumber("+15551110006", CalleeScript.congestion(Duration.ofMillis(100)));
        f.pbx.scripts().registerNumber("+15551110009", CalleeScript.rejected(Duration.ofMillis(100)));
        assertThat(f.call("+15551110006", null).await().outcome().kind()).isEqualTo(OutcomeKind.CONGESTION);
        assertThat(f.call("+15551110009", null).await().outcome().kind()).isEqualTo(OutcomeKind.REJECTED);
    }
}
