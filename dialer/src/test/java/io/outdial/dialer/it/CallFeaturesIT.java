package io.outdial.dialer.it;

import io.outdial.dialer.call.CallRecord;
import io.outdial.dialer.call.MachinePolicy;
import io.outdial.dialer.call.OutcomeKind;
import io.outdial.dialer.support.ScriptedFlow;
import io.outdial.ivr.spi.CallControl;
import io.outdial.ivr.spi.CallEvent;
import io.outdial.ivr.spi.FlowResult;
import io.outdial.sandbox.pbx.CalleeScript;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Transfer, recording and AMD against the sandbox PBX. */
@Timeout(30)
class CallFeaturesIT {
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
    void transferBridgesTheTargetAndWeCleanUpBridgeAndCallerWhenTheTargetHangsUp() {
        f.pbx.scripts().registerNumber("+15553330000", CalleeScript.answerAfter(Duration.ofMillis(100)));
        f.pbx.scripts().registerNumber("+15553339999", CalleeScript.answerAfter(Duration.ofMillis(300))
                .withHangupAfter(Duration.ofMillis(700)));
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.transfer("x1", new CallControl.TransferRequest(
                "+15553339999", "carrier", Duration.ofSeconds(5), null)), (s, e) -> {
                    if (e instanceof CallEvent.TransferFinished) {
                        s.finish(FlowResult.Completion.COMPLETED);
                    }
                });
        CallRecord r = f.call("+15553330000", flow).await();
        assertThat(flow.events.get(0)).isInstanceOfSatisfying(CallEvent.TransferFinished.class,
                t -> assertThat(t.status()).isEqualTo(CallEvent.TransferStatus.BRIDGED));
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(r.flowResult().completion()).isEqualTo(FlowResult.Completion.COMPLETED);
        await().atMost(10, TimeUnit.SECONDS).until(() -> f.pbx.liveChannelCount() == 0);
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(
                f.vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET, f.pbx.port(), "127.0.0.1",
                        "/ari/bridges?api_key=dialer:pw").compose(q -> q.send()).compose(p -> p.body()).await()
                        .toString()).isEqualTo("[]"));
    }

    @Test
    void transferToABusyTargetReportsBusyAndTheFlowGoesOn() {
        f.pbx.scripts().registerNumber("+15553330001", CalleeScript.answerAfter(Duration.ofMillis(100)));
        f.pbx.scripts().registerNumber("+15553338888", CalleeScript.busy(Duration.ofMillis(200)));
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.transfer("x2", new CallControl.TransferRequest(
                "+15553338888", null, Duration.ofSeconds(5), null)), (s, e) -> {
                    if (e instanceof CallEvent.TransferFinished) {
                        s.control.hangup(CallControl.HangupReason.NORMAL);
                    }
                });
        f.call("+15553330001", flow).await();
        assertThat(flow.events.get(0)).isInstanceOfSatisfying(CallEvent.TransferFinished.class,
                t -> assertThat(t.status()).isEqualTo(CallEvent.TransferStatus.BUSY));
    }

    @Test
    void recordingStopsOnTheFinishKeyAndIsStoredUnderItsReference() {
        f.pbx.scripts().registerNumber("+15553330002", CalleeScript.answerAfter(Duration.ofMillis(100))
                .withTalk(Duration.ofSeconds(2)).withDigits(Duration.ofMillis(2500), "#"));
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.record("msg-1", new CallControl.RecordOptions(
                Duration.ofSeconds(20), Duration.ZERO, true, "#")), (s, e) -> {
                    if (e instanceof CallEvent.RecordingFinished) {
                        s.control.hangup(CallControl.HangupReason.NORMAL);
                    }
                });
        CallRecord r = f.call("+15553330002", flow).await();
        CallEvent.RecordingFinished done = flow.events.stream().filter(e -> e instanceof CallEvent.RecordingFinished)
                .map(e -> (CallEvent.RecordingFinished) e).findFirst().orElseThrow();
        assertThat(done.status()).isEqualTo(CallEvent.RecordingStatus.DONE);
        assertThat(done.reference()).isEqualTo("recording:msg-1");
        assertThat(r.recordings()).containsExactly("recording:msg-1");
        Buffer wav = f.server.rest().storedRecordingFile("msg-1").await();
        assertThat(wav.getString(0, 4)).isEqualTo("RIFF");
        f.server.rest().deleteStoredRecording("msg-1").await();
    }

    @Test
    void amdHumanReachesTheFlowThroughCallInfo() {
        f.pbx.scripts().registerNumber("+15553330003", CalleeScript.answerAfter(Duration.ofMillis(100)));
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.hangup(CallControl.HangupReason.NORMAL), (s, e) -> { });
        CallRecord r = f.call("+15553330003", flow, f.amdTrunk, MachinePolicy.HANG_UP).await();
        assertThat(r.outcome().kind()).isEqualTo(OutcomeKind.ANSWERED);
        assertThat(flow.infos).singleElement().satisfies(i -> {
            assertThat(i.amdStatus()).isEqualTo("HUMAN");
            assertThat(i.amdCause()).isEqualTo("HUMAN-803-800");
        });
        assertThat(r.amdStatus()).isEqualTo("HUMAN");
    }

    @Test
    void amdMachineEndsMachineWithoutRunningTheFlowOrRunsItWhenAsked() {
        f.pbx.scripts().registerNumber("+15553330007", CalleeScript.machine(Duration.ofMillis(100)));
        ScriptedFlow flow = new ScriptedFlow(s -> s.control.hangup(CallControl.HangupReason.NORMAL), (s, e) -> { });
        CallRecord hungUp = f.call("+15553330007", flow, f.amdTrunk, MachinePolicy.HANG_UP).await();
        assertThat(hungUp.outcome().kind()).isEqualTo(OutcomeKind.MACHINE);
        assertThat(hungUp.amdCause()).isEqualTo("MAXWORDS-3-2");
        assertThat(flow.infos).isEmpty();
        CallRecord ran = f.call("+15553330007", flow, f.amdTrunk, MachinePolicy.RUN_FLOW).await();
        assertThat(ran.outcome().kind()).isEqualTo(OutcomeKind.MACHINE);
        assertThat(ran.flowResult()).isNotNull();
        assertThat(flow.infos).singleElement().extracting(i -> i.amdStatus()).isEqualTo("MACHINE");
    }
}
